"""The callback trace as a Qt table model: every call, its arguments, time and outcome.

Filtering lives in the model (callback, item, errors only) so a trace of tens of
thousands of calls needs no proxy calling back into Python per row. Entries arrive in
batches (one row insertion per batch). It is a ring: past MAX_ENTRIES the oldest calls
are dropped a chunk at a time, as one row removal at the top (no model reset: the view
keeps its place and selection), and what was dropped is counted per callback.
`module_location` maps a traceback frame to the callback editor through the line map.
"""
from __future__ import annotations

import bisect
import os
from collections import Counter
from typing import Any, Callable, NamedTuple, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor

from scheduler_studio.gui.cook import reclaim
from scheduler_studio.gui.cook.look import STATE_COLOURS

MAX_ENTRIES = 50_000
DROP_CHUNK = 2_000
_NAME, _ITEM, _ITEM_NAME, _ERROR = 1, 2, 3, 7
COLUMNS = ("#", "Callback", "Item", "Duration", "Returned / raised")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class TraceEntry(NamedTuple):
    """One call. The model stores plain tuples of these fields (the garbage collector
    stops scanning exact tuples of plain values; it keeps scanning named tuples) and
    hands out TraceEntry views."""

    seq: int
    name: str
    item: Optional[int]
    item_name: str
    args: str
    duration_s: float
    result: Optional[str] = None
    error: Optional[dict] = None
    slow: bool = False            # a "still running" report, not a finished call

    def outcome(self) -> str:
        if self.slow:
            return f"still running after {self.duration_s:.1f} s"
        if self.error:
            return str(self.error.get("message") or "raised")
        return "" if self.result is None else str(self.result)


def module_location(frame: dict, module_path: str,
                    line_map: Optional[list]) -> Optional[tuple[str, int]]:
    """(field, 1-based line in that field's editor) for a frame inside the cooked
    module, or None (another file, a line the renderer wrote, or no line map)."""
    if not line_map or not module_path or not frame.get("file"):
        return None
    if os.path.normcase(os.path.abspath(frame["file"])) != \
            os.path.normcase(os.path.abspath(module_path)):
        return None
    line = frame.get("line")
    if not isinstance(line, int) or not 1 <= line <= len(line_map):
        return None
    where = line_map[line - 1]
    return (where[0], where[1] + 1) if where else None


