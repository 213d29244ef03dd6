"""Scheduler documents and the module files that hold them.

``render(doc) -> (text, line_map)`` writes a module, ``parse(text) -> doc``
reads any scheduler module back, ``save_module(path, text_or_bytes)`` writes it
keeping the file what it was (links, mode, owner, ACLs), the previous version
in the studio's backup folder.

The names load with the submodule that holds them, on first use: the editor
window needs the document at its start, but parse, render and save only later.
"""
from __future__ import annotations

from engine.lazy import lazy_names

_HOMES = {
    "PARAM_TYPES": "document", "FrozenMap": "document", "Parameter": "document",
    "SchedulerDocument": "document", "default_document": "document",
    "new_document": "document", "SchedulerParseError": "errors", "parse": "parsing",
    "LineMap": "rendering", "render": "rendering", "SaveError": "save", "save_module": "save",
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_names(__name__, _HOMES)
