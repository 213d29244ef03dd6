"""The Problems list: every lint problem of the document; a click jumps to it."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QStackedLayout, QTreeView,
                               QWidget)

from gui.window.problems_model import ProblemsModel


class ProblemsPanel(QWidget):
    """A flat list view over a ProblemsModel (lives in a dock of the window)."""

    sig_problem_activated = Signal(object)
    """The user clicked (or pressed Enter on) a problem: a FieldProblem."""

    def __init__(self, model: ProblemsModel, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._model = model
        self._view = QTreeView(self)
        self._view.setObjectName("problemsView")
        self._view.setModel(model)
        self._view.setRootIsDecorated(False)
        self._view.setUniformRowHeights(True)
        self._view.setAlternatingRowColors(True)
        self._view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self._view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._empty = QLabel("No problems: the module passes the syntax, pyflakes and "
                             "pdg API checks.", self)
        self._empty.setObjectName("noProblems")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._view)
        model.modelReset.connect(self._on_reset)
        self._on_reset()
        self._view.clicked.connect(self._on_activated)
        self._view.activated.connect(self._on_activated)

    def view(self) -> QTreeView:
        return self._view

    def select_row(self, row: int) -> None:
        """Select one problem (F8 walks the list) without jumping."""
        self._view.setCurrentIndex(self._model.index(row, 0))

    def _on_reset(self) -> None:
        self._stack.setCurrentWidget(self._view if self._model.rowCount() else self._empty)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_problem_activated.emit(self._model.problem(index.row()))
