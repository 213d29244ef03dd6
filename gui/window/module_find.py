"""Find in the whole module (Ctrl+Shift+F): every callback, the prelude and the members.

Searches the document model, not the editors, so pages whose editors were never made
are searched too. Hits are listed under the part they are in; activating one opens its
tab and editor with the match selected. Searching again follows edits while the panel
is on show.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QLineEdit, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from scheduler_studio.gui.editor.search import LineHit, SearchOptions, compile_pattern, find_lines
from scheduler_studio.gui.window import fields

HIT_ROLE = Qt.ItemDataRole.UserRole
MAX_HITS = 2000
REFRESH_MS = 150


def searched_fields() -> tuple[str, ...]:
    """The code fields in page order: callbacks by tab, prelude, members."""
    order = {page: i for i, page in enumerate(fields.PAGES)}
    return tuple(sorted(fields.code_fields(),
                        key=lambda f: order.get(fields.page_of(f) or "", len(order))))


class ModuleFind(QWidget):
    """A search field, options and the hits, by part of the module."""

    sig_hit_activated = Signal(str, object)
    """Open this hit: (field, LineHit)."""

    def __init__(self, value_of: Callable[[str], str], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("moduleFind")
        self._value_of = value_of
        self.find_edit = QLineEdit(self, placeholderText="Find in the whole module",
                                   clearButtonEnabled=True)
        self.find_edit.setObjectName("moduleFindText")
        self.case_box = QCheckBox("Aa", self, toolTip="Match case")
        self.word_box = QCheckBox("Word", self, toolTip="Whole word")
        self.regex_box = QCheckBox(".*", self, toolTip="Regular expression (Python re)")
        self.count_label = QLabel(self)
        self.results = QTreeWidget(self)
        self.results.setObjectName("moduleFindResults")
        self.results.setHeaderHidden(True)
        self.results.setUniformRowHeights(True)
        options = QHBoxLayout()
        for box in (self.case_box, self.word_box, self.regex_box):
            options.addWidget(box)
            box.toggled.connect(self.search)
        options.addStretch(1)
        options.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.find_edit)
        layout.addLayout(options)
        layout.addWidget(self.results, 1)
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self.search)
        self.find_edit.textChanged.connect(self.search)
        self.find_edit.returnPressed.connect(self.open_next)
        self.results.itemActivated.connect(self._on_item_activated)
        self.results.itemClicked.connect(self._on_item_activated)

    def start(self, text: str = "") -> None:
        """Focus the field (seeded with `text` when given) and search."""
        if text:
            self.find_edit.setText(text)
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()
        self.search()

    def document_changed(self, *_args) -> None:
        """Search again soon (while shown: a hidden panel searches when it opens)."""
        if self.isVisible() and self.find_edit.text():
            self._refresh.start()

    def stop(self) -> None:
        self._refresh.stop()

    def hits(self) -> list[tuple[str, LineHit]]:
        """Every hit listed, in order: (field, LineHit)."""
        found = []
        for i in range(self.results.topLevelItemCount()):
            group = self.results.topLevelItem(i)
            found += [group.child(j).data(0, HIT_ROLE) for j in range(group.childCount())]
        return found

    def search(self, *_args) -> None:
        self._refresh.stop()
        self.results.clear()
        options = SearchOptions(self.find_edit.text(), self.case_box.isChecked(),
                                self.word_box.isChecked(), self.regex_box.isChecked())
        try:
            pattern = compile_pattern(options)
        except re.error as exc:
            self.count_label.setText("Invalid pattern")
            self.count_label.setToolTip(str(exc))
            return
        self.count_label.setToolTip("")
        total, parts = 0, 0
        for field in searched_fields():
            hits = find_lines(self._value_of(field) or "", pattern, MAX_HITS - total)
            if not hits:
                continue
            parts += 1
            total += len(hits)
            group = QTreeWidgetItem(self.results, [f"{fields.title_of(field)}  ({len(hits)})"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for hit in hits:
                child = QTreeWidgetItem(group, [f"{hit.line}:  {hit.text.strip()[:200]}"])
                child.setData(0, HIT_ROLE, (field, hit))
                child.setToolTip(0, hit.text)
            group.setExpanded(True)
            if total >= MAX_HITS:
                break
        if not options.text:
            self.count_label.setText("")
        elif not total:
            self.count_label.setText("No results")
        else:
            self.count_label.setText(f"{total} in {parts} part{'s' if parts > 1 else ''}")

    def open_next(self) -> None:
        """Enter in the field: open the hit after the current one (wrapping)."""
        items = [self.results.topLevelItem(i).child(j)
                 for i in range(self.results.topLevelItemCount())
                 for j in range(self.results.topLevelItem(i).childCount())]
        if not items:
            return
        current = self.results.currentItem()
        index = (items.index(current) + 1) % len(items) if current in items else 0
        self.results.setCurrentItem(items[index])
        self._on_item_activated(items[index])

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        data = item.data(0, HIT_ROLE)
        if data:
            self.sig_hit_activated.emit(*data)
