"""Scheduler documents and the module files that hold them.

``render(doc) -> (text, line_map)`` writes a module, ``parse(text) -> doc``
reads any scheduler module back, ``save_module(path, text)`` writes it
atomically, keeping the previous version as ``NAME.py.bak``.

The names load with the submodule that holds them, on first use: the editor
window needs the document at its start, but parse, render and save only later.
"""
from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "PARAM_TYPES": "document", "FrozenMap": "document", "Parameter": "document",
    "SchedulerDocument": "document", "default_document": "document",
    "new_document": "document", "SchedulerParseError": "errors", "parse": "parsing",
    "LineMap": "rendering", "render": "rendering", "SaveError": "save", "save_module": "save",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
