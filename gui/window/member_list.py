"""Go to a member (Ctrl+Shift+O): every callback, helper method, function and class.

`module_members` lists them from the document's fields (by their ``def``/``class``
lines, so a field with a syntax error still lists what it has); `MemberList` is the
popup: type to filter, Enter or a click to jump there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from scheduler_studio.gui.window import fields

_DEFINITION = re.compile(r"^(?P<indent>[ \t]*)(?:async[ \t]+)?(?P<kind>def|class)[ \t]+"
                         r"(?P<name>\w+)")
MEMBER_ROLE = Qt.ItemDataRole.UserRole
_MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


@dataclass(frozen=True)
class Member:
    name: str
    kind: str          # "callback", "method", "function", "class"
    field: str
    line: int          # 1-based, in the field's editor
    where: str         # the tab and section, as the user knows them
    empty: bool = False  # a callback with no body yet

    def label(self) -> str:
        note = " — empty" if self.empty else ""
        return f"{self.name}   {self.kind} · {self.where}{note}"


def module_members(value_of: Callable[[str], str]) -> list[Member]:
    """The members of the document, in page order."""
    found = []
    for callback in fields.tab_callbacks():
        field = fields.callback_field(callback.name)
        found.append(Member(callback.name, "callback", field, 1, fields.title_of(field),
                            not (value_of(field) or "").strip()))
    for field in (fields.EXTRA_MEMBERS, fields.PRELUDE, fields.TRAILER):
        for number, line in enumerate((value_of(field) or "").split("\n"), 1):
            match = _DEFINITION.match(line)
            if match is None:
                continue
            kind = match["kind"]
            if kind == "def":
                kind = "method" if field == fields.EXTRA_MEMBERS and not match["indent"] \
                    else "function"
            found.append(Member(match["name"], kind, field, number, fields.title_of(field)))
    return found


class MemberList(QDialog):
    """A filter field over the module's members; choosing one emits `sig_chosen`."""

    sig_chosen = Signal(object)
    """The user chose this Member."""

    def __init__(self, members: list[Member], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("memberList")
        self.setWindowTitle("Go to Member")
        self._members = members
        self.filter_edit = QLineEdit(self, placeholderText="Callback or helper name")
        self.filter_edit.installEventFilter(self)
        self.list = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        self.filter_edit.textChanged.connect(self._fill)
        self.filter_edit.returnPressed.connect(self._choose_current)
        self.list.itemActivated.connect(self._choose)
        self.list.itemClicked.connect(self._choose)
        self.resize(520, 420)
        self._fill()

    def shown_names(self) -> list[str]:
        return [self.list.item(i).data(MEMBER_ROLE).name for i in range(self.list.count())]

    def _fill(self, *_args) -> None:
        wanted = self.filter_edit.text().strip().lower()
        self.list.clear()
        for member in self._members:
            if wanted and wanted not in member.name.lower():
                continue
            item = QListWidgetItem(member.label(), self.list)
            item.setData(MEMBER_ROLE, member)
            if member.empty:
                item.setForeground(self.palette().placeholderText())
        if self.list.count():
            self.list.setCurrentRow(0)

    def _choose_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item: QListWidgetItem) -> None:
        member = item.data(MEMBER_ROLE)
        self.accept()
        self.sig_chosen.emit(member)

    def eventFilter(self, watched, event) -> bool:
        """Up/Down in the filter field move through the list."""
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress \
                and event.key() in _MOVE_KEYS:
            self.list.keyPressEvent(event)
            return True
        return super().eventFilter(watched, event)


def open_member_list(window, value_of: Callable[[str], str],
                     go_to: Callable[[str, int], object]) -> Optional[MemberList]:
    """Show the member list over `window`; a choice jumps there with `go_to`."""
    dialog = MemberList(module_members(value_of), window)
    dialog.sig_chosen.connect(lambda member: go_to(member.field, member.line))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    dialog.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
    return dialog
