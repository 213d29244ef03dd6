"""Find/replace bar: open/close keys, counting, wrap-around, toggles, replace."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from scheduler_studio.gui.editor.indicators import INDIC_FIND, INDIC_FIND_CURRENT

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXT = "item = 1\nitems = [item, Item]\nprint(item)\n"


def _selected(editor) -> str:
    return bytes(editor.getSelText()).decode()


@pytest.fixture
def bar_editor(make_editor, qtbot):
    editor = make_editor(TEXT)
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    bar = editor.find_bar()
    qtbot.waitUntil(bar.find_edit.hasFocus)
    return editor, bar


def test_ctrl_f_opens_and_esc_closes(bar_editor, qtbot):
    editor, bar = bar_editor
    assert bar.isVisible()
    assert not bar.replace_edit.isVisible()
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    qtbot.waitUntil(editor.hasFocus)


def test_ctrl_h_shows_replace_row(make_editor, qtbot):
    editor = make_editor(TEXT)
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    assert editor.find_bar().replace_edit.isVisible()


def test_typing_counts_and_selects_first_match(bar_editor, qtbot):
    editor, bar = bar_editor
    qtbot.keyClicks(bar.find_edit, "item")
    assert bar.count_text() == "1 of 5"  # case-insensitive: "items" and "Item" count
    assert _selected(editor) == "item"
    assert editor.selectionStart() == 0
    assert editor.indicatorValueAt(INDIC_FIND, editor.positionFromLine(2) + 6) == 1


def test_enter_next_shift_enter_previous_with_wrap(bar_editor, qtbot):
    editor, bar = bar_editor
    bar.case_button.click()
    bar.word_button.click()
    qtbot.keyClicks(bar.find_edit, "item")
    assert bar.count_text() == "1 of 3"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert bar.count_text() == "2 of 3"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert bar.count_text() == "3 of 3"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert bar.count_text() == "1 of 3"  # wrapped to the first
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return, SHIFT)
    assert bar.count_text() == "3 of 3"  # wrapped back to the last
    assert editor.lineFromPosition(editor.selectionStart()) == 2
    assert editor.indicatorValueAt(INDIC_FIND_CURRENT, editor.selectionStart()) == 1
    assert editor.indicatorValueAt(INDIC_FIND_CURRENT, 0) == 0  # only the current one
    assert editor.text() == TEXT  # Enter in the bar never reaches the editor


def test_match_case_toggle(bar_editor, qtbot):
    _, bar = bar_editor
    qtbot.keyClicks(bar.find_edit, "Item")
    assert bar.count_text().endswith("of 5")
    bar.case_button.click()
    assert bar.count_text() == "1 of 1"


def test_no_results_and_invalid_regex(bar_editor, qtbot):
    _, bar = bar_editor
    qtbot.keyClicks(bar.find_edit, "zzz")
    assert bar.count_text() == "No results"
    bar.find_edit.clear()
    bar.regex_button.click()
    qtbot.keyClicks(bar.find_edit, "item[")
    assert bar.count_text() == "Invalid pattern"


def test_regex_search_and_replace_all_with_groups(make_editor, qtbot):
    editor = make_editor(TEXT)
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    bar = editor.find_bar()
    bar.regex_button.click()
    bar.case_button.click()
    qtbot.keyClicks(bar.find_edit, r"\bitem(s?)\b")
    assert bar.count_text() == "1 of 4"
    qtbot.keyClicks(bar.replace_edit, r"work_item\1")
    qtbot.mouseClick(bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert editor.text() == ("work_item = 1\nwork_items = [work_item, Item]\n"
                             "print(work_item)\n")
    assert bar.count_text() == "Replaced 4"
    editor.undo()  # one undo step for the whole replace-all
    assert editor.text() == TEXT
    qtbot.waitUntil(lambda: bar.count_text() in ("4 matches", "1 of 4"))  # searched again


def test_replace_one_then_next(make_editor, qtbot):
    editor = make_editor("a b a b a\n")
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    bar = editor.find_bar()
    qtbot.keyClicks(bar.find_edit, "a")
    qtbot.keyClicks(bar.replace_edit, "xyz")
    qtbot.keyClick(bar.replace_edit, Qt.Key.Key_Return)
    assert editor.text() == "xyz b a b a\n"
    assert bar.count_text() == "1 of 2"  # now on the next "a"
    qtbot.mouseClick(bar.replace_button, Qt.MouseButton.LeftButton)
    assert editor.text() == "xyz b xyz b a\n"


def test_find_seeds_from_selection_and_f3_continues(make_editor, qtbot):
    editor = make_editor(TEXT + "print(items)\n")
    editor.setSel(editor.positionFromLine(2), editor.positionFromLine(2) + 5)  # "print"
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    bar = editor.find_bar()
    assert bar.find_edit.text() == "print"
    assert bar.count_text() == "1 of 2"  # the selected one, not the next
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    qtbot.keyClick(editor, Qt.Key.Key_F3)
    assert _selected(editor) == "print"
    assert editor.lineFromPosition(editor.selectionStart()) == 3


def test_count_follows_edits_in_the_editor(bar_editor, qtbot):
    editor, bar = bar_editor
    qtbot.keyClicks(bar.find_edit, "print")
    assert bar.count_text() == "1 of 1"
    editor.gotoPos(editor.textLength())
    editor.replaceSel("print()\n")
    qtbot.waitUntil(lambda: bar.count_text().endswith("of 2") or bar.count_text() == "2 matches")
