"""A SchedulerDocument as JSON, for autosaves.

The module text is the document's real file format, but a module with a
syntax error in one body cannot be parsed back; an autosave must bring back
exactly what was on screen, broken code included, so it stores the fields.
Unknown keys are ignored and missing ones take their defaults, so an
autosave survives small changes of the document class.

A document opened from a file also carries that file (``origin``): its
original bytes travel along, and the origin is rebuilt by parsing them again
(cached, since the lint worker gets the document with every check).
"""
from __future__ import annotations

import base64
from dataclasses import asdict, fields, replace
from typing import Any, Mapping

from scheduler_studio.engine.codegen import FrozenMap, Parameter, SchedulerDocument

_ORIGINS: dict[str, object] = {}  # digest of a file's bytes -> its parsed origin
_ORIGINS_KEPT = 4


def document_to_json(doc: SchedulerDocument) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in fields(SchedulerDocument):
        value = getattr(doc, f.name)
        if f.name == "origin":
            if value is not None:
                data["origin"] = _file_json(value)
            continue
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
    known = {f.name for f in fields(SchedulerDocument)} - {"origin"}
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
    doc = SchedulerDocument(**values)
    if isinstance(data.get("origin"), Mapping):
        doc = replace(doc, origin=_origin_from_json(data["origin"]))
    return doc


def _file_json(origin) -> dict[str, Any]:
    file = origin.file
    data = file.encode(file.original()) if not file.prefix else \
        file.original().encode("utf-8")
    out = {"bytes": base64.b64encode(data).decode("ascii")}
    if origin.chosen_class is not None:  # one scheduler class of several: parse that one
        out["class"] = origin.chosen_class
    return out


def _origin_from_json(data: Mapping[str, Any]):
    """The origin of the file these bytes are (ValueError when they are none)."""
    from scheduler_studio.engine.codegen import SchedulerParseError, parse

    raw = base64.b64decode(str(data.get("bytes", "")), validate=True)
    chosen = data.get("class")
    chosen = str(chosen) if chosen is not None else None
    import hashlib  # OpenSSL's load kept off the window's start

    key = f"{hashlib.sha1(raw).hexdigest()}:{chosen}"
    if key not in _ORIGINS:
        try:
            _ORIGINS[key] = parse(raw, class_name=chosen).origin
        except SchedulerParseError as exc:
            raise ValueError(f"the document's file does not parse: {exc}") from None
        while len(_ORIGINS) > _ORIGINS_KEPT:
            _ORIGINS.pop(next(iter(_ORIGINS)))
    return _ORIGINS[key]
