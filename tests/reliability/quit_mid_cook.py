"""A Scheduler Studio process quit in the middle of a cook (not a test module).

``python -m tests.reliability.quit_mid_cook MODE GRAPH MARKER``: MODE ``session`` makes a
bare `CookSession`, ``window`` the main window (``schedstudio`` as the user starts it);
either cooks GRAPH with the Local template and, once two sleepers with MARKER run (a job
and the child it detached into a session of its own), prints one JSON line (the cook
tag, the host pid, the scratch folder) and quits the app: `QApplication.quit()` for a
session, closing the window for a window. MODE ``farm`` is a session cooking with the
Farm CLI template and the fakefarm the studio ships (its runner starts each job in a
session of its own), quit once the job runs. Jobs are sleepers (their command line
holds MARKER). The interpreter then exits, as it does when the user quits: whatever
the app did not end at quit outlives it.
"""
from __future__ import annotations

import json
import sys

import psutil
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.reliability.support import LOCAL, ROOT, with_marker

FARM = ROOT / "resources" / "templates" / "farm_cli.py"

POLL_MS = 20


def cook(session, graph: str, template=LOCAL) -> None:
    module = session.write_module(template.read_text(encoding="utf-8"))
    assert session.start(module, graph), "the cook did not start"


def sleepers(marker: str) -> list:
    """The jobs' sleepers carrying `marker` (not a farm tool naming one in its command)."""
    out = []
    for proc in with_marker(marker):
        try:
            if proc.cmdline()[1:2] and proc.cmdline()[1].endswith("sleeper.py"):
                out.append(proc)
        except psutil.Error:
            pass
    return out


def when_running(session, marker: str, then, count: int = 2) -> None:
    """Call `then()` once `count` sleepers carrying the marker run."""
    def look() -> None:
        if len(sleepers(marker)) >= count:
            print(json.dumps({"tag": session.host._tag, "host": session.host.pid,
                              "scratch": session.scratch.root}), flush=True)
            then()
        else:
            QTimer.singleShot(POLL_MS, look)
    QTimer.singleShot(POLL_MS, look)


def run_session(graph: str, marker: str, farm: bool = False) -> int:
    from scheduler_studio.gui.cook.session import CookSession

    app = QApplication([])
    session = CookSession()
    cook(session, graph, FARM if farm else LOCAL)
    when_running(session, marker, QApplication.quit, 1 if farm else 2)
    return app.exec()


def run_window(graph: str, marker: str) -> int:
    from scheduler_studio.gui import app

    real_show = app.show_window

    def show(window, *args, **kwargs):
        real_show(window, *args, **kwargs)
        session = window.cook_session
        cook(session, graph)
        when_running(session, marker, window.close)  # the last window: the app quits

    app.show_window = show
    return app.main([])


def main() -> int:
    mode, graph, marker = sys.argv[1:4]
    if mode == "window":
        return run_window(graph, marker)
    return run_session(graph, marker, farm=mode == "farm")


if __name__ == "__main__":
    sys.exit(main())
