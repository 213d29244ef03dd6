"""The window's actions: standard shortcuts, none taken twice, and a few at work."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from scheduler_studio.gui.window.actions import ACTIONS, key_sequences

SHARED_WITH_EDITOR = {"edit/find", "edit/replace", "edit/undo", "edit/redo",
                      "view/zoom_in", "view/zoom_out", "view/zoom_reset"}


def test_no_shortcut_is_bound_twice(qapp):  # standard keys need the platform theme
    seen = {}
    for spec in ACTIONS:
        for sequence in key_sequences(spec):
            text = sequence.toString()
            assert text not in seen, f"{text} is {seen.get(text)} and {spec.key}"
            seen[text] = spec.key
    assert seen[QKeySequence(QKeySequence.StandardKey.Save).toString()] == "file/save"
    assert seen["Ctrl+E"] == "file/save_to_python"


def test_ctrl_page_down_and_f1(window, qtbot):
    window.activateWindow()
    qtbot.keyClick(window.tabs, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1
    editor = window.editor_for("callback:workingDir")
    editor.go_to_line(1)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=3000)
    window.actions["help/callback"].trigger()
    section = window.pages["File Paths"].section("callback:workingDir")
    assert section.help_text.isVisible()


def test_zoom_from_the_menu_zooms_every_editor(window):
    window.actions["view/zoom_in"].trigger()
    first = window.editor_for("callback:onSchedule")
    other = window.editor_for("callback:getLogURI")
    assert first.zoom_level() == other.zoom_level() == 1
    window.actions["view/zoom_reset"].trigger()
    assert first.zoom_level() == 0
