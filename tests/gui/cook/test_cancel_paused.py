"""Cancelling a cook while it is paused at a breakpoint is the user's own stop: no error,
no squiggle, no Problem; the log says where it was paused."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from scheduler_studio.engine.codegen.document import FrozenMap
from scheduler_studio.engine.codegen.starters import new_document
from scheduler_studio.gui.window import fields
from tests.gui.cook.conftest import COOK_TIMEOUT_MS, editor_window_with_panel
from tests.gui.cook.test_debugger import _click_margin

ON_START = fields.callback_field("onStart")
START_BODY = 'self.started = True\nself.note = "ready"\nreturn True\n'


def test_cancel_at_a_breakpoint_is_not_a_code_error(qtbot, tmp_path, monkeypatch):
    doc = new_document("stopper", "Stopper")
    doc = replace(doc, bodies=FrozenMap({**doc.bodies, "onStart": START_BODY}))
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, doc, theme="light",
                                  size=(1280, 800)) as (window, panel):
        qtbot.waitUntil(window.is_ready, timeout=10_000)
        editor = window.editor_for(ON_START)
        window.go_to(ON_START, 1)
        _click_margin(qtbot, editor, 2)
        assert [b.line for b in editor.breakpoints.breakpoints()] == [2]
        panel.set_graph("frames")
        qtbot.keyClick(editor, Qt.Key.Key_F5)           # F5: cook (nothing is paused)
        view = panel.debugger
        qtbot.waitUntil(view.is_paused, timeout=COOK_TIMEOUT_MS)
        qtbot.waitUntil(lambda: editor.breakpoints.paused_line() == 2, timeout=5000)
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert done.args[0] == "cancelled"
        qtbot.waitUntil(window.is_ready, timeout=10_000)

        assert not [p for p in editor.problems() if p.from_cook]      # no squiggle
        assert not bytes(editor.eOLAnnotationText(1)).decode()       # no annotation
        assert not [p for p in window.problems_model.problems() if p.from_cook]
        page = window.tabs.indexOf(window.pages["Initialization and Cleanup"])
        assert "⚠" not in window.tabs.tabText(page)
        assert "error" not in window.status.checks.text()
        assert not panel.error_bar.text() or "still running" not in panel.error_bar.text()
        log = panel.log_text()
        assert "cancelled while paused at onStart line 2" in log
        assert "still running" not in log
