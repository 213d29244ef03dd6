"""The Problems list: every lint problem of the document; a click jumps to it.

The list view is made when there is a first problem to list (or when asked
for): until then the panel is its "no problems" line, which is all the
window's first paint needs (a view is a dozen widgets, some of classes
PySide has to look up).
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from scheduler_studio.gui.window.problems_model import ProblemsModel

NARROW = 460  # pixels: below this the "Where" column is hidden
PROBLEMS_HEIGHT = 110  # pixels: the Problems dock's height when the window docks it


class ProblemsPanel(QWidget):
    """A flat list view over a ProblemsModel (lives in a dock of the window)."""

    sig_problem_activated = Signal(object)
    """The user clicked (or pressed Enter on) a problem: a FieldProblem."""

    def __init__(self, model: ProblemsModel, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._model = model
        self._view = None  # the QTreeView, made with the first problem
        self._empty = QLabel("No problems: the module passes the syntax, pyflakes and "
                             "pdg API checks.", self)
        self._empty.setObjectName("noProblems")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._stack.addWidget(self._empty)
        model.modelReset.connect(self._on_reset)
        self._on_reset()

    def view(self):
        """The list's QTreeView (made now if there was no problem yet)."""
        if self._view is None:
            from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

            view = self._view = QTreeView(self)
            view.setObjectName("problemsView")
            view.setModel(self._model)
            view.setRootIsDecorated(False)
            view.setUniformRowHeights(True)
            view.setAlternatingRowColors(True)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            header = view.header()
            header.setStretchLastSection(True)
            # "Where" keeps to a callback's name: the message is what the user reads
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(0, view.fontMetrics().horizontalAdvance("Scheduling › onSchedule") + 28)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
            view.setTextElideMode(Qt.TextElideMode.ElideRight)
            self._stack.addWidget(view)
            view.setColumnHidden(0, self.width() < NARROW)
            view.clicked.connect(self._on_activated)
            view.activated.connect(self._on_activated)
        return self._view

    def resizeEvent(self, event) -> None:
        """A narrow list (beside the cook panel) leaves "Where" to the tooltip and the
        click: the message is what must be read."""
        super().resizeEvent(event)
        if self._view is not None:
            self._view.setColumnHidden(0, event.size().width() < NARROW)

    def select_row(self, row: int) -> None:
        """Select one problem (F8 walks the list) without jumping."""
        self.view().setCurrentIndex(self._model.index(row, 0))

    def _on_reset(self) -> None:
        if self._model.rowCount():
            self._stack.setCurrentWidget(self.view())
        else:
            self._stack.setCurrentWidget(self._empty)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_problem_activated.emit(self._model.problem(index.row()))