class TraceModel(QAbstractTableModel):
    """Calls into the scheduler, filtered."""

    sig_callbacks_changed = Signal(list)
    """The sorted callback names seen so far (for the filter menu)."""

    def __init__(self, name_of: Callable[[Optional[int]], str],
                 parent: Optional[QObject] = None):
        super().__init__(parent)
        self._name_of = name_of
        self._entries: list[tuple] = []      # TraceEntry fields as plain tuples
        self._first = 0                      # how many entries were ever dropped
        self._rows: list[int] = []           # entries that pass the filter, as
                                             # positions counted from the first entry ever
        self._seq = 0
        self._names: set[str] = set()
        self.dropped = 0
        self.dropped_by_name: Counter[str] = Counter()
        self.dropped_errors = 0
        self.errors = 0
        self._callback, self._item_text, self._errors_only = "", "", False

    # -- feeding ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.beginResetModel()
        reclaim.later(self._entries, self._rows)   # a full ring: freed a slice per turn
        self._entries, self._rows = [], []
        self._seq = self._first = self.dropped = self.errors = self.dropped_errors = 0
        self.dropped_by_name = Counter()
        self._names = set()
        self.endResetModel()
        self.sig_callbacks_changed.emit([])

    def add_events(self, events: list) -> None:
        """Append `callback`, `callback_slow` and `standin_call` events (others are
        ignored)."""
        new = []
        for event in events:
            slow = event.type == "callback_slow"
            if event.type == "standin_call":
                # a call a recording stand-in accepted, shown where it happened
                self._seq += 1
                new.append((self._seq, f"→ {event.call}", event.item,
                            self._name_of(event.item), event.callback, 0.0,
                            f"recorded by the {event.module} stand-in"
                            + (f" in {event.callback}" if event.callback else ""), None, False))
                continue
            if event.type != "callback" and not slow:
                continue
            self._seq += 1
            entry = (self._seq, event.name, event.item, self._name_of(event.item),
                     "" if slow else event.args,
                     event.elapsed_s if slow else event.duration_s,
                     None if slow else event.result,
                     None if slow else event.error, slow)
            self.errors += bool(entry[_ERROR])
            new.append(entry)
        if not new:
            return
        names = {e[_NAME] for e in new if not e[_NAME].startswith("→ ")} - self._names
        if len(self._entries) + len(new) > MAX_ENTRIES:
            self._drop(len(self._entries) + len(new) - MAX_ENTRIES + DROP_CHUNK)
            if len(new) > MAX_ENTRIES:  # one batch larger than the ring: keep its tail
                self._count_dropped(new[:-MAX_ENTRIES])
                self._first += len(new) - MAX_ENTRIES
                new = new[-MAX_ENTRIES:]
        base = self._first + len(self._entries)
        self._entries.extend(new)
        rows = [base + i for i, e in enumerate(new) if self._accepts(e)]
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        if names:
            self._names |= names
            self.sig_callbacks_changed.emit(sorted(self._names))

    def _drop(self, count: int) -> None:
        """Forget the `count` oldest calls: the rows they had leave from the top."""
        count = min(count, len(self._entries))
        self._count_dropped(self._entries[:count])
        del self._entries[:count]
        self._first += count
        shown = bisect.bisect_left(self._rows, self._first)
        if shown:
            self.beginRemoveRows(QModelIndex(), 0, shown - 1)
            del self._rows[:shown]
            self.endRemoveRows()

    def _count_dropped(self, gone: list) -> None:
        self.dropped += len(gone)
        self.dropped_by_name.update(e[_NAME] for e in gone)
        self.dropped_errors += sum(1 for e in gone if e[_ERROR])

    # -- filtering -------------------------------------------------------------------------
    def set_filter(self, callback: str = "", item: str = "", errors_only: bool = False) -> None:
        """Show calls of `callback` ("" = all) for items whose name or id contains
        `item` ("" = all), optionally only those that raised."""
        self.beginResetModel()
        self._callback, self._item_text, self._errors_only = callback, item.strip(), errors_only
        first = self._first
        self._rows = [first + i for i, e in enumerate(self._entries) if self._accepts(e)]
        self.endResetModel()

    def _accepts(self, entry: tuple) -> bool:
        if self._callback and entry[_NAME] != self._callback:
            return False
        if self._errors_only and not entry[_ERROR]:
            return False
        if self._item_text:
            text = self._item_text
            if entry[_ITEM] is None:
                return False
            if text != str(entry[_ITEM]) and text not in entry[_ITEM_NAME]:
                return False
        return True

    # -- access ----------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self._entries)

    def entry(self, row: int) -> Optional[TraceEntry]:
        if 0 <= row < len(self._rows):
            return TraceEntry(*self._entries[self._rows[row] - self._first])
        return None

    def entries(self) -> list[TraceEntry]:
        return [TraceEntry(*e) for e in self._entries]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row())
        if entry is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return entry.seq
            if column == 1:
                return entry.name
            if column == 2:
                return entry.item_name
            if column == 3:
                return "…" if entry.slow else f"{entry.duration_s * 1000:.2f} ms"
            return entry.outcome()[:300]
        if role == Qt.ItemDataRole.ForegroundRole and (entry.error or entry.slow):
            return QColor(STATE_COLOURS["failed" if entry.error else "cooking"])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.name}({entry.args[:500]})"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ENTRY_ROLE:
            return entry
        return None
