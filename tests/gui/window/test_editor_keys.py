"""The window's editors: every Edit-menu key works in them; the status bar follows the caret."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from scheduler_studio.gui.editor import shortcuts
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.actions import ACTIONS, key_sequences
from tests.gui.window.conftest import focus, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ON_SCHEDULE = fields.callback_field("onSchedule")


def _press(sequence) -> QKeyEvent:
    combo = sequence[0]
    return QKeyEvent(QEvent.Type.KeyPress, combo.key(), combo.keyboardModifiers())


def test_every_redo_key_the_menu_shows_redoes_in_an_editor(window, qtbot):
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    editor.documentEnd()
    before = editor.text()
    redo = next(spec for spec in ACTIONS if spec.key == "edit/redo")
    typed = [s for s in key_sequences(redo) if s.toString() in ("Ctrl+Y", "Ctrl+Shift+Z")]
    assert len(typed) == 2  # what Edit > Redo lists on this platform
    for sequence in typed:
        editor.documentEnd()
        type_text(qtbot, editor, "\nx = 1")
        qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
        qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
        assert editor.text() == before
        combo = sequence[0]
        qtbot.keyClick(editor, combo.key(), combo.keyboardModifiers())
        qtbot.keyClick(editor, combo.key(), combo.keyboardModifiers())
        assert editor.text() == before + "\nx = 1", sequence.toString()
        assert window.document_model.value(ON_SCHEDULE) == editor.text()
        editor.set_text(before)


def test_menu_keys_the_editor_claims_are_ones_it_runs(window):
    """A key the editor takes from the window (ShortcutOverride) must do something there."""
    editor = window.editor_for(ON_SCHEDULE)
    for spec in ACTIONS:
        for sequence in key_sequences(spec):
            if sequence.count() != 1:
                continue
            event = _press(sequence)
            if not shortcuts.is_editing_key(event):
                continue  # the window's action runs
            command = shortcuts.editing_command(event)
            action = shortcuts.action_for(event)
            assert command is not None or action in editor._ACTIONS, (spec.key, sequence.toString())
            if command is not None:
                assert callable(getattr(editor, command))


def test_status_line_follows_typing_and_undo(window, qtbot):
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    qtbot.waitUntil(lambda: window.editors.current_editor() is editor, timeout=3000)
    editor.documentEnd()
    type_text(qtbot, editor, "\nwork_i")
    pos = editor.currentPos()
    line = editor.lineFromPosition(pos) + 1
    assert window.status.position.text() == f"Ln {line}, Col 7"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    pos = editor.currentPos()
    assert window.status.position.text() == \
        f"Ln {editor.lineFromPosition(pos) + 1}, Col {editor.column(pos) + 1}"
    window.editors.redo()  # Edit > Redo
    assert window.status.position.text() == f"Ln {line}, Col 7"
