"""The problems the window shows, merged from the quick and the full checks.

Per field, the newest information wins: a quick verdict on a field newer
than the last full check replaces that field's syntax problems; a full
check replaces everything it is not older than. While some field has a
syntax error the full check can only report that one error, so the other
fields keep their last known warnings instead of blinking off and on as
the user types. Form problems (the parameter table) come from the form
itself and are kept apart, and so are the errors of the last test cook
(replaced by the next cook, dropped with the document).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Optional

from PySide6.QtCore import QObject, Signal

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.problem_map import FieldProblem

_SEVERITY_ORDER = {"error": 0, "warning": 1}


class ProblemStore(QObject):
    """Problems by field; emits which fields changed."""

    sig_changed = Signal(list)
    """The problems of these fields (list[str]) changed."""

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._checked: dict[str, list[FieldProblem]] = {}
        self._form: dict[str, list[FieldProblem]] = {}
        self._cook: dict[str, list[FieldProblem]] = {}
        self._quick_version: dict[str, int] = {}

    # -- reading ---------------------------------------------------------------------
    def problems(self, field: str) -> list[FieldProblem]:
        return (self._cook.get(field, []) + self._checked.get(field, [])
                + self._form.get(field, []))

    def all_problems(self) -> list[FieldProblem]:
        """Every problem: the cook's errors first, then by page, field and line."""
        everything = [p for f in self._fields() for p in self.problems(f)]
        return sorted(everything, key=_order)

    def cook_problems(self) -> list[FieldProblem]:
        return sorted((p for ps in self._cook.values() for p in ps), key=_order)

    def counts(self, field_names: Iterable[str]) -> tuple[int, int]:
        """(errors, warnings) over some fields."""
        errors = warnings = 0
        for field in field_names:
            for problem in self.problems(field):
                if problem.severity == "error":
                    errors += 1
                else:
                    warnings += 1
        return errors, warnings

    def fields_with_problems(self) -> set[str]:
        return {f for f in self._fields() if self.problems(f)}

    def _fields(self) -> set[str]:
        return set(self._checked) | set(self._form) | set(self._cook)

    # -- merging ---------------------------------------------------------------------
    def clear(self) -> None:
        """Forget everything (a new document): the next full check fills it again."""
        changed = sorted(self.fields_with_problems())
        self._checked.clear()
        self._form.clear()
        self._cook.clear()
        self._quick_version.clear()
        if changed:
            self.sig_changed.emit(changed)

    def apply_full(self, version: int, problems: list[FieldProblem]) -> None:
        by_field: dict[str, list[FieldProblem]] = defaultdict(list)
        for problem in problems:
            by_field[problem.field].append(problem)
        syntax_only = any(p.is_syntax for p in problems)
        changed = []
        for field in set(self._checked) | set(by_field):
            if self._quick_version.get(field, -1) > version:
                continue  # a quick verdict newer than this check stands
            new = by_field.get(field, [])
            if syntax_only and not new:
                new = [p for p in self._checked.get(field, []) if not p.is_syntax]
            if new != self._checked.get(field, []):
                self._checked[field] = new
                changed.append(field)
        self._emit(changed)

    def apply_quick(self, version: int, field: str, problem: Optional[FieldProblem]) -> None:
        if version < self._quick_version.get(field, -1):
            return
        self._quick_version[field] = version
        current = self._checked.get(field, [])
        new = [problem] if problem is not None else [p for p in current if not p.is_syntax]
        if new != current:
            self._checked[field] = new
            self._emit([field])

    def set_cook_problems(self, problems: list[FieldProblem]) -> None:
        """The errors of the last test cook (all of them: the previous ones go)."""
        by_field: dict[str, list[FieldProblem]] = defaultdict(list)
        for problem in problems:
            by_field[problem.field].append(problem)
        changed = [f for f in set(self._cook) | set(by_field)
                   if self._cook.get(f, []) != by_field.get(f, [])]
        self._cook = dict(by_field)
        self._emit(changed)

    def set_form_problems(self, field: str, problems: list[FieldProblem]) -> None:
        if problems != self._form.get(field, []):
            self._form[field] = list(problems)
            self._emit([field])

    def _emit(self, changed: list[str]) -> None:
        if changed:
            self.sig_changed.emit(sorted(changed))


def _order(problem: FieldProblem):
    page = fields.page_of(problem.field)
    page_index = fields.PAGES.index(page) if page in fields.PAGES else -1
    return (not problem.from_cook, page_index, problem.field, problem.line, problem.column,
            _SEVERITY_ORDER.get(problem.severity, 2))
