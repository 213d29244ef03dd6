"""What a scheduler module declares, read with `ast` (the GUI never imports user code).

The cook options need the spare parameters of the scheduler being cooked: they live in
the JSON that ``templateBody`` returns, which both Save To Python and hand-written
modules spell as ``json.dumps({...literal...})``.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any

BUILTIN = ("pdg_workingdir", "pdg_tickperiod", "pdg_maxitems")
_MAX_JOBS = re.compile(r"^(max_?(concurrent_?)?(jobs?|procs?|processes|slots|workers|tasks)"
                       r"|(num|max)_?concurrent(_?jobs)?|concurrency|max_?parallel)$", re.I)


@dataclass(frozen=True)
class DeclaredParameter:
    name: str
    label: str
    type: str
    default: Any


def declared_parameters(text: str) -> list[DeclaredParameter]:
    """Spare parameters of the first ``templateBody`` that returns a literal; [] if none
    can be read without running the module."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "templateBody":
            body = _literal_body(node)
            if body is not None:
                return _parameters(body)
    return []


def max_jobs_parameter(parameters: list[DeclaredParameter]) -> str:
    """The name of the parameter that limits concurrent jobs, or "" if there is none."""
    for parm in parameters:
        if parm.type in ("Integer", "Int", "int") and _MAX_JOBS.match(parm.name):
            return parm.name
    return ""


def _literal_body(func: ast.FunctionDef) -> Any:
    for node in ast.walk(func):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Call) and value.args and _is_dumps(value.func):
            value = value.args[0]
        try:
            literal = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(literal, str):
            try:
                literal = json.loads(literal)
            except ValueError:
                continue
        if isinstance(literal, dict):
            return literal
    return None


def _is_dumps(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "dumps") or \
        (isinstance(func, ast.Name) and func.id == "dumps")


def _parameters(body: dict) -> list[DeclaredParameter]:
    out = []
    for raw in body.get("parameters") or []:
        if not isinstance(raw, dict) or not raw.get("name"):
            continue
        name = str(raw["name"])
        if name in BUILTIN:
            continue
        out.append(DeclaredParameter(name, str(raw.get("label") or name),
                                     str(raw.get("type") or "String"), raw.get("value")))
    return out
