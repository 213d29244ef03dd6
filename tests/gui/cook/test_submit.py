"""Submit As Job: the tab, the status link it polls, and the answer parsing."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from scheduler_studio.gui.cook.submit_job import SubmitJobWidget
from scheduler_studio.gui.cook.submit_runner import SUBMIT_FLAG, parse_submit_result, supported
from tests.gui.cook.conftest import document_module

SUBMIT_BODY = ("import os\n"
               "path = os.path.join(self.workingDir(True), 'job_status.txt')\n"
               "with open(path, 'w') as status:\n"
               "    status.write('queued: %s %s' % (os.path.basename(graph_file), node_path))\n"
               "return ('file://' + path, 'job42')")


@pytest.mark.parametrize("text, expected", [
    ("('file:///tmp/s.txt', 'job7')", ("file:///tmp/s.txt", "job7")),
    ("'http://farm/status/3'", ("http://farm/status/3", "")),
    ("['http://farm/3', 12]", ("http://farm/3", "12")),
    ("None", ("", "")), (None, ("", "")), ("<object at 0x1>", ("", "")),
])
def test_parse_submit_result(text, expected):
    assert parse_submit_result(text) == expected


def test_status_link_is_shown_and_polled(qtbot, tmp_path):
    widget = SubmitJobWidget()
    qtbot.addWidget(widget)
    widget._poller._timer.setInterval(100)
    status = tmp_path / "status.txt"
    status.write_text("queued\n")
    widget.set_result(status.as_uri(), "job7")
    assert "job7" in widget.message_text()
    assert status.as_uri() in widget._link.text()
    qtbot.waitUntil(lambda: widget.status_text() == "queued")
    status.write_text("running on node12\n")
    qtbot.waitUntil(lambda: widget.status_text() == "running on node12", timeout=5000)
    qtbot.mouseClick(widget._poll, Qt.MouseButton.LeftButton)      # stop polling
    assert not widget._poller._timer.isActive()
    widget.stop()


def test_submit_as_job_links_and_polls_the_status(qtbot, make_panel):
    text, line_map = document_module(submitAsJob=SUBMIT_BODY)
    panel = make_panel(lambda: (text, line_map))
    panel.set_graph("frames")
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert panel.tabs.currentWidget() is panel.submit
    qtbot.waitUntil(lambda: "job42" in panel.submit.message_text(), timeout=30_000)
    assert "job_status.txt" in panel.submit._link.text()
    qtbot.waitUntil(lambda: panel.submit.status_text() == "queued: frames.json /obj/topnet1",
                    timeout=5000)
    qtbot.waitUntil(lambda: not panel.session.is_submitting(), timeout=10_000)
    assert panel.submit._submit.isEnabled()
    panel.submit.stop()


def test_submit_as_job_that_raises_says_why(qtbot, make_panel):
    text, line_map = document_module(submitAsJob="raise RuntimeError('no farm today')")
    panel = make_panel(lambda: (text, line_map))
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no farm today" in panel.submit.message_text(), timeout=30_000)
    qtbot.waitUntil(lambda: not panel.session.is_submitting(), timeout=10_000)
    assert panel.submit._submit.isEnabled()


def test_submit_without_the_engine_mode_explains(qtbot, make_panel, monkeypatch):
    from scheduler_studio.gui.cook import submit_runner
    monkeypatch.setattr(submit_runner, "supported", lambda: False)
    text, line_map = document_module(submitAsJob=SUBMIT_BODY)
    panel = make_panel(lambda: (text, line_map))
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert SUBMIT_FLAG in panel.submit.message_text()
    assert panel.submit._submit.isEnabled()


def test_engine_has_the_submit_mode():
    assert supported()
