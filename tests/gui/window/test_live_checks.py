"""Typing into a callback editor marks problems in the right editor, line and list row."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from scheduler_studio.gui.editor.margins import MARKER_ERROR
from scheduler_studio.gui.window import fields
from tests.gui.window.conftest import focus, type_text, wait_checked

ON_SCHEDULE = fields.callback_field("onSchedule")
WORKING_DIR = fields.callback_field("workingDir")


def _end_of(editor) -> None:
    editor.documentEnd()


def test_syntax_error_is_marked_on_its_line_in_its_editor(window, qtbot):
    wait_checked(qtbot, window)
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    _end_of(editor)
    lines_before = editor.lineCount()
    type_text(qtbot, editor, "\nif work_item.index > 2")  # no colon
    line = lines_before + 1
    qtbot.waitUntil(lambda: any(p.line == line for p in editor.problems()), timeout=5000)
    problem = next(p for p in editor.problems() if p.line == line)
    assert problem.severity == "error"
    assert editor.markerGet(line - 1) & (1 << MARKER_ERROR)
    # Only that editor shows it; the Problems list has a row that names the place.
    assert not window.editor_for(fields.callback_field("onTick")).problems()
    rows = window.problems_model.problems()
    assert [(p.field, p.line) for p in rows if p.is_syntax] == [(ON_SCHEDULE, line)]
    assert "⚠" in window.tabs.tabText(0) and "•" in window.tabs.tabText(0)
    # Typing the colon clears it.
    type_text(qtbot, editor, ":\npass")
    qtbot.waitUntil(lambda: not editor.problems(), timeout=5000)
    wait_checked(qtbot, window)
    assert not [p for p in window.problems_model.problems() if p.field == ON_SCHEDULE]


def test_pyflakes_warning_on_another_tab_and_a_click_jumps_there(window, qtbot):
    editor = window.editor_for(WORKING_DIR)  # File Paths tab, not on show
    assert window.tabs.currentIndex() == 0
    editor.set_text('value = undefined_thing\nreturn value\n')
    window.document_model.set_value(WORKING_DIR, editor.text())
    qtbot.waitUntil(lambda: any("undefined_thing" in p.message for p in editor.problems()),
                    timeout=10000)
    problem = next(p for p in editor.problems() if "undefined_thing" in p.message)
    assert (problem.line, problem.column, problem.severity) == (1, 8, "warning")
    assert "⚠1" in window.tabs.tabText(1)

    assert window.status.checks.text() == "1 warning"
    qtbot.mouseClick(window.status.checks, Qt.MouseButton.LeftButton)  # the count opens the list
    view = window.problems_panel.view()
    qtbot.waitUntil(view.isVisible, timeout=3000)
    row = next(i for i, p in enumerate(window.problems_model.problems())
               if "undefined_thing" in p.message)
    rect = view.visualRect(window.problems_model.index(row, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentWidget() is window.pages["File Paths"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=3000)
    assert editor.lineFromPosition(editor.currentPos()) == 0
    assert editor.column(editor.currentPos()) == 8


def test_problem_on_a_generated_line_is_listed_not_drawn(window, qtbot):
    window.header.edits["class_name"].setText("Bad Name")
    window.document_model.set_value("class_name", "Bad Name")
    qtbot.waitUntil(lambda: any(p.field == fields.HEADER for p in window.problems_model.problems()),
                    timeout=10000)
    problem = next(p for p in window.problems_model.problems() if p.field == fields.HEADER)
    assert problem.is_syntax and problem.module_line
    window.go_to_problem(problem)
    assert QApplication.focusWidget() is window.header.edits["class_name"]


def test_next_problem_walks_the_list(window, qtbot):
    for name in ("workingDir", "getLogURI"):
        editor = window.editor_for(fields.callback_field(name))
        editor.set_text("return missing_" + name)
    qtbot.waitUntil(lambda: len([p for p in window.problems_model.problems()
                                 if "missing_" in p.message]) == 2, timeout=10000)
    window.actions["edit/next_problem"].trigger()
    first = QApplication.focusWidget()
    window.actions["edit/next_problem"].trigger()
    second = QApplication.focusWidget()
    assert {first, second} == {window.editor_for(fields.callback_field("workingDir")),
                               window.editor_for(fields.callback_field("getLogURI"))}


def test_one_key_press_is_one_quick_check_of_what_it_left(window, qtbot):
    # Enter with auto-indent makes several edits; the check asked for sees them all.
    wait_checked(qtbot, window)
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    _end_of(editor)
    type_text(qtbot, editor, "\nif work_item.index > 2:")
    wait_checked(qtbot, window)
    sent = []
    original = window.lint._send
    window.lint._send = lambda request: (sent.append(request), original(request))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(sent), timeout=5000)
    QApplication.processEvents()
    quick = [r for r in sent if r["kind"] == "quick"]
    assert len(quick) == 1
    assert quick[0]["text"] == window.document_model.value(ON_SCHEDULE)
    assert quick[0]["text"].endswith(":\n    ")  # the new line and its indent, together
