"""The terminal face of the debugger: ``schedstudio cook --break ... / --pdb`` gives a
pdb prompt on the CLI's own stdin and stdout, and a script piped in drives it."""
from __future__ import annotations

import subprocess
import sys

from tests.engine.cookkit import LOCAL, ROOT, SCHEDULERS, line_of
from tests.engine.debugkit import DEBUGGEE


def _cook(tmp_path, module, *options: str, script: str = "c\n") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scheduler_studio.engine.cli", "cook", str(module),
           "--workdir", str(tmp_path / "work"), *options]
    return subprocess.run(cmd, input=script, capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_a_piped_script_prints_the_item_name_and_the_cook_finishes(tmp_path):
    done = _cook(tmp_path, LOCAL.relative_to(ROOT), "--graph", "frames",
                 "--break", "onSchedule", script="p work_item.name\nc\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "(Pdb) 'render_1'" in lines                        # the first item offered
    assert "-> if not self._enqueue(work_item):" in lines
    assert any(line.startswith("localscheduler on graph frames: SUCCEEDED") for line in lines)


def test_a_line_counts_in_the_callbacks_body(tmp_path):
    # onSchedule's second body line is the one after the helper call
    done = _cook(tmp_path, DEBUGGEE, "--graph", "frames", "--parm", "raise_index=-1",
                 "--break", "onSchedule:2", script="p label\nwhere\nq\n")
    assert "(Pdb) 'item:render_1'" in done.stdout
    assert f"debuggee.py({line_of(DEBUGGEE, 'BP-AFTER-HELPER')})onSchedule()" in done.stdout
    assert "-- quit: cancelling the cook" in done.stdout
    assert done.returncode == 1 and "CANCELLED" in done.stdout


def test_file_and_line_stops_in_a_helper_and_steps_back_out(tmp_path):
    helper = line_of(DEBUGGEE, "BP-HELPER")
    done = _cook(tmp_path, DEBUGGEE, "--graph", "frames", "--break", f"{DEBUGGEE}:{helper}",
                 script="n\np prefix\nr\nn\np label\nc\n")
    assert "(Pdb) 'item'" in done.stdout
    assert "(Pdb) 'item:render_1'" in done.stdout     # stepped back out into onSchedule
    assert done.returncode == 0, done.stderr


def test_pdb_stops_post_mortem_where_a_callback_raised(tmp_path):
    done = _cook(tmp_path, SCHEDULERS / "raises.py", "--graph", "frames", "--pdb",
                 script="p work_item.index\nc\n")
    assert "-- post-mortem: onSchedule raised RuntimeError: cannot reach the farm" in done.stdout
    assert f"raises.py({line_of(SCHEDULERS / 'raises.py', 'RAISES-LINE')})onSchedule()" \
        in done.stdout
    assert "(Pdb) 1" in done.stdout
    assert done.returncode == 1 and "FAILED" in done.stdout


def test_a_break_that_names_no_callback_says_what_the_module_has(tmp_path):
    done = _cook(tmp_path, DEBUGGEE, "--graph", "frames", "--break", "onScheduel")
    assert done.returncode == 2
    assert "has no callback 'onScheduel'" in done.stderr and "onSchedule" in done.stderr
    past = _cook(tmp_path, DEBUGGEE, "--graph", "frames", "--break", "onTick:9")
    assert past.returncode == 2 and "onTick's body has 2 line(s), not 9" in past.stderr
