"""Faults during a test cook started from the editor: a job killed, the cook host
killed, a job flooding its output, callbacks leaking threads, a full disk.

The user's module sits in a `CodeEditor` (or the main window's editors) and the
`CookPanel` cooks exactly that text. After every fault the editor still holds the
user's text, unmodified flags included; the panel's status line and log say what
happened; memory stays bounded; and no process of the cook is left (marker strings
in the job commands, plus the suite's leftover-process check).
"""
from __future__ import annotations

import json
import os
import signal
import tempfile
import uuid
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow

from scheduler_studio.engine.cook.logcap import LOG_CAP_BYTES
from scheduler_studio.engine.cook.logcap import NOTE as NOTE_AT_CUT
from scheduler_studio.gui.cook.followers import LOG_CAP_CHARS
from scheduler_studio.gui.cook.panel import LOG_MAX_LINES, CookPanel
from scheduler_studio.gui.editor import CodeEditor
from tests.gui.cook.conftest import editor_window_with_panel, finish_panel
from tests.reliability.support import DATA, LOCAL, with_marker

JOBS = DATA / "jobs"
SCHEDULERS = DATA / "schedulers"
COOK_MS = 90_000
NOTE = "\n# the user's own note: héllo ✓ — keep me\n"


def write_graph(folder: Path, nodes: list[dict], name: str = "g") -> str:
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"name": name, "nodes": nodes}), encoding="utf-8")
    return str(path)


def job(script: str, *args: str) -> str:
    return " ".join(["{python}", str(JOBS / script), *args])


class Studio:
    """A window with the user's module in an editor and the cook panel docked below."""

    def __init__(self, qtbot, text: str):
        self.qtbot = qtbot
        self.window = QMainWindow()  # closed by the fixture, after the panel's shutdown
        self.editor = CodeEditor()
        self.editor.set_text(text)
        self.editor.set_save_point()
        self.window.setCentralWidget(self.editor)
        self.panel = CookPanel(self.editor.text, self.window)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.window.resize(1100, 800)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.text = text

    def start(self, graph: str, max_jobs: int = 0) -> None:
        if max_jobs:
            self.panel.refresh_parameters()
            self.panel.options.set_parameter_value("max_jobs", str(max_jobs))
        self.panel.set_graph(graph)
        self.qtbot.mouseClick(self.panel.cook_button, Qt.MouseButton.LeftButton)
        assert self.panel.is_cooking(), self.panel.counts.status_text()

    def wait(self, predicate, what: str) -> None:
        self.qtbot.waitUntil(lambda: bool(predicate()), timeout=COOK_MS)

    def items_of(self, node: str) -> list:
        return [r for r in self.panel.state.items.values() if r.node == node]

    def assert_user_text_kept(self) -> None:
        assert self.editor.text() == self.text
        assert not self.editor.is_modified()


@pytest.fixture
def studio(qtbot):
    made: list[Studio] = []

    def make(text: str) -> Studio:
        made.append(Studio(qtbot, text))
        return made[-1]

    yield make
    for one in made:
        still_cooking, active = finish_panel(qtbot, one.panel, COOK_MS)
        one.window.close()
        one.window.deleteLater()
        assert not still_cooking, "a test left its cook running"
        assert not active, f"timers left running: {active}"


@pytest.fixture
def marker():
    mark = f"schedstudio-reliability-{uuid.uuid4().hex}"
    yield mark
    assert with_marker(mark) == [], "a job of the cook survived the test"


def _finish(studio_: Studio, action=None) -> str:
    with studio_.qtbot.waitSignal(studio_.panel.sig_cook_finished, timeout=COOK_MS) as blocker:
        if action is not None:
            action()
    return blocker.args[0]


# -- a job killed ------------------------------------------------------------------------------

def test_panel_a_job_killed_fails_its_item_and_the_cook_ends(tmp_path, marker, studio):
    one = studio(LOCAL.read_text(encoding="utf-8") + NOTE)
    one.start(write_graph(tmp_path, [
        {"name": "victim", "kind": "generator", "count": 1, "command": job("sleeper.py", marker)},
        {"name": "render", "kind": "generator", "count": 2, "frame_start": 1,
         "outputs": ["__PDG_DIR__/render/{index}.txt"],
         "command": "{python} {jobs}/render.py --frame {frame} --out {out}"},
    ]))
    one.wait(lambda: with_marker(marker) and one.items_of("victim")
             and one.items_of("victim")[0].state == "Cooking", "the victim running")
    [victim] = with_marker(marker)
    status = _finish(one, lambda: victim.send_signal(signal.SIGKILL))
    assert status == "failed"
    assert one.panel.counts.status_text() == "Cook failed"
    assert [r.state for r in one.items_of("victim")] == ["CookedFail"]
    assert [r.state for r in one.items_of("render")] == ["CookedSuccess"] * 2
    one.assert_user_text_kept()


