"""The callback trace: each call with its arguments, duration and return or exception.

Filters by callback, item and errors. Selecting a call shows its arguments, result and
highlighted traceback; double-clicking a frame that lies in the cooked module (or an
error row itself) asks for the callback editor at that line via `sig_open_location`.
"""
from __future__ import annotations

import html
import os
from typing import Optional

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QSplitter, QStyle, QTableView, QTextBrowser, QToolTip,
                               QVBoxLayout, QWidget)

from scheduler_studio.gui.cook.look import STATE_COLOURS, code_html, format_traceback, is_dark
from scheduler_studio.gui.cook.trace_model import (ENTRY_ROLE, MAX_ENTRIES, TraceEntry,
                                                   TraceModel, duration_text,
                                                   module_location)

ALL_CALLBACKS = "All callbacks"
LOCATION_ROLE = Qt.ItemDataRole.UserRole + 2
MIN_PANE_HEIGHT = 48  # the table and the detail fit a short window's dock (they scroll)
WIDE = 1.4  # wider than this times its height, the detail sits beside the table
COLUMN_WIDTHS = (48, 130, 90, 76)  # #, Callback, Item, Duration; Returned / raised: the rest
LEAST_WIDTHS = (36, 72, 56, 64, 90)  # what a narrow table shrinks them to, not less ...
# ... nor below their header's text, a callback's name, or a duration like this one
DURATION_SAMPLE = "9999.99 ms"
ITEM_SAMPLE = "render_12"   # the Item column shows a name like this one whole, at least ...
ITEM_CHARS = 24             # ... and the longest name the trace holds, up to this long
TIP_CHARS = 2000


def dropped_note(model: TraceModel) -> str:
    """What the trace's ring dropped to stay at its size, per callback ("" if nothing)."""
    if not model.dropped:
        return ""
    parts = [f"{name} {count:,}" for name, count in model.dropped_by_name.most_common()]
    raised = f" ({model.dropped_errors:,} of them raised)" if model.dropped_errors else ""
    return (f"The trace keeps the latest {MAX_ENTRIES:,} calls; {model.dropped:,} older "
            f"ones were dropped{raised}: " + " · ".join(parts))


