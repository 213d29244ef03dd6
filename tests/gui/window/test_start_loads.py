"""What the window loads before its first paint: the document and the window, not the
parser, the renderer or the CLI's commands (each loads when first used). A start that
pulls them in again costs the user tens of milliseconds at every launch
(`make bench`: window start to first paint)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

_AT_FIRST_PAINT = r"""
import json, os, sys
from scheduler_studio.gui.main_window import MainWindow

def paintEvent(self, event):
    print(json.dumps(sorted(m for m in sys.modules if m.startswith("scheduler_studio."))),
          flush=True)
    os._exit(0)
MainWindow.paintEvent = paintEvent
from scheduler_studio.gui.launcher import main
main(["--size", "1280x800"])
"""

NOT_BEFORE_FIRST_PAINT = {
    "scheduler_studio.engine.codegen.parsing", "scheduler_studio.engine.codegen.rendering",
    "scheduler_studio.engine.codegen.splice", "scheduler_studio.engine.cli.commands",
    "scheduler_studio.engine.cli.entry", "scheduler_studio.engine.processes",
}


def _loaded_at_first_paint(home, run_twice=False) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home),
               SCHEDSTUDIO_DATA_DIR=str(home / "studio"))
    for _ in range(2 if run_twice else 1):
        out = subprocess.run([sys.executable, "-c", _AT_FIRST_PAINT], env=env,
                             capture_output=True, text=True, timeout=120)
    lines = out.stdout.strip().splitlines()
    assert lines, out.stderr[-2000:]
    return set(json.loads(lines[-1]))


def test_a_second_start_paints_the_window_before_the_parser_or_the_cli_loads(tmp_path):
    loaded = _loaded_at_first_paint(tmp_path, run_twice=True)  # the template cached once
    assert "scheduler_studio.gui.main_window" in loaded
    assert "scheduler_studio.engine.codegen.document" in loaded
    assert not NOT_BEFORE_FIRST_PAINT & loaded, sorted(NOT_BEFORE_FIRST_PAINT & loaded)
    assert (tmp_path / "studio" / "cache" / "template-local.pickle").is_file()
