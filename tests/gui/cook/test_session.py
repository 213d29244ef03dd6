"""`CookSession` without any widget: it cooks a sample graph from the module's text,
applies the events to its state, and `close` leaves no process of it behind — the cook
host, its jobs, the spare host — and no scratch folder."""
from __future__ import annotations

import os

import psutil
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from scheduler_studio.gui.cook.session import DISCARDED, CookSession
from tests.gui.cook.conftest import COOK_TIMEOUT_MS, LOCAL_TEMPLATE, session_processes


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


class Recorder:
    """What a session said, in order."""

    def __init__(self, session: CookSession):
        self.said: list[tuple] = []
        self.events: list = []
        session.sig_started.connect(lambda graph: self.said.append(("started", graph)))
        session.sig_events.connect(self.events.extend)
        session.sig_output.connect(lambda lines: self.said.append(("output", lines)))
        session.sig_finished.connect(lambda *args: self.said.append(("finished", *args)))

    def finished(self) -> list[tuple]:
        return [s for s in self.said if s[0] == "finished"]


@pytest.fixture
def session(qtbot):
    """A session with no widget at all; closed (and checked) at the end."""
    before = set(QApplication.allWidgets())  # earlier tests' widgets may go meanwhile
    made = CookSession()
    yield made
    made.close()
    qtbot.waitUntil(lambda: not made.is_running(), timeout=COOK_TIMEOUT_MS)
    assert [w for w in QApplication.allWidgets() if w not in before] == []  # none needed
    assert not [t for t in made.findChildren(QTimer) if t.isActive()]


def _start(session: CookSession, graph: str) -> str:
    module = session.write_module(LOCAL_TEMPLATE.read_text(encoding="utf-8"))
    assert session.start(module, graph)
    return module


def test_a_session_cooks_a_sample_graph_and_closes_with_nothing_left(qtbot, session):
    said = Recorder(session)
    with qtbot.waitSignal(session.sig_finished, timeout=COOK_TIMEOUT_MS) as blocker:
        module = _start(session, "frames")
        assert session.is_running()
    assert blocker.args[:2] == ["succeeded", "exited"]
    assert said.said[0] == ("started", "frames")
    assert said.said[1][0] == "output" and said.said[1][1][0].startswith("cook frames (dynamic)")
    assert said.finished() == [("finished", "succeeded", "exited", 0)]
    types = {e.type for e in said.events}
    assert {"cook_started", "item_added", "cook_finished"} <= types
    assert session.state.count("succeeded") == 41 and not session.errors.errors()
    assert session.module_path == module
    host = session.host.pid                          # kept after the end
    assert host and _gone(host) and session_processes(host) == []
    scratch = session.scratch.root
    session.close()
    assert session.is_closed() and not os.path.exists(scratch)
    assert not session.start(module, "frames")  # a closed session starts nothing


def test_close_during_a_cook_ends_the_host_and_its_jobs(qtbot, session):
    said = Recorder(session)
    _start(session, "large")
    qtbot.waitUntil(lambda: session.state.count("cooking") > 0, timeout=COOK_TIMEOUT_MS)
    host = session.host.pid
    assert session_processes(host)
    with qtbot.waitSignal(session.sig_closed, timeout=1000):
        session.close()
    qtbot.waitUntil(lambda: not session.is_running(), timeout=COOK_TIMEOUT_MS)
    assert _gone(host) and session_processes(host) == []
    assert said.finished()[0][1:3] == ("cancelled", "killed")


def test_close_ends_the_waiting_spare_host(qtbot, session):
    session.keep_warm()
    qtbot.waitUntil(session.host.spare_ready, timeout=COOK_TIMEOUT_MS)
    spare = session.host._spare.pid
    session.close()
    assert _gone(spare)
    qtbot.wait(500)                                  # and no new one starts after it
    assert not session.host.spare_ready()


def test_a_discarded_cook_shows_nothing_more(qtbot, session):
    said = Recorder(session)
    _start(session, "large")
    qtbot.waitUntil(lambda: session.state.count("cooking") > 0, timeout=COOK_TIMEOUT_MS)
    with qtbot.waitSignal(session.sig_finished, timeout=COOK_TIMEOUT_MS) as blocker:
        session.discard()
        session.reset()
        seen = len(said.events)
    assert blocker.args[:2] == ["cancelled", DISCARDED]
    assert len(said.events) == seen and session.state.total == 0  # the rest was not applied
