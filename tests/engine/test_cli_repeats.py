"""What ``schedstudio cook`` prints when the same thing goes wrong again and again: one
line with a count (as the window's Problems list does), and a scheduler whose onStart
failed cooks nothing (PDG does not cook with a scheduler that did not start)."""
from __future__ import annotations

import io
import json

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.cli.reporter import Reporter
from scheduler_studio.engine.cook.summary import empty_summary, error_entry
from tests.engine.cookkit import cook, gen, recorder_variant, write_graph

RAISER = '''\
import pdg
from pdg.scheduler import PyScheduler


class Raiser(PyScheduler):
    def onSchedule(self, work_item):
        raise RuntimeError("farm said no")

    def onTick(self):
        return pdg.tickResult.SchedulerReady


def registerTypes(type_registry):
    type_registry.registerScheduler(Raiser, name="raiser")
'''


def _printed(summary) -> list[str]:
    out = io.StringIO()
    Reporter(out=out).cook_summary(summary)
    return out.getvalue().splitlines()


def test_identical_errors_and_warnings_are_one_line_with_a_count():
    errors = [error_entry("AttributeError: no attribute 'engine'", "onSchedule", "/m.py", 70)
              ] * 20 + [error_entry("other", "onTick", "/m.py", 80)]
    summary = empty_summary("failed", "farm", "frames", errors,
                            warnings=["same warning"] * 5 + ["another"])
    lines = _printed(summary)
    engine = [line for line in lines if "no attribute 'engine'" in line]
    assert engine == ["  error: onSchedule: AttributeError: no attribute 'engine' "
                      "(/m.py:70) (20 times)"]
    assert "  error: onTick: other (/m.py:80)" in lines
    assert [line for line in lines if "warning:" in line] == [
        "  warning: same warning (5 times)", "  warning: another"]


def test_many_different_warnings_still_say_how_many_were_left_out():
    summary = empty_summary("failed", "farm", "frames",
                            warnings=[f"warning {chr(ord('a') + n)}" for n in range(25)])
    lines = _printed(summary)
    assert len([line for line in lines if line.startswith("  warning:")]) == 20
    assert "  ... and 5 more warning(s) (--json lists them all)" in lines


def test_warnings_of_one_shape_are_one_line_with_a_count_and_examples():
    cut = "a job log passed 8,388,608 bytes and was cut there (the rest dropped): "
    logs = [f"/tmp/hip/pdgtemp/1/logs/render_{n}.log" for n in range(1, 21)]
    summary = empty_summary("succeeded", "loud", "frames",
                            warnings=[cut + log for log in logs] + [
                                "pdg_maxitems is 'x', not a number: using 30",
                                "render_3: low disk", "render_4: low disk"])
    said = [line for line in _printed(summary) if line.startswith("  warning:")]
    assert said == [
        f"  warning: {cut}{logs[0]} (and 19 more like it: render_2.log, render_3.log, ...)",
        "  warning: pdg_maxitems is 'x', not a number: using 30",
        "  warning: render_3: low disk (and 1 more like it: 4)"]


def test_a_cook_whose_callback_raises_on_every_item_prints_it_once(tmp_path, capsys):
    module = tmp_path / "raiser.py"
    module.write_text(RAISER, encoding="utf-8")
    write_graph(tmp_path, [gen("render", 6)], name="six")
    code = main(["cook", str(module), "--graph", str(tmp_path / "six.json"),
                 "--workdir", str(tmp_path / "w")])
    out = capsys.readouterr().out
    assert code == 1
    said = [line for line in out.splitlines() if "farm said no" in line]
    error, failed = ([line for line in said if line.startswith(f"  {kind}:")]
                     for kind in ("error", "failed"))
    assert len(error) == 1 and error[0].endswith("(6 times)"), out
    assert failed == ["  failed: render_1, render_2, render_3, render_4, render_5 and 1 "
                      "more: onSchedule raised RuntimeError: farm said no"], out


def test_onstart_raising_stops_the_cook_before_onstartcook(tmp_path):
    module = recorder_variant(tmp_path, """
        def onStart(self):
            raise RuntimeError("no licence")
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path)
    assert done.summary["status"] == "failed"
    assert done.summary["errors"][0]["callback"] == "onStart"
    assert any("did not start" in e["message"] for e in done.summary["errors"])
    assert done.scheduler.called("onStartCook") == []
    assert done.scheduler.called("onSchedule") == []
    assert done.summary["items"]["succeeded"] == 0


def test_onstart_returning_false_stops_it_too(tmp_path, capsys):
    module = recorder_variant(tmp_path, """
        def onStart(self):
            return False
    """)
    code = main(["cook", str(module), "--graph", "frames", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["status"]) == (1, "failed")
    assert "onStart returned False" in summary["errors"][0]["message"]
    assert "onStartCook" not in summary["callbacks"]
