"""Find like an editor: Ctrl+F in the focused editor, Ctrl+Shift+F across the whole module
with hits that open in any tab, Ctrl+Shift+O to any callback or helper method."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from scheduler_studio.gui.window import fields
from tests.gui.window.conftest import focus, wait_checked

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ON_SCHEDULE = fields.callback_field("onSchedule")
WORKING_DIR = fields.callback_field("workingDir")  # on File Paths, not on show


def _set(window, field: str, text: str) -> None:
    window.document_model.set_value(field, text)


def _selected(editor) -> str:
    return bytes(editor.getSelText()).decode()


def test_ctrl_shift_f_finds_in_every_part_and_opens_a_hit_in_another_tab(window, qtbot):
    wait_checked(qtbot, window)
    _set(window, WORKING_DIR, "path = farm_root()\nreturn path\n")
    _set(window, fields.PRELUDE, window.document_model.value(fields.PRELUDE)
         + "\n\ndef farm_root():\n    return '/farm'\n")
    _set(window, fields.EXTRA_MEMBERS, "def _queue(self):\n    return farm_root() + '/q'\n")
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL_SHIFT)
    find = window.navigation.find
    assert find is not None and window.navigation.find_dock.isVisible()
    assert not editor.find_bar().isVisible()  # not the editor's own Ctrl+F
    qtbot.waitUntil(lambda: QApplication.focusWidget() is find.find_edit, timeout=3000)
    qtbot.keyClicks(find.find_edit, "farm_root")
    hits = find.hits()
    assert {field for field, _hit in hits} == {WORKING_DIR, fields.PRELUDE, fields.EXTRA_MEMBERS}
    assert find.count_label.text() == "3 in 3 parts"

    # click the hit on File Paths: its tab opens, its editor has the match selected
    group = next(find.results.topLevelItem(i) for i in range(find.results.topLevelItemCount())
                 if find.results.topLevelItem(i).child(0).data(0, Qt.ItemDataRole.UserRole)[0]
                 == WORKING_DIR)
    item = group.child(0)
    find.results.scrollToItem(item)
    rect = find.results.visualItemRect(item)
    qtbot.mouseClick(find.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentWidget() is window.pages["File Paths"]
    other = window.editor_for(WORKING_DIR)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is other, timeout=3000)
    assert _selected(other) == "farm_root"
    assert other.lineFromPosition(other.currentPos()) == 0


def test_the_hits_follow_edits_and_a_bad_pattern_says_so(window, qtbot):
    wait_checked(qtbot, window)
    window.actions["edit/find_in_module"].trigger()
    find = window.navigation.find
    find.regex_box.setChecked(True)
    qtbot.keyClicks(find.find_edit, "unique_[0-9]+")
    assert find.count_label.text() == "No results"
    _set(window, WORKING_DIR, "return 'unique_42'\n")
    qtbot.waitUntil(lambda: len(find.hits()) == 1, timeout=3000)
    find.find_edit.setText("unique_[")
    assert find.count_label.text() == "Invalid pattern"


def test_ctrl_f_still_searches_the_focused_editor(window, qtbot):
    wait_checked(qtbot, window)
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    qtbot.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert editor.find_bar().isVisible()
    assert window.navigation.find is None


def test_ctrl_shift_o_jumps_to_a_helper_method(window, qtbot):
    wait_checked(qtbot, window)
    _set(window, fields.EXTRA_MEMBERS, "X = 1\n\n\ndef _submit_to_farm(self, item):\n"
                                       "    return True\n")
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    qtbot.keyClick(editor, Qt.Key.Key_O, CTRL_SHIFT)
    members = window.navigation.member_list
    assert members is not None and members.isVisible()
    names = members.shown_names()
    assert "onSchedule" in names and "_submit_to_farm" in names
    qtbot.keyClicks(members.filter_edit, "submit_to")
    assert members.shown_names() == ["_submit_to_farm"]
    qtbot.keyClick(members.filter_edit, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.pages["Extra members"]
    extra = window.editor_for(fields.EXTRA_MEMBERS)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is extra, timeout=3000)
    assert extra.lineFromPosition(extra.currentPos()) == 3


def test_the_member_list_reaches_a_callback_on_another_tab(window, qtbot):
    wait_checked(qtbot, window)
    members = window.navigation.go_to_member()
    qtbot.keyClicks(members.filter_edit, "workingdir")
    assert members.shown_names() == ["workingDir"]
    qtbot.keyClick(members.filter_edit, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.pages["File Paths"]