# -- the cook host killed ------------------------------------------------------------------------

def test_panel_the_cook_host_killed_ends_every_job(tmp_path, marker, studio):
    one = studio(LOCAL.read_text(encoding="utf-8") + NOTE)
    one.start(write_graph(tmp_path, [
        {"name": "wait", "kind": "generator", "count": 2, "command": job("sleeper.py", marker)},
        {"name": "detach", "kind": "generator", "count": 1,
         "command": job("detacher.py", marker)},
    ]), max_jobs=4)
    # two sleepers, the wrapper and the child it detached into a session of its own
    one.wait(lambda: len(with_marker(marker)) >= 4, "the jobs")
    host = one.panel.host.pid
    status = _finish(one, lambda: os.kill(host, signal.SIGKILL))
    assert status == "crashed"
    assert one.panel.counts.status_text() == "The cook host crashed"
    assert "cook host ended: crashed" in one.panel.log_text()
    assert with_marker(marker) == []  # as soon as the panel says the cook is over
    assert not one.panel.is_cooking() and one.panel.cook_button.isEnabled()
    one.assert_user_text_kept()


# -- a job that floods its output ------------------------------------------------------------------

class PeakMemory:
    """The test process's RSS, sampled on the GUI thread while the event loop runs."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self.timer = QTimer(interval=50)
        self.timer.timeout.connect(self.sample)
        self.timer.start()

    def sample(self) -> None:
        self.peak = max(self.peak, self.process.memory_info().rss)

    def stop(self) -> int:
        self.timer.stop()
        self.sample()
        return self.peak - self.start


def test_panel_a_job_flooding_the_host_output_stays_bounded(tmp_path, studio):
    # a naive scheduler: its jobs print straight into the cook host's output stream
    one = studio((SCHEDULERS / "inherit.py").read_text(encoding="utf-8") + NOTE)
    memory = PeakMemory()
    one.start(write_graph(tmp_path, [
        {"name": "flood", "kind": "generator", "count": 1,
         "command": job("flood.py", "--seconds", "3", "--max-mb", "150")},
        {"name": "after", "kind": "processor", "input": "flood", "command": "true"},
    ]))
    status = _finish(one)
    growth = memory.stop()
    assert status == "succeeded", one.panel.log_text()[-2000:]
    log = one.panel.log
    assert log.document().blockCount() <= LOG_MAX_LINES + 1
    assert "flood done" in one.panel.log_text()      # the newest lines are the ones kept
    assert one.panel.host.events_read < 1000          # the flood never became events
    assert growth < 150 * 2**20, f"the window grew by {growth / 2**20:.0f} MB"
    one.assert_user_text_kept()


def test_panel_following_a_flooding_job_log_keeps_only_its_tail(tmp_path, studio):
    one = studio(LOCAL.read_text(encoding="utf-8") + NOTE)
    memory = PeakMemory()
    one.start(write_graph(tmp_path, [
        {"name": "flood", "kind": "generator", "count": 1,
         "command": job("flood.py", "--seconds", "3", "--max-mb", "512")},
    ]))
    one.wait(lambda: one.items_of("flood") and one.items_of("flood")[0].log_uri, "its log")
    one.panel.dots.sig_item_clicked.emit(one.items_of("flood")[0].id)  # the user clicks it
    assert one.panel.details.item_id == one.items_of("flood")[0].id
    status = _finish(one)
    growth = memory.stop()
    assert status == "succeeded"
    text = one.panel.details.log_text()
    # the newest part, to the end of the log as the cook capped it (scheduler_studio.engine.cook.logcap)
    assert len(text) <= LOG_CAP_CHARS and text.endswith(NOTE_AT_CUT.format(cap=LOG_CAP_BYTES))
    assert growth < 150 * 2**20, f"the window grew by {growth / 2**20:.0f} MB"
    one.assert_user_text_kept()
    for log in Path(one.panel.state.workdir).glob("pdgtemp/*/logs/*.log"):
        log.unlink()  # hundreds of MB: not for the temp folder to keep


# -- threads left running ------------------------------------------------------------------------

def test_panel_a_callback_that_leaks_threads_still_ends(tmp_path, studio):
    one = studio((SCHEDULERS / "leaky.py").read_text(encoding="utf-8") + NOTE)
    one.start(write_graph(tmp_path, [{"name": "gen", "kind": "generator", "count": 3,
                                      "command": "true"}]))
    status = _finish(one)
    assert status == "succeeded" and not one.panel.is_cooking()
    assert one.panel.counts.status_text() == "Cook succeeded"
    assert "still run (leaked-" in one.panel.log_text()
    one.assert_user_text_kept()


# -- a full disk ----------------------------------------------------------------------------------

def test_panel_a_full_disk_fails_items_then_refuses_to_cook_and_says_why(tmp_path, small_disk,
                                                                        monkeypatch, studio):
    # the panel's scratch folder (module copy, working dirs) lives where temp files go
    monkeypatch.setattr(tempfile, "tempdir", str(small_disk.path))
    one = studio(LOCAL.read_text(encoding="utf-8") + NOTE)
    graph = write_graph(tmp_path, [
        {"name": "fill", "kind": "generator", "count": 2,
         "outputs": ["__PDG_DIR__/out/{index}.bin"],
         "command": job("fill.py", "{out}", "1.2")},
    ])
    one.start(graph, max_jobs=1)  # one job at a time
    assert _finish(one) == "failed"
    assert one.panel.counts.status_text() == "Cook failed"
    states = sorted(r.state for r in one.items_of("fill"))
    assert states == ["CookedFail", "CookedSuccess"]
    [failed] = [r for r in one.items_of("fill") if r.state == "CookedFail"]
    one.panel.dots.sig_item_clicked.emit(failed.id)
    one.wait(lambda: "No space left on device" in one.panel.details.log_text(), "its log")
    one.assert_user_text_kept()

    small_disk.fill()  # now not even the module can be written for the next cook
    one.qtbot.mouseClick(one.panel.cook_button, Qt.MouseButton.LeftButton)
    assert not one.panel.is_cooking()
    assert "No space left on device" in one.panel.counts.status_text() + one.panel.log_text()
    assert one.panel.cook_button.isEnabled()
    one.assert_user_text_kept()


# -- the real editor window ------------------------------------------------------------------

@pytest.fixture
def editor_window(qtbot, tmp_path, monkeypatch):
    """The main window on the Local template, its cook panel attached."""
    from scheduler_studio.engine.codegen import parse

    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, parse(LOCAL.read_bytes()),
                                  theme="light", size=(1300, 900),
                                  timeout_ms=COOK_MS) as window_and_panel:
        yield window_and_panel


def test_window_unsaved_edits_survive_a_killed_cook_host(tmp_path, qtbot, marker, editor_window):
    window, panel = editor_window
    editor = window.editor_for("callback:onSchedule")
    window.go_to("callback:onSchedule", 1)
    qtbot.keyClicks(editor, "# typed, not saved ")  # the user edits, and does not save
    qtbot.waitUntil(lambda: "# typed, not saved" in window.document_model.rendered()[0])
    typed, rendered = editor.text(), window.document_model.rendered()[0]
    assert window.isWindowModified()

    panel.refresh_parameters()
    panel.options.set_parameter_value("max_jobs", "2")
    panel.set_graph(write_graph(tmp_path, [
        {"name": "wait", "kind": "generator", "count": 2, "command": job("sleeper.py", marker)},
    ]))
    qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(with_marker(marker)) == 2, timeout=COOK_MS)
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_MS) as blocker:
        os.kill(panel.host.pid, signal.SIGKILL)
    assert blocker.args == ["crashed"]
    assert panel.counts.status_text() == "The cook host crashed"
    assert with_marker(marker) == []
    assert editor.text() == typed and window.document_model.rendered()[0] == rendered
    assert window.isWindowModified()

    # the next cook, of the same unsaved text, works
    panel.set_graph(write_graph(tmp_path, [{"name": "quick", "kind": "generator", "count": 2,
                                            "command": "true"}], "quick"))
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_MS) as blocker:
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["succeeded"]
    assert editor.text() == typed and window.isWindowModified()
