"""The Problems dock the user opened stays open when the last problem goes: it says
"No problems" until the user closes it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from scheduler_studio.gui.window import fields
from tests.gui.window.conftest import focus, type_text, wait_checked

ON_SCHEDULE = fields.callback_field("onSchedule")


def _no_problems_shown(window) -> bool:
    label = window.problems_panel.findChild(QLabel, "noProblems")
    return label is not None and label.isVisible() and label.text().startswith("No problems")


def _break_and_fix(qtbot, window) -> None:
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\nundefined_thing")
    qtbot.waitUntil(lambda: window.status.checks.text() == "1 warning", timeout=10000)
    for _ in range(len("undefined_thing")):
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    type_text(qtbot, editor, "pass")
    qtbot.waitUntil(lambda: window.status.checks.text() == "No problems", timeout=10000)
    wait_checked(qtbot, window)


def test_problems_opened_while_empty_stays_open_through_a_problem(window, qtbot):
    wait_checked(qtbot, window)
    dock = window.problems_dock
    assert dock.isHidden()
    qtbot.mouseClick(window.status.checks, Qt.MouseButton.LeftButton)  # "No problems"
    assert dock.isVisible() and _no_problems_shown(window)
    _break_and_fix(qtbot, window)
    assert dock.isVisible() and window.actions["view/problems"].isChecked()
    assert _no_problems_shown(window)
    assert dock.windowTitle() == "Problems"


def test_problems_opened_on_a_warning_stays_open_when_it_is_fixed(window, qtbot):
    wait_checked(qtbot, window)
    dock = window.problems_dock
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\nundefined_thing")
    qtbot.waitUntil(lambda: window.status.checks.text() == "1 warning", timeout=10000)
    qtbot.keyClick(editor, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)   # View › Problems
    assert dock.isVisible()
    focus(editor)
    for _ in range(len("undefined_thing")):
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    type_text(qtbot, editor, "pass")
    qtbot.waitUntil(lambda: window.status.checks.text() == "No problems", timeout=10000)
    wait_checked(qtbot, window)
    assert dock.isVisible() and _no_problems_shown(window)
    # closed by the user, it stays closed
    qtbot.keyClick(editor, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert dock.isHidden()
    _break_and_fix(qtbot, window)
    assert dock.isHidden()
