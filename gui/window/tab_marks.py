"""Tab titles that tell where the unsaved edits and the problems are."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.problem_store import ProblemStore

MODIFIED_MARK = "•"
PROBLEM_MARK = "⚠"


def tab_title(page: str, modified: bool, errors: int, warnings: int) -> str:
    """"Scheduling", "Scheduling •", "Scheduling ⚠2", "Scheduling • ⚠3"."""
    title = page
    if modified:
        title += f" {MODIFIED_MARK}"
    if errors or warnings:
        title += f" {PROBLEM_MARK}{errors + warnings}"
    return title


def tab_tooltip(modified: bool, errors: int, warnings: int) -> str:
    parts = []
    if modified:
        parts.append("unsaved edits")
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts).capitalize()


class TabMarks(QObject):
    """Keeps the titles of a QTabWidget (pages named as in ``fields.PAGES``) current."""

    def __init__(self, tabs: QTabWidget, model: DocumentModel, store: ProblemStore,
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._tabs = tabs
        self._model = model
        self._store = store
        model.sig_modified_fields_changed.connect(self.update)
        store.sig_changed.connect(self.update)

    def update(self, *_args) -> None:
        modified_pages = {fields.page_of(key) for key in self._model.modified_fields()}
        problem_fields: dict[str, list[str]] = {}
        for field in self._store.fields_with_problems():
            problem_fields.setdefault(fields.page_of(field), []).append(field)
        for index, page in enumerate(fields.PAGES):
            if index >= self._tabs.count():
                break
            errors, warnings = self._store.counts(problem_fields.get(page, []))
            modified = page in modified_pages
            title = tab_title(page, modified, errors, warnings)
            if self._tabs.tabText(index) != title:
                self._tabs.setTabText(index, title)
            self._tabs.setTabToolTip(index, tab_tooltip(modified, errors, warnings))
