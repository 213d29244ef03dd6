"""A callback that never returns or ends the host: the window says what happened as the
CLI does (which call, which line), whichever way the user stopped it.

From a trial: Pause then Cancel on a hung call lost the diagnosis (the host stopped in
the debugger's own code and had to be killed), a call that ran ``os._exit`` was shown as
a bare "crashed", and a hung call had two trace rows.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from scheduler_studio.engine.codegen.document import FrozenMap
from scheduler_studio.engine.codegen.starters import new_document
from scheduler_studio.gui.cook.look import STATE_COLOURS
from scheduler_studio.gui.window import fields
from tests.gui.cook.conftest import COOK_TIMEOUT_MS, editor_window_with_panel

ON_SCHEDULE = fields.callback_field("onSchedule")
SLEEPS = ("import time\n"
          "if work_item.index == 2:\n"
          "    time.sleep(1000)\n"
          "self.onWorkItemSucceeded(work_item.id, -1, 0.0)\n"
          "return pdg.scheduleResult.Succeeded\n")
EXITS = ("import os\n"
         "if work_item.index == 4:\n"
         "    os._exit(3)\n"
         "self.onWorkItemSucceeded(work_item.id, -1, 0.0)\n"
         "return pdg.scheduleResult.Succeeded\n")


def _document(body: str):
    doc = new_document("stuck", "Stuck")
    return replace(doc, bodies=FrozenMap({**doc.bodies, "onSchedule": body}))


def _press(qtbot, window, key) -> None:
    """A key as the user presses it: in the active window, where the focus is."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(QApplication.focusWidget() or window, key)


def _cook_problems(window) -> list:
    return [p for p in window.problems_model.problems() if p.from_cook]


def _rows(panel) -> list[tuple[str, str, str]]:
    model = panel.trace_model
    return [(model.index(r, 1).data(), model.index(r, 2).data(), model.index(r, 4).data())
            for r in range(model.rowCount())]


def _hang_and_stop(qtbot, window, panel, pause: bool) -> None:
    panel.set_graph("frames")
    window.go_to(ON_SCHEDULE, 1)
    _press(qtbot, window, Qt.Key.Key_F5)                       # Cook
    qtbot.waitUntil(lambda: any(e.slow for e in panel.trace_model.entries()),
                    timeout=COOK_TIMEOUT_MS)
    if pause:
        _press(qtbot, window, Qt.Key.Key_F6)                   # Pause
        assert panel.debugger.buttons["pause"].text() == "Don't Pause"
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args == ["cancelled"]


def _assert_cancelled_in_the_sleep(window, panel) -> None:
    status, counts = panel.counts.status_text(), panel.counts.counts_text()
    assert status == "Cook cancelled", status
    assert "2 succeeded" in counts and "0 cancelled" in counts, counts
    # nothing was cancelled: the bar ends grey, not in the cancelled items' purple
    highlight = panel.counts.progress.palette().color(QPalette.ColorRole.Highlight)
    assert highlight == QColor(STATE_COLOURS["waiting"]), highlight.name()
    bar = panel.error_bar.text()
    assert "onSchedule: still running on work item render_3 when the cook was cancelled" \
        in bar and "onSchedule, line 3" in bar, bar
    problems = _cook_problems(window)
    assert [(p.field, p.line) for p in problems] == [(ON_SCHEDULE, 3)], problems
    editor = window.editor_for(ON_SCHEDULE)
    assert [p.line for p in editor.problems() if p.from_cook] == [3]
    assert editor.markerGet(2)
    rows = _rows(panel)
    names = [name for name, _item, _outcome in rows]
    assert names[-2:] == ["onStopCook", "onStop"], rows
    hung = [r for r in rows if r[1] == "render_3"]
    assert len(hung) == 1, rows                      # one call, one row
    assert "stopped by the cancel" in hung[0][2], hung


def test_cancel_after_pause_on_a_hung_call_says_what_a_plain_cancel_says(
        qtbot, tmp_path, monkeypatch):
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _document(SLEEPS),
                                  theme="dark", size=(1280, 800)) as (window, panel):
        _hang_and_stop(qtbot, window, panel, pause=False)
        _assert_cancelled_in_the_sleep(window, panel)
        assert "killed" not in panel.log_text()
        _hang_and_stop(qtbot, window, panel, pause=True)
        _assert_cancelled_in_the_sleep(window, panel)
        assert "killed" not in panel.log_text()       # the host stopped as asked
        assert not panel.debugger.is_paused()


def test_a_call_that_ends_the_host_is_named_with_its_line_as_the_cli_does(
        qtbot, tmp_path, monkeypatch):
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _document(EXITS),
                                  theme="light", size=(1280, 800)) as (window, panel):
        panel.set_graph("frames")
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
            qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        assert done.args == ["crashed"]
        bar = panel.error_bar.text()
        assert "os._exit(3) called" in bar and "render_5" in bar, bar
        assert "onSchedule, line 3" in bar, bar
        problems = _cook_problems(window)
        assert [(p.field, p.line) for p in problems] == [(ON_SCHEDULE, 3)], problems
        assert "os._exit(3)" in problems[0].message
        editor = window.editor_for(ON_SCHEDULE)
        assert editor.markerGet(2)
        rows = _rows(panel)
        assert rows[-1][:2] == ("onSchedule", "render_5"), rows   # the call that ran
        assert "os._exit(3)" in rows[-1][2]
        assert len(rows) == panel.trace_model.total
        assert [r[:2] for r in rows].count(("onSchedule", "render_5")) == 1

        # the counts are the CLI's, for the same module
        module = panel.session.module_path
        cli = subprocess.run([sys.executable, "-m", "scheduler_studio.engine.cli", "cook",
                              module, "--graph", "frames", "--json"],
                             capture_output=True, text=True, timeout=120)
        items = json.loads(cli.stdout)["items"]
        counts = panel.counts.counts_text()
        for word in ("succeeded", "failed", "cancelled", "uncooked"):
            assert f" {items[word]} {word}" in counts, (word, counts, items)
        assert "scheduled" not in counts and "cooking" not in counts, counts
