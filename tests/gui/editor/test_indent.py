"""Indentation: Enter keeps/increases/decreases the indent, Tab and Shift+Tab use spaces."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from scheduler_studio.gui.editor.autoindent import next_line_indent


@pytest.mark.parametrize(("line", "expected"), [
    ("x = 1", 0),
    ("    x = 1", 4),
    ("if x:", 4),
    ("    for i in items:  # comment", 8),
    ("    return value", 0),
    ("        pass", 4),
    ("    raise ValueError('no')", 0),
    ("        break", 4),
    ("        continue", 4),
    ("    returned = 1", 4),
    ("    s = 'a:'", 4),
    ("    d = {", 8),
    ("    call(a,", 9),
    ("x = '#'  # ends with colon:", 0),
    ("", 0),
    ("        ", 8),
])
def test_next_line_indent_rules(line, expected):
    assert next_line_indent(line) == expected


def test_statement_spanning_lines_indents_from_its_first_line():
    assert next_line_indent("        b):", statement_start="    def f(a,") == 8


def test_enter_after_colon_indents_four_spaces(editor, qtbot):
    qtbot.keyClicks(editor, "if x:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "if x:\n    "
    qtbot.keyClicks(editor, "y = 1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "if x:\n    y = 1\n    "


def test_enter_after_return_dedents(editor, qtbot):
    qtbot.keyClicks(editor, "def f():")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "return 1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "def f():\n    return 1\n"


def test_enter_inside_open_call_aligns_with_bracket(editor, qtbot):
    qtbot.keyClicks(editor, "run(a,")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "b)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "run(a,\n    b)\n"


def test_else_lines_up_with_its_if_when_colon_typed(editor, qtbot):
    qtbot.keyClicks(editor, "if x:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "a = 1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "else:")
    assert editor.text() == "if x:\n    a = 1\nelse:"


def test_tab_inserts_four_spaces_never_a_tab(editor, qtbot):
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor, "x")
    assert editor.text() == "    x"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # mid-line: to the next tab stop
    assert editor.text() == "    x   "
    assert "\t" not in editor.text()


def test_tab_on_selection_indents_every_line(make_editor, qtbot):
    editor = make_editor("a\nb\nc\n")
    editor.setSel(0, editor.positionFromLine(2))
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "    a\n    b\nc\n"


def test_shift_tab_dedents_caret_line_and_selection(make_editor, qtbot):
    editor = make_editor("        a\n    b\nc\n")
    editor.gotoPos(editor.lineEndPosition(0))
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.text() == "    a\n    b\nc\n"
    editor.setSel(0, editor.lineEndPosition(2))
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.text() == "a\nb\nc\n"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.text() == "a\nb\nc\n"


def test_indent_and_dedent_are_single_undo_steps(editor, qtbot):
    qtbot.keyClicks(editor, "if x:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    editor.undo()
    assert editor.text() == "if x:"