class TraceView(QWidget):
    """A `TraceModel` with filters and a detail pane; knows the module being cooked."""

    sig_open_location = Signal(str, int)
    """Open the editor of this field (e.g. "callback:onSchedule") at this 1-based line."""
    sig_unmapped_location = Signal(str, int)
    """A frame in the module that the line map cannot place (file, line): no editor."""

    def __init__(self, model: TraceModel, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._model = model
        self._module_path = ""
        self._line_map: Optional[list] = None
        self._callback = QComboBox(self)
        self._callback.addItem(ALL_CALLBACKS)
        self._callback.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._item = QLineEdit(self)
        self._item.setPlaceholderText("item name or id")
        self._item.setClearButtonEnabled(True)
        self._errors = QCheckBox("Errors only", self)
        self._count = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Callback:", self))
        bar.addWidget(self._callback)
        bar.addWidget(self._item, 1)
        bar.addWidget(self._errors)
        bar.addWidget(self._count)

        self._table = QTableView(self)
        self._table.setObjectName("trace_table")
        self._table.setModel(model)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.verticalHeader().hide()
        self._table.verticalHeader().setDefaultSectionSize(
            self._table.fontMetrics().height() + 4)
        self._table.setWordWrap(False)
        self._table.setAlternatingRowColors(True)
        header = self._table.horizontalHeader()
        header.setStretchLastSection(True)
        self._names: list[str] = []       # the callbacks seen: their column fits them
        self._item_chars = 0              # the longest item name the Item column fits
        self._least = self._widths = list(LEAST_WIDTHS)
        for column in range(len(COLUMN_WIDTHS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self._fitted: list[int] = []      # the widths last set here (not by the user)
        self._size_columns()
        self._table.viewport().installEventFilter(self)

        self._detail = QTextBrowser(self)
        self._frames = QListWidget(self)
        self._frames.setObjectName("trace_frames")
        self._frames.setToolTip("Double-click a frame in your module to open its editor")
        lower = self._lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self._detail)
        lower.addWidget(self._frames)
        self._frames.hide()
        for pane in (self._table, self._detail, self._frames):
            pane.setMinimumHeight(MIN_PANE_HEIGHT)
        splitter = self._splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("trace_splitter")
        splitter.addWidget(self._table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        model.sig_callbacks_changed.connect(self._on_callbacks_changed)
        model.rowsInserted.connect(self._on_rows_inserted)
        model.rowsRemoved.connect(self._on_rows_inserted)
        model.modelReset.connect(self._on_rows_inserted)
        self._callback.currentIndexChanged.connect(self._on_filter_changed)
        self._item.textChanged.connect(self._on_filter_changed)
        self._errors.toggled.connect(self._on_filter_changed)
        self._table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self._table.doubleClicked.connect(self._on_row_double_clicked)
        self._frames.itemDoubleClicked.connect(self._on_frame_double_clicked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The table fits its width (no sideways scrolling in a narrow dock); a cell's
        tooltip gives what it returned or raised in full."""
        if watched is self._table.viewport():
            if event.type() == QEvent.Type.Resize:
                self._fit_columns(event.size().width())
            elif event.type() == QEvent.Type.ToolTip:
                return self._show_tip(event)
        return super().eventFilter(watched, event)

    def least_widths(self) -> list[int]:
        """Each column's narrowest: LEAST_WIDTHS, and never below its header's text (nor,
        for Callback and Duration, below a callback's name or a long duration)."""
        return list(self._least)

    def _size_columns(self) -> None:
        """The columns' least and usual widths from the fonts; the table is never
        narrower than its least widths (a header is never cut, "turned / rais")."""
        header, table = self._table.horizontalHeader(), self._table
        cell = table.fontMetrics()
        pad = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 4
        least = [max(LEAST_WIDTHS[c], header.sectionSizeFromContents(c).width() + 4)
                 for c in range(len(LEAST_WIDTHS))]
        least[1] = max([least[1]] + [cell.horizontalAdvance(n) + pad for n in self._names])
        least[3] = max(least[3], cell.horizontalAdvance(DURATION_SAMPLE) + pad)
        least[2] = max(least[2], cell.horizontalAdvance(ITEM_SAMPLE) + pad,
                       cell.horizontalAdvance(self._model.longest_item[:ITEM_CHARS]) + pad)
        self._least = least
        self._widths = [max(w, least[c]) for c, w in enumerate(COLUMN_WIDTHS)]
        header.setMinimumSectionSize(min(least))
        frame = 2 * table.frameWidth()
        bar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        table.setMinimumWidth(sum(least) + frame + bar)
        user = self._fitted and \
            [header.sectionSize(c) for c in range(len(COLUMN_WIDTHS))] != self._fitted
        if user:   # the user's own widths: only what would cut a text grows
            for column in range(len(COLUMN_WIDTHS)):
                if header.sectionSize(column) < least[column]:
                    header.resizeSection(column, least[column])
            return
        self._fitted = [header.sectionSize(c) for c in range(len(COLUMN_WIDTHS))]
        self._fit_columns(table.viewport().width(), force=True)

    def _fit_columns(self, width: int, force: bool = False) -> None:
        """Narrower than the columns: Callback and Item give way first, down to their
        least widths; wider again: back to their usual ones. Widths the user set stay."""
        header = self._table.horizontalHeader()
        if not force and \
                [header.sectionSize(c) for c in range(len(COLUMN_WIDTHS))] != self._fitted:
            return  # the user's own widths
        fitted = list(self._widths)
        least = self._least
        over = sum(fitted) + least[-1] - width
        for column in (1, 2, 0, 3):
            give = max(0, min(over, fitted[column] - least[column]))
            fitted[column] -= give
            over -= give
        for column, size in enumerate(fitted):
            header.resizeSection(column, size)
        self._fitted = fitted

    def _show_tip(self, event) -> bool:
        index = self._table.indexAt(event.pos())
        entry = index.data(ENTRY_ROLE) if index.isValid() else None
        if entry is None or index.column() != 4:
            return False  # the model's tip: the call and its arguments
        text = entry.outcome()
        if len(text) > TIP_CHARS:
            text = text[:TIP_CHARS - 1] + "…"
        QToolTip.showText(event.globalPos(), text, self._table.viewport())
        return True

    # -- public ----------------------------------------------------------------------------
    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def detail(self) -> QTextBrowser:
        return self._detail

    def resizeEvent(self, event) -> None:
        """A short, wide panel puts the traceback beside the calls: both get its height."""
        super().resizeEvent(event)
        size = event.size()
        wide = size.width() > WIDE * size.height()
        wanted = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self._splitter.orientation() != wanted:
            self._splitter.setOrientation(wanted)
            self._lower.setOrientation(Qt.Orientation.Vertical if wide
                                       else Qt.Orientation.Horizontal)
            total = size.width() if wide else size.height()
            share = 0.6 if wide else 0.55  # beside: the table's columns need the width
            self._splitter.setSizes([round(total * share), round(total * (1 - share))])

    @property
    def frames(self) -> QListWidget:
        return self._frames

    def set_module(self, path: str, line_map: Optional[list]) -> None:
        """The module file the next cook runs and how its lines map to editors."""
        self._module_path, self._line_map = path, line_map

    def set_filter(self, callback: str = "", item: str = "", errors_only: bool = False) -> None:
        self._callback.setCurrentText(callback or ALL_CALLBACKS)
        self._item.setText(item)
        self._errors.setChecked(errors_only)
        self._on_filter_changed()

    def select_row(self, row: int) -> None:
        self._table.selectRow(row)
        self._table.scrollTo(self._model.index(row, 0))

    def clear_detail(self) -> None:
        self._detail.clear()
        self._frames.clear()
        self._frames.hide()

    # -- slots -----------------------------------------------------------------------------
    def _on_filter_changed(self, *_args) -> None:
        callback = self._callback.currentText()
        self._model.set_filter("" if callback == ALL_CALLBACKS else callback,
                               self._item.text(), self._errors.isChecked())

    def _on_callbacks_changed(self, names: list) -> None:
        self._names = list(names)
        self._size_columns()
        current = self._callback.currentText()
        self._callback.blockSignals(True)
        self._callback.clear()
        self._callback.addItems([ALL_CALLBACKS] + names)
        self._callback.setCurrentText(current if current in names else ALL_CALLBACKS)
        self._callback.blockSignals(False)

    def _on_rows_inserted(self, *_args) -> None:
        model = self._model
        chars = len(model.longest_item[:ITEM_CHARS])
        if chars > self._item_chars or (not model.total and self._item_chars):
            self._item_chars = chars      # a longer name, or a new cook's trace
            self._size_columns()
        shown, total = model.rowCount(), model.total
        text = f"{shown:,} of {total:,} calls" if shown != total else f"{total:,} calls"
        if model.errors:
            text += f" · <span style='color:{STATE_COLOURS['failed']}'>{model.errors:,} raised</span>"
        if model.dropped:
            text += f" · {model.dropped:,} oldest dropped"
        self._count.setText(text)
        self._count.setToolTip(dropped_note(model))
        bar = self._table.verticalScrollBar()
        if bar.value() >= bar.maximum() - 2 * self._table.verticalHeader().defaultSectionSize():
            self._table.scrollToBottom()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self._model.entry(current.row())
        self._show_entry(entry)

    def _show_entry(self, entry: Optional[TraceEntry]) -> None:
        self._frames.clear()
        self._frames.setVisible(bool(entry and entry.error))   # frames only for errors
        if entry is None:
            self._detail.clear()
            return
        dark = is_dark(self)
        parts = [f"<b>{html.escape(entry.name)}</b>"
                 + (f" on <b>{html.escape(entry.item_name)}</b>" if entry.item_name else "")
                 + (f" &nbsp;·&nbsp; {duration_text(entry.duration_s)}"
                    if entry.duration_s or not entry.slow else "")]
        # the outcome first: for an error, the traceback is what the user came for
        if entry.stopped:
            parts.append(f"<p>The call never returned: {html.escape(entry.outcome())}.</p>")
        elif entry.slow:
            parts.append("<p>The call had not returned yet when this was reported.</p>")
        elif entry.error:
            parts.append("<h4>Raised</h4>" + code_html(format_traceback(entry.error),
                                                        "traceback", dark))
            self._fill_frames(entry.error)
        else:
            parts.append("<h4>Returned</h4>" + code_html(entry.outcome(), "python", dark))
        if entry.args:
            parts.append("<h4>Arguments</h4>" + code_html(entry.args, "python", dark))
        self._detail.setHtml("".join(parts))

    def _fill_frames(self, error: dict) -> None:
        for frame in error.get("traceback") or []:
            where = module_location(frame, self._module_path, self._line_map)
            in_module = self._in_module(frame)
            name = os.path.basename(str(frame.get("file") or "?"))
            label = f"{name}:{frame.get('line')} in {frame.get('name')}"
            if where:
                label += f"   →  {where[0]} line {where[1]}"
            item = QListWidgetItem(label + "\n    " + str(frame.get("text") or "").strip())
            item.setData(LOCATION_ROLE, (where, frame))
            if in_module:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            else:
                item.setForeground(QBrush(QColor(STATE_COLOURS["waiting"])))
            self._frames.addItem(item)
        if self._frames.count():
            self._frames.setCurrentRow(self._frames.count() - 1)

    def _in_module(self, frame: dict) -> bool:
        path = frame.get("file")
        return bool(path and self._module_path) and os.path.abspath(path) == \
            os.path.abspath(self._module_path)

    def _on_frame_double_clicked(self, item: QListWidgetItem) -> None:
        where, frame = item.data(LOCATION_ROLE)
        self._open(where, frame)

    def _on_row_double_clicked(self, index: QModelIndex) -> None:
        entry = self._model.entry(index.row())
        if entry is None or not entry.error:
            return
        frames = [f for f in entry.error.get("traceback") or [] if self._in_module(f)]
        if frames:
            frame = frames[-1]   # the innermost frame in the user's code
            self._open(module_location(frame, self._module_path, self._line_map), frame)

    def _open(self, where: Optional[tuple], frame: dict) -> None:
        if where:
            self.sig_open_location.emit(where[0], where[1])
        elif self._in_module(frame) and isinstance(frame.get("line"), int):
            self.sig_unmapped_location.emit(str(frame["file"]), frame["line"])
