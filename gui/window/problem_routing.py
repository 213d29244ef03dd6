"""Problems from the store to where the user sees them, and F8 through the list.

Each built section gets its field's problems as editor marks and title
counts; the parameter table's invalid cells join the store as form
problems; Next/Previous Problem walk the Problems list.
"""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QObject, Signal

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.problem_map import FieldProblem
from scheduler_studio.gui.window.problem_store import ProblemStore


class ProblemRouter(QObject):
    """Keeps editors, section titles and the form problems in step with the store."""

    sig_counts_changed = Signal(int, int)
    """(errors, warnings) over the whole document."""

    def __init__(self, store: ProblemStore, section_for: Callable[[str], object],
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._store = store
        self._section_for = section_for
        store.sig_changed.connect(self._on_changed)

    def show_in(self, section) -> None:
        """Draw a section's problems (called when the section is built, and on changes)."""
        problems = self._store.problems(section.spec().field)
        section.editor.set_problems([p for p in problems if not p.on_generated_line])
        errors = sum(p.severity == "error" for p in problems)
        section.set_problem_counts(errors, len(problems) - errors)

    def counts(self) -> tuple[int, int]:
        return self._store.counts(self._store.fields_with_problems())

    def follow_parameters(self, model) -> None:
        """Keep the Parameters field's problems in step with the model's rows
        (whether or not the table has been made)."""
        from scheduler_studio.gui.window.parameter_rows import row_problems

        def check(key: str = fields.PARAMETERS) -> None:
            if key == fields.PARAMETERS:
                self.set_parameter_problems(row_problems(model.value(fields.PARAMETERS)))
        model.sig_field_changed.connect(check)
        model.sig_document_reset.connect(check)
        check()

    def set_parameter_problems(self, problems: list) -> None:
        """The table's invalid cells (CellProblem) as problems of the Parameters field."""
        self._store.set_form_problems(fields.PARAMETERS, [
            FieldProblem(fields.PARAMETERS, p.row + 1, 0, "error",
                         f"{p.column}: {p.message}", "parameter") for p in problems])

    def _on_changed(self, changed: list) -> None:
        for field in changed:
            section = self._section_for(field)
            if section is not None:
                self.show_in(section)
        self.sig_counts_changed.emit(*self.counts())


def step(model, panel, go_to_problem, step_by: int) -> bool:
    """Select and open the next (or previous) problem of the list; False when none."""
    count = model.rowCount()
    if not count:
        return False
    current = panel.view().currentIndex()
    if current.isValid():
        row = (current.row() + step_by) % count
    else:
        row = 0 if step_by > 0 else count - 1
    panel.select_row(row)
    go_to_problem(model.problem(row))
    return True
