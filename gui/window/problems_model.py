"""The Problems list as a Qt table model over the ProblemStore."""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.problem_map import FieldProblem
from scheduler_studio.gui.window.problem_store import ProblemStore

HEADERS = ("Where", "Line", "Problem")
_SEVERITY_TEXT = {"error": "Error", "warning": "Warning"}


class ProblemsModel(QAbstractTableModel):
    """Rows of (place, line, message); the problem itself under ``Qt.UserRole``."""

    def __init__(self, store: ProblemStore, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[FieldProblem] = []
        self._make_icons: Optional[Callable[[], dict[str, object]]] = None
        self._icons: Optional[dict[str, object]] = None  # drawn when a row first needs one
        store.sig_changed.connect(self._on_store_changed)

    def set_icons(self, make_icons: Callable[[], dict[str, object]]) -> None:
        """How to draw the icons by severity ("error", "warning") from the theme; they are
        drawn when a problem is first listed (most starts list none)."""
        self._make_icons = make_icons
        self._icons = None
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def problem(self, row: int) -> FieldProblem:
        return self._rows[row]

    def problems(self) -> list[FieldProblem]:
        return list(self._rows)

    def _on_store_changed(self, _fields: list) -> None:
        self.beginResetModel()
        self._rows = self._store.all_problems()
        self.endResetModel()

    # -- QAbstractTableModel ---------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        problem = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return fields.title_of(problem.field)
            if column == 1:
                no_line = problem.field == fields.HEADER or problem.line < 1
                return "" if no_line else str(problem.line)
            return problem.message
        if role == Qt.ItemDataRole.DecorationRole and column == 1:  # always shown
            return self._icon(problem.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"module line {problem.module_line}" if problem.module_line else "quick check"
            note = " (in code the studio writes around this field)" if problem.on_generated_line else ""
            return (f"{_SEVERITY_TEXT.get(problem.severity, problem.severity)}: "
                    f"{problem.message}\n{where}{note} · {problem.code}")
        if role == Qt.ItemDataRole.UserRole:
            return problem
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _icon(self, severity: str):
        if self._icons is None:
            self._icons = self._make_icons() if self._make_icons is not None else {}
        return self._icons.get(severity)
