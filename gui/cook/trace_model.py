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
import re
from collections import Counter
from typing import Any, Callable, NamedTuple, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor

from scheduler_studio.engine.cook.events import CallbackSlow
from scheduler_studio.gui.cook import reclaim
from scheduler_studio.gui.cook.look import STATE_COLOURS

MAX_ENTRIES = 50_000
DROP_CHUNK = 2_000
_SEQ, _NAME, _ITEM, _ITEM_NAME, _DURATION, _ERROR, _STOPPED = 0, 1, 2, 3, 5, 7, 9
COLUMNS = ("#", "Callback", "Item", "Duration", "Returned / raised")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
STOPPED = {"cancelled": "stopped by the cancel", "timeout": "stopped by the timeout"}
"""What a `callback_slow` event's ``stopped`` says, as the trace shows it."""


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
    stopped: str = ""             # ... that will not finish: what ended it (`STOPPED`)

    def outcome(self) -> str:
        if self.stopped:
            after = f" after {self.duration_s:.1f} s" if self.duration_s else ""
            return f"{self.stopped}{after}"
        if self.slow:
            return f"still running after {self.duration_s:.1f} s"
        if self.error:
            return str(self.error.get("message") or "raised")
        return "" if self.result is None else str(self.result)


def duration_text(seconds: float) -> str:
    """"0.02 ms", "812.40 ms"; from 10 s on, "12.3 s" (a hang's minutes stay short)."""
    return f"{seconds * 1000:.2f} ms" if seconds < 10 else f"{seconds:.1f} s"


_ENUM_REPR = re.compile(r"<(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*): [^<>]*>")


def short_result(text: str) -> str:
    """What a call returned, as the trace's column shows it: an enum's repr by its
    member's name (``<scheduleResult.Succeeded: 0>`` → ``Succeeded``), so what it says
    shows in a narrow column; the detail and the tip give the whole repr."""
    return _ENUM_REPR.sub(r"\1", text)


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
        self._open: dict[tuple, int] = {}    # (callback, item) of a call still running:
                                             # the position of its row
        self._names: set[str] = set()
        self.dropped = 0
        self.longest_item = ""               # the longest item name of a call
        self.dropped_by_name: Counter[str] = Counter()
        self.dropped_errors = 0
        self.errors = 0
        self._callback, self._item_text, self._errors_only = "", "", False

    # -- feeding ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.beginResetModel()
        reclaim.later(self._entries, self._rows)   # a full ring: freed a slice per turn
        self._entries, self._rows, self._open = [], [], {}
        self._seq = self._first = self.dropped = self.errors = self.dropped_errors = 0
        self.dropped_by_name = Counter()
        self._names, self.longest_item = set(), ""
        self.endResetModel()
        self.sig_callbacks_changed.emit([])

    def add_events(self, events: list) -> None:
        """Append `callback`, `callback_slow` and `standin_call` events (others are
        ignored). A call is one row: its "still running" reports, and its end (it
        returned, or a cancel or the timeout stopped it), update the row it has."""
        new: list[tuple] = []
        base = self._first + len(self._entries)   # where `new` starts, counted from the first
        changed: list[int] = []                   # rows before `new` updated in place
        for event in events:
            slow = event.type == "callback_slow"
            if event.type == "standin_call":
                # a call a recording stand-in accepted, shown where it happened
                self._seq += 1
                new.append((self._seq, f"→ {event.call}", event.item,
                            self._name_of(event.item), event.callback, 0.0,
                            f"recorded by the {event.module} stand-in"
                            + (f" in {event.callback}" if event.callback else ""), None, False,
                            ""))
                continue
            if event.type != "callback" and not slow:
                continue
            stopped = STOPPED.get(event.stopped, event.stopped) if slow else ""
            key = (event.name, event.item)
            at = self._open.pop(key, None)
            entry = (0, event.name, event.item, self._name_of(event.item),
                     "" if slow else event.args,
                     event.elapsed_s if slow else event.duration_s,
                     None if slow else event.result,
                     None if slow else event.error, slow, stopped)
            running = slow and not stopped   # more news of this call will come
            if at is not None and self._replace(at, entry, base, new, changed):
                if running:
                    self._open[key] = at
                continue
            self._seq += 1
            if running:
                self._open[key] = base + len(new)
            self.errors += bool(entry[_ERROR])
            new.append((self._seq,) + entry[1:])
        for position in changed:
            self._row_changed(position)
        if not new:
            return
        names = {e[_NAME] for e in new if not e[_NAME].startswith("→ ")} - self._names
        longest = max((e[_ITEM_NAME] for e in new), key=len)
        if len(longest) > len(self.longest_item):
            self.longest_item = longest
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

    def _replace(self, at: int, entry: tuple, base: int, new: list, changed: list) -> bool:
        """Put `entry` in the place of the call at position `at` (its seq kept, and how
        long it ran so far when `entry` does not say); False when that call is no
        longer kept (the ring dropped it)."""
        if at >= base:
            old = new[at - base]
        elif at >= self._first:
            old = self._entries[at - self._first]
        else:
            return False
        entry = (old[_SEQ],) + entry[1:5] + (entry[_DURATION] or old[_DURATION],) + entry[6:]
        if at >= base:
            new[at - base] = entry
        else:
            self._entries[at - self._first] = entry
            if at not in changed:
                changed.append(at)
        self.errors += bool(entry[_ERROR]) - bool(old[_ERROR])
        return True

    def _row_changed(self, position: int) -> None:
        """The call at `position` (before this batch) changed: its row shows it, or goes
        or comes with the filter."""
        entry = self._entries[position - self._first]
        row = bisect.bisect_left(self._rows, position)
        shown = row < len(self._rows) and self._rows[row] == position
        wanted = self._accepts(entry)
        if shown and wanted:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        elif shown:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        elif wanted:
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, position)
            self.endInsertRows()

    def add_host_end(self, name: str, item: Optional[int], what: str) -> None:
        """The cook host ended (no summary) while `name` ran for `item`: that call's row
        says `what` ended it (its "still running" row, or a new one)."""
        self.add_events([CallbackSlow(name, item, 0.0, what)])

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
        if self._errors_only and not (entry[_ERROR] or entry[_STOPPED]):
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
                if entry.slow and not (entry.stopped and entry.duration_s):
                    return "…"
                return duration_text(entry.duration_s)
            text = entry.outcome()[:300]
            return short_result(text) if entry.result else text
        if role == Qt.ItemDataRole.ForegroundRole and (entry.error or entry.slow):
            return QColor(STATE_COLOURS["failed" if entry.error or entry.stopped
                                        else "cooking"])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.name}({entry.args[:500]})"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ENTRY_ROLE:
            return entry
        return None
