"""Opening another file empties the debugger: no evaluate output, stack or locals of the
file shown before."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from scheduler_studio.engine.codegen.starters import new_document
from scheduler_studio.gui.window import prompts
from tests.gui.cook.conftest import COOK_TIMEOUT_MS, editor_window_with_panel
from tests.gui.cook.test_debugger import _click_margin, _line_of
from tests.gui.window.test_file_ops import Recorder

ON_SCHEDULE = "callback:onSchedule"

OTHER = '''\
import pdg
from pdg.scheduler import PyScheduler


class OtherScheduler(PyScheduler):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(OtherScheduler, label="Other")
'''


def _open(window, monkeypatch, path) -> None:
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *args: "discard")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(path), "")))
    window.actions["file/open"].trigger()
    assert window.document_model.path() == path


def _pause_and_evaluate(qtbot, window, panel):
    editor = window.editor_for(ON_SCHEDULE)
    _click_margin(qtbot, editor, _line_of(editor, "if not self._enqueue(work_item):"))
    panel.set_graph("frames")
    qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
    view = panel.debugger
    qtbot.waitUntil(view.is_paused, timeout=COOK_TIMEOUT_MS)
    view.prompt.setText("work_item.name")
    qtbot.keyClick(view.prompt, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "render_" in view.output.toPlainText(), timeout=5000)
    assert view.stack.count() and view.locals.topLevelItemCount()
    return view


def test_opening_another_file_after_the_cook_clears_the_evaluate_output(
        qtbot, tmp_path, monkeypatch):
    other = tmp_path / "other.py"
    other.write_text(OTHER, encoding="utf-8")
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, new_document("dbg", "Debugged"),
                                  theme="light", size=(1280, 800)) as (window, panel):
        view = _pause_and_evaluate(qtbot, window, panel)
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS):
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert "render_" in view.output.toPlainText()   # kept while this file shows
        _open(window, monkeypatch, other)
        assert view.output.toPlainText() == ""
        assert view.stack.count() == 0 and view.locals.topLevelItemCount() == 0


def test_opening_another_file_while_paused_clears_stack_locals_and_output(
        qtbot, tmp_path, monkeypatch):
    other = tmp_path / "other.py"
    other.write_text(OTHER, encoding="utf-8")
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, new_document("dbg", "Debugged"),
                                  theme="light", size=(1280, 800)) as (window, panel):
        view = _pause_and_evaluate(qtbot, window, panel)
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS):
            _open(window, monkeypatch, other)
        assert view.output.toPlainText() == ""
        assert view.stack.count() == 0 and view.locals.topLevelItemCount() == 0
        assert not view.is_paused()
