"""The spare-parameter rows as a Qt table model, written through to the DocumentModel."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.parameter_rows import COLUMNS, ParameterRow, row_problems

HEADERS = ("Name", "Label", "Type", "Default")


class ParametersModel(QAbstractTableModel):
    """Edits ``DocumentModel.value("parameters")``; invalid cells carry their reason."""

    sig_problems_changed = Signal(list)
    """The invalid cells changed: list[CellProblem]."""

    def __init__(self, model: DocumentModel, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._doc = model
        self._rows: list[ParameterRow] = list(model.value(fields.PARAMETERS))
        self._problems: dict[tuple[int, str], str] = {}
        self._read_only = False
        self._inherited: Optional[list[ParameterRow]] = None  # shown instead, read-only
        self._invalid_colour = QColor("#f6d5d5")
        self._check()
        model.sig_document_reset.connect(self._on_reset)
        model.sig_field_changed.connect(self._on_field_changed)

    def set_invalid_colour(self, colour: str) -> None:
        self._invalid_colour = QColor(colour)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 3))

    def set_read_only(self, read_only: bool) -> None:
        """The rows are shown, not edited (the file's templateBody is built by code)."""
        self._read_only = read_only

    def show_inherited(self, rows: Optional[list[ParameterRow]]) -> None:
        """Show a base class's parameters (read-only) instead of the document's rows;
        None: the document's rows again."""
        if rows == self._inherited:
            return
        self.beginResetModel()
        self._inherited = rows
        self.endResetModel()

    def shown_rows(self) -> list[ParameterRow]:
        return self._rows if self._inherited is None else self._inherited

    def problems(self) -> list:
        return [p for p in row_problems(self._rows)]

    # -- edits -----------------------------------------------------------------------
    def add_row(self, after: int = -1) -> int:
        """A new String parameter with a unique name; returns its row."""
        row = len(self._rows) if after < 0 else after + 1
        taken = {r.name for r in self._rows}
        number = len(self._rows) + 1
        while f"parm{number}" in taken:
            number += 1
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, ParameterRow(f"parm{number}", f"Parameter {number}", "String", ""))
        self.endInsertRows()
        self._write()
        return row

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        self._write()

    def move_row(self, row: int, offset: int) -> int:
        target = row + offset
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        self.beginResetModel()
        self._rows[row], self._rows[target] = self._rows[target], self._rows[row]
        self.endResetModel()
        self._write()
        return target

    def _write(self) -> None:
        self._check()
        self._doc.set_value(fields.PARAMETERS, tuple(self._rows))

    def _check(self) -> None:
        found = row_problems(self._rows)
        problems = {(p.row, p.column): p.message for p in found}
        if problems != self._problems:
            self._problems = problems
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 3))
            self.sig_problems_changed.emit(found)

    def _on_reset(self) -> None:
        self.beginResetModel()
        self._rows = list(self._doc.value(fields.PARAMETERS))
        self.endResetModel()
        self._check()

    def _on_field_changed(self, key: str) -> None:
        if key == fields.PARAMETERS and tuple(self._rows) != self._doc.value(key):
            self._on_reset()

    # -- QAbstractTableModel ---------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.shown_rows())

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        read_only = self._read_only or self._inherited is not None
        return flags if read_only else flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.shown_rows()[index.row()], COLUMNS[index.column()]
        problem = None if self._inherited is not None else \
            self._problems.get((index.row(), column))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem or (getattr(row, column) or None)  # the full text of a cut cell
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return QBrush(self._invalid_colour)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._read_only \
                or self._inherited is not None:
            return False
        column = COLUMNS[index.column()]
        row = self._rows[index.row()]
        if getattr(row, column) == str(value):
            return False
        self._rows[index.row()] = row.with_cell(column, str(value))
        self.dataChanged.emit(index, index)
        self._write()
        return True
