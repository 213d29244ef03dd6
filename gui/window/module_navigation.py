"""Moving around the whole module: Find in Module (Ctrl+Shift+F) and Go to Member
(Ctrl+Shift+O). Made on first use; the find panel docks on the window's right."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDockWidget

FIND_WIDTH = 360


class ModuleNavigation(QObject):
    """The window's module-wide find dock and member list."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self.find_dock: Optional[QDockWidget] = None
        self.find = None
        self.member_list = None

    def find_in_module(self) -> None:
        """Open the find panel, seeded with the focused editor's selection."""
        window = self._window
        seed = _selected_text()
        if self.find is None:
            from scheduler_studio.gui.window.module_find import ModuleFind

            self.find = ModuleFind(window.document_model.value)
            self.find.sig_hit_activated.connect(self.open_hit)
            window.document_model.sig_field_changed.connect(self.find.document_changed)
            window.document_model.sig_document_reset.connect(self.find.document_changed)
            dock = self.find_dock = QDockWidget("Find in Module", window)
            dock.setObjectName("moduleFindDock")
            dock.setWidget(self.find)
            window.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea)
            if not window.dock_restored(dock):
                window.resizeDocks([dock], [FIND_WIDTH], Qt.Orientation.Horizontal)
        self.find_dock.show()
        self.find_dock.raise_()
        self.find.start(seed)

    def open_hit(self, field: str, hit) -> None:
        """Show a hit: its tab, its editor, the match selected."""
        window = self._window
        if not window.go_to(field, hit.line, hit.column):
            return
        editor = window.editor_for(field)
        start = editor.positionFromLine(hit.line - 1) + len(hit.text[:hit.column].encode())
        length = len(hit.text[hit.column:hit.column + hit.length].encode())
        editor.setSel(start, start + length)

    def go_to_member(self):
        """The member list over the window (returned, open)."""
        from scheduler_studio.gui.window.member_list import open_member_list

        window = self._window
        self.member_list = open_member_list(window, window.document_model.value, window.go_to)
        return self.member_list

    def stop(self) -> None:
        if self.find is not None:
            self.find.stop()


def _selected_text() -> str:
    """A one-line selection in the focused editor, else ""."""
    widget = QApplication.focusWidget()
    if widget is None or not hasattr(widget, "getSelText"):
        return ""
    text = bytes(widget.getSelText()).decode("utf-8", "replace")
    return text if text and "\n" not in text else ""
