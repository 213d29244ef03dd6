"""Spare parameters as the table edits them: rows of text, checked before use.

A row holds what the user typed (the default as text), so a half-typed
value is kept on screen instead of being refused; only valid rows become
``Parameter`` objects in the document. Each invalid cell gets one message.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from scheduler_studio.engine.codegen import PARAM_TYPES, Parameter

COLUMNS = ("name", "label", "type", "default")
RESERVED = frozenset({"pdg_workingdir"})  # written from the Working Directory field
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TRUE = {"1", "on", "true", "yes"}
_FALSE = {"0", "off", "false", "no", ""}


@dataclass(frozen=True)
class ParameterRow:
    name: str = ""
    label: str = ""
    type: str = "String"
    default: str = ""
    tags: tuple[str, ...] = ()

    def with_cell(self, column: str, value: str) -> "ParameterRow":
        return replace(self, **{column: value})


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: str
    message: str


def default_text(parameter: Parameter) -> str:
    """How a default value is shown and typed."""
    if parameter.type == "Toggle":
        return "on" if parameter.default else "off"
    return str(parameter.default)


def rows_from_parameters(parameters: Iterable[Parameter]) -> tuple[ParameterRow, ...]:
    return tuple(ParameterRow(p.name, p.label, p.type, default_text(p), p.tags)
                 for p in parameters)


def parse_default(ptype: str, text: str):
    """The value of ``text`` for a parameter type; ValueError with a reason."""
    text = text.strip() if ptype != "String" else text
    if ptype == "String":
        return text
    if ptype == "Toggle":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("a toggle is on or off")
    if ptype == "Integer":
        try:
            return int(text or "0")
        except ValueError:
            raise ValueError("an integer is a whole number such as 4") from None
    try:
        value = float(text or "0")
    except ValueError:
        raise ValueError("a float is a number such as 0.5") from None
    if not math.isfinite(value):
        raise ValueError("a float must be finite")
    return value


def row_problems(rows: Iterable[ParameterRow]) -> list[CellProblem]:
    """Every invalid cell: names (syntax, unique, reserved), types, defaults."""
    problems, seen = [], {}
    for index, row in enumerate(rows):
        name = row.name.strip()
        if not name:
            problems.append(CellProblem(index, "name", "give the parameter a name"))
        elif not _NAME.match(name):
            problems.append(CellProblem(
                index, "name", f"'{name}' is not a parameter name: use letters, "
                "digits and _, not starting with a digit"))
        elif name in RESERVED:
            problems.append(CellProblem(
                index, "name", f"'{name}' is set by the Working Directory field"))
        elif name in seen:
            problems.append(CellProblem(
                index, "name", f"'{name}' is already the name of row {seen[name] + 1}"))
        else:
            seen[name] = index
        if row.type not in PARAM_TYPES:
            problems.append(CellProblem(index, "type", f"type is one of {', '.join(PARAM_TYPES)}"))
            continue
        try:
            parse_default(row.type, row.default)
        except ValueError as exc:
            problems.append(CellProblem(index, "default", str(exc)))
    return problems


def to_parameter(row: ParameterRow) -> Optional[Parameter]:
    """The document parameter for a row, or None when the row is invalid."""
    try:
        value = parse_default(row.type, row.default)
        return Parameter(row.name.strip(), row.label, row.type, value, row.tags)
    except ValueError:
        return None


def to_parameters(rows: Iterable[ParameterRow]) -> tuple[Parameter, ...]:
    """The valid rows as document parameters (invalid rows are left out)."""
    rows = tuple(rows)
    bad = {p.row for p in row_problems(rows)}
    made = (to_parameter(row) for i, row in enumerate(rows) if i not in bad)
    return tuple(p for p in made if p is not None)


_OWN_TEMPLATE_BODY = re.compile(r"^def\s+templateBody\s*\(", re.MULTILINE)


def defines_template_body(extra_members: str) -> bool:
    """Whether the class members write their own templateBody: then the
    parameter table and the Working Directory field are not written."""
    return _OWN_TEMPLATE_BODY.search(extra_members) is not None
