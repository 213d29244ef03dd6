"""Edit and View commands that act on "the" editor: the one focused last.

Menu items and window shortcuts need an editor to act on when the focus is
in the Problems list or a header field; this keeps track of it. Zoom is
window-wide: zooming one editor zooms them all, so sections stay aligned.
"""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QToolTip, QWidget

MAX_ZOOM, MIN_ZOOM = 20, -8


class EditorCommands(QObject):
    """Knows every CodeSection's editor and which one the user is in."""

    sig_cursor_moved = Signal(int, int)
    """The current editor's caret: 1-based line, 0-based column."""

    sig_zoom_changed = Signal(int)
    """The window-wide zoom level changed."""

    def __init__(self, window: QWidget, fallback: Callable[[], object],
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._window = window
        self._fallback = fallback
        self._sections: list = []
        self._editors: set = set()
        self._current = None
        self._zoom = 0
        self._syncing = False
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def detach(self) -> None:
        QApplication.instance().focusChanged.disconnect(self._on_focus_changed)

    def register(self, section) -> None:
        """A new section: follow its editor's focus, caret and zoom."""
        self._sections.append(section)
        editor = section.editor
        self._editors.add(editor)
        if self._zoom:
            self._set_zoom_of(editor, self._zoom)
        editor.zoom.connect(lambda *_args, e=editor: self._on_editor_zoom(e))
        editor.sig_cursor_moved.connect(
            lambda line, column, e=editor: self._on_cursor(e, line, column))

    def current_editor(self):
        """The CodeEditor focused last (or the first of the page on show), or None."""
        if self._current is not None and self._current.isVisible():
            return self._current
        return self._fallback()

    def current_section(self):
        editor = self.current_editor()
        return next((s for s in self._sections if s.editor is editor), None)

    def zoom_level(self) -> int:
        return self._zoom

    # -- commands --------------------------------------------------------------------
    def undo(self) -> None:
        self._with_editor(lambda e: e.undo())

    def redo(self) -> None:
        self._with_editor(lambda e: e.redo())

    def go_to_definition(self) -> None:
        self._with_editor(lambda e: e.go_to_definition())

    def find(self) -> None:
        self._with_editor(lambda e: e.show_find_bar(replace=False))

    def replace(self) -> None:
        self._with_editor(lambda e: e.show_find_bar(replace=not e.is_read_only()))

    def go_to_line(self) -> None:
        editor = self.current_editor()
        if editor is None:
            return
        current = editor.lineFromPosition(editor.currentPos()) + 1
        line, ok = QInputDialog.getInt(self._window, "Go to Line",
                                       f"Line (1–{editor.lineCount()}):", current, 1,
                                       max(editor.lineCount(), 1))
        if ok:
            editor.go_to_line(line)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom - 1)

    def zoom_reset(self) -> None:
        self.set_zoom(0)

    def set_zoom(self, level: int) -> None:
        level = max(MIN_ZOOM, min(MAX_ZOOM, level))
        self._syncing = True
        try:
            for section in self._sections:
                self._set_zoom_of(section.editor, level)
        finally:
            self._syncing = False
        if level != self._zoom:
            self._zoom = level
            self.sig_zoom_changed.emit(level)

    def callback_help(self) -> None:
        """Show the help of the section being edited, next to its title."""
        section = self.current_section()
        if section is None:
            return
        section.help_button.setChecked(True)
        QToolTip.showText(section.title.mapToGlobal(QPoint(0, section.title.height())),
                          section.spec().help, section.title)

    # -- tracking --------------------------------------------------------------------
    def _with_editor(self, action) -> None:
        editor = self.current_editor()
        if editor is not None:
            action(editor)

    def _on_focus_changed(self, _old, new) -> None:
        widget = new
        while widget is not None and widget not in self._editors:
            widget = widget.parentWidget()
        if widget is not None and widget.window() is self._window:
            self._current = widget
            pos = widget.currentPos()
            self.sig_cursor_moved.emit(widget.lineFromPosition(pos) + 1, widget.column(pos))

    def _on_cursor(self, editor, line: int, column: int) -> None:
        if editor is self._current:
            self.sig_cursor_moved.emit(line, column)

    def _on_editor_zoom(self, editor) -> None:
        if not self._syncing:
            self.set_zoom(editor.zoom_level())

    @staticmethod
    def _set_zoom_of(editor, level: int) -> None:
        if editor.zoom_level() != level:
            editor.setZoom(level)
