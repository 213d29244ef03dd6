"""``schedstudio --cook G --screenshot P --timeout S``: a cook that hangs is cancelled
after S seconds, the picture is taken all the same and the exit code says so."""
from __future__ import annotations

from PySide6.QtGui import QImage

from scheduler_studio.gui import app

HANGS = '''import time
import pdg
from pdg.scheduler import PyScheduler

class StuckScheduler(PyScheduler):
    def onSchedule(self, work_item):
        if work_item.index == 1:
            while True:
                time.sleep(0.05)
        self.onWorkItemSucceeded(work_item.id, -1, 0.0)
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        return pdg.tickResult.SchedulerReady

def registerTypes(type_registry):
    type_registry.registerScheduler(StuckScheduler, label="Stuck")
'''


def test_a_hanging_cook_is_cancelled_at_the_timeout_and_pictured(tmp_path, qapp, capsys):
    module = tmp_path / "stuck.py"
    module.write_text(HANGS)
    png = tmp_path / "stuck.png"
    code = app.main(["--open", str(module), "--cook", "frames", "--timeout", "2",
                     "--screenshot", str(png), "--size", "1000x700"])
    assert code == app.EXIT_COOK_TIMEOUT
    assert "still running after 2 s" in capsys.readouterr().err
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1000, 700)


def test_the_timeout_must_be_a_positive_number(capsys):
    for bad in ("0", "soon"):
        try:
            app.build_parser().parse_args(["--cook", "frames", "--timeout", bad])
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"--timeout {bad} was accepted")
    assert "--timeout" in capsys.readouterr().err
    assert app.build_parser().parse_args(["--timeout", "1.5"]).timeout == 1.5
