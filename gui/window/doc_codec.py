"""A SchedulerDocument as JSON, for autosaves.

The module text is the document's real file format, but a module with a
syntax error in one body cannot be parsed back; an autosave must bring back
exactly what was on screen, broken code included, so it stores the fields.
Unknown keys are ignored and missing ones take their defaults, so an
autosave survives small changes of the document class.
"""
from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, Mapping

from engine.codegen import FrozenMap, Parameter, SchedulerDocument


def document_to_json(doc: SchedulerDocument) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in fields(SchedulerDocument):
        value = getattr(doc, f.name)
        if f.name == "parameters":
            value = [asdict(p) for p in value]
        elif isinstance(value, Mapping):
            value = {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}
        elif isinstance(value, tuple):
            value = list(value)
        data[f.name] = value
    return data


def document_from_json(data: Mapping[str, Any]) -> SchedulerDocument:
    """The document back; ValueError/TypeError when the data is not one."""
    known = {f.name for f in fields(SchedulerDocument)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        if name == "parameters":
            value = tuple(Parameter(**{**p, "tags": tuple(p.get("tags", ()))}) for p in value)
        elif name == "arg_names":
            value = FrozenMap((k, tuple(v)) for k, v in value.items())
        elif isinstance(value, dict):
            value = FrozenMap(value)
        elif isinstance(value, list):
            value = tuple(value)
        values[name] = value
    return SchedulerDocument(**values)
