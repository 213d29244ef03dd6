"""A Scheduler Studio process quit in the middle of a cook (not a test module).

``python -m tests.reliability.quit_mid_cook MODE GRAPH MARKER``: MODE ``session`` makes a
bare `CookSession`, ``window`` the main window (``schedstudio`` as the user starts it);
either cooks GRAPH with the Local template and, once MARKER shows in two processes (a job
and the child it detached into a session of its own), prints one JSON line (the cook
tag, the host pid, the scratch folder) and quits the app: `QApplication.quit()` for a
session, closing the window for a window. The interpreter then exits, as it does when
the user quits: whatever the app did not end at quit outlives it.
"""
from __future__ import annotations

import json
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.reliability.support import LOCAL, with_marker

POLL_MS = 20


def cook(session, graph: str) -> None:
    module = session.write_module(LOCAL.read_text(encoding="utf-8"))
    assert session.start(module, graph), "the cook did not start"


def when_running(session, marker: str, then) -> None:
    """Call `then()` once the job and its detached child both run."""
    def look() -> None:
        if len(with_marker(marker)) >= 2:
            print(json.dumps({"tag": session.host._tag, "host": session.host.pid,
                              "scratch": session.scratch.root}), flush=True)
            then()
        else:
            QTimer.singleShot(POLL_MS, look)
    QTimer.singleShot(POLL_MS, look)


def run_session(graph: str, marker: str) -> int:
    from scheduler_studio.gui.cook.session import CookSession

    app = QApplication([])
    session = CookSession()
    cook(session, graph)
    when_running(session, marker, QApplication.quit)
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
    return run_session(graph, marker) if mode == "session" else run_window(graph, marker)


if __name__ == "__main__":
    sys.exit(main())
