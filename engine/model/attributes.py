"""Typed work item attributes and the file records PDG calls `pdg.File`.

An attribute is a typed array, as in PDG: `setIntAttrib("seed", 4)` stores `[4]`,
`attribValue("seed")` reads element 0. Files carry tag, hash and ownership.
"""
from __future__ import annotations

import json
import os
from typing import Any

from .enums import attribFlag, attribType


class File:
    """One file of a work item: an input, an expected or a produced output."""

    __slots__ = ("path", "tag", "hash", "own", "size")

    def __init__(self, path: str, tag: str = "", hash: int = 0, own: bool = True, size: int = 0):
        self.path = str(path)
        self.tag = tag or ""
        self.hash = int(hash or 0)
        self.own = bool(own)
        self.size = int(size or 0)

    @property
    def local_path(self) -> str:
        return self.path

    localPath = local_path

    def __repr__(self) -> str:
        return f"<pdg.File {self.path!r} tag={self.tag!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, File) and (self.path, self.tag) == (other.path, other.tag)

    def __hash__(self) -> int:
        return hash((self.path, self.tag))

    def to_json(self) -> dict[str, Any]:
        return {"data": self.path, "tag": self.tag, "hash": self.hash,
                "size": self.size, "own": self.own, "type": int(attribType.File)}


_PY_TYPES = {
    attribType.Int: int,
    attribType.Float: float,
    attribType.String: str,
}


class Attribute:
    """A typed array of values; index writes past the end pad with the type's zero."""

    __slots__ = ("type", "values", "flag")

    def __init__(self, type: attribType, values: list | None = None, flag: int = 0):
        self.type = type
        self.values = list(values or [])
        self.flag = flag

    def set(self, value: Any, index: int = 0) -> None:
        value = self._coerce(value)
        if index < 0:
            raise IndexError("attribute index must be >= 0")
        while len(self.values) <= index:
            self.values.append(self._zero())
        self.values[index] = value

    def _coerce(self, value: Any) -> Any:
        py = _PY_TYPES.get(self.type)
        return py(value) if py is not None else value

    def _zero(self) -> Any:
        py = _PY_TYPES.get(self.type)
        return py() if py is not None else None

    def to_json(self) -> dict[str, Any]:
        if self.type == attribType.File:
            values = [v.to_json() if isinstance(v, File) else File(v).to_json() for v in self.values]
        elif self.type == attribType.PyObject:
            values = [repr(v) for v in self.values]
        else:
            values = list(self.values)
        return {"type": int(self.type), "flag": int(self.flag), "own": True,
                "concat": False, "value": values}


def infer_type(value: Any) -> attribType:
    """The attribute type a plain Python value maps to (graph JSON, wedges)."""
    if isinstance(value, bool) or isinstance(value, int):
        return attribType.Int
    if isinstance(value, float):
        return attribType.Float
    if isinstance(value, str):
        return attribType.String
    if isinstance(value, dict):
        return attribType.Dict
    return attribType.PyObject


def json_safe(value: Any) -> Any:
    """A value as it can travel in an event or the item data file."""
    if isinstance(value, File):
        return value.path
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


__all__ = ["Attribute", "File", "attribFlag", "attribType", "infer_type", "json_safe"]
