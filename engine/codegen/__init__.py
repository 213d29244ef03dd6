"""Scheduler documents and the module files that hold them.

``render(doc) -> (text, line_map)`` writes a module, ``parse(text) -> doc``
reads any scheduler module back, ``save_module(path, text)`` writes it
atomically, keeping the previous version as ``NAME.py.bak``.
"""
from engine.codegen.document import (
    PARAM_TYPES, FrozenMap, Parameter, SchedulerDocument, default_document,
    new_document)
from engine.codegen.errors import SchedulerParseError
from engine.codegen.parse import parse
from engine.codegen.render import LineMap, render
from engine.codegen.save import SaveError, save_module

__all__ = [
    "PARAM_TYPES", "FrozenMap", "LineMap", "Parameter", "SaveError",
    "SchedulerDocument", "SchedulerParseError", "default_document",
    "new_document", "parse", "render", "save_module",
]
