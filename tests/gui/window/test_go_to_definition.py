"""Go to definition across the window: F12 in a callback shows the field that defines the name."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from scheduler_studio.gui.window import fields
from tests.gui.window.conftest import focus, type_text

ON_SCHEDULE = fields.callback_field("onSchedule")


def _caret(editor) -> tuple[int, int]:
    pos = editor.currentPos()
    return editor.lineFromPosition(pos) + 1, editor.column(pos)


def _line_of(editor, text: str) -> int:
    return next(i for i, line in enumerate(editor.text().split("\n"), 1) if line.startswith(text))


def test_f12_on_a_member_shows_the_class_members_editor_at_its_def(window, qtbot):
    editor = window.editor_for(ON_SCHEDULE)
    line = _line_of(editor, "if not self._enqueue(")
    editor.go_to_line(line, editor.text().split("\n")[line - 1].index("_enqueue") + 2)
    focus(editor)
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    members = window.editor_for(fields.EXTRA_MEMBERS)
    target = _line_of(members, "def _enqueue(")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is members, timeout=30000)
    assert _caret(members) == (target, 4)
    assert members.isVisible()
    window.completion.wait_for_done(30000)


def test_f12_on_a_prelude_helper_and_a_constant_typed_in_a_callback(window, qtbot):
    prelude = window.editor_for(fields.PRELUDE)
    focus(prelude)
    prelude.documentEnd()
    type_text(qtbot, prelude, "\nRETRIES = 3\n\n\ndef helper(item):\nreturn item")
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    editor.go_to_line(1)
    type_text(qtbot, editor, "helper(RETRIES)\n")
    editor.go_to_line(1, 2)
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is prelude, timeout=30000)
    assert _caret(prelude) == (_line_of(prelude, "def helper("), 4)
    focus(editor)
    editor.go_to_line(1, 9)
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: _caret(prelude) == (_line_of(prelude, "RETRIES = 3"), 0)
                    and QApplication.focusWidget() is prelude, timeout=30000)
    window.completion.wait_for_done(30000)
