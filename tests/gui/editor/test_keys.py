"""Editing keys and the caret signal, pressed as a user presses them."""
from __future__ import annotations

from PySide6.QtCore import Qt

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_z_redoes_like_ctrl_y(editor, qtbot):
    qtbot.keyClicks(editor, "abc")
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == ""
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL | SHIFT)
    assert editor.text() == "abc"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Y, CTRL)
    assert editor.text() == "abc"


def test_the_caret_signal_follows_typing_and_undo_at_once(editor, qtbot):
    seen = []
    editor.sig_cursor_moved.connect(lambda line, column: seen.append((line, column)))
    qtbot.keyClicks(editor, "x = 1")
    assert seen[-1] == (1, 5)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert seen[-1] == (2, 0)
    qtbot.keyClicks(editor, "work_i")
    assert seen[-1] == (2, 6)
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    line, column = editor.lineFromPosition(editor.currentPos()) + 1, editor.column(editor.currentPos())
    assert seen[-1] == (line, column)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    pos = editor.currentPos()
    assert seen[-1] == (editor.lineFromPosition(pos) + 1, editor.column(pos))
