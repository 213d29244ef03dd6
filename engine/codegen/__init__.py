"""Scheduler documents and the module files that hold them.

The API (the GUI, the CLI and the tests all edit documents through it):

* ``parse(text_or_bytes, filename=..., class_name=None) -> doc`` reads any
  scheduler module: the class ``class_name`` names, else the one it registers
  first. A document opened from a file keeps that file (``doc.origin``: its
  rows, line ends, encoding, BOM, and where every field is).
  ``scheduler_classes(text_or_bytes)`` lists the classes there are to choose.
* ``render(doc) -> (text, line_map)``: an unedited document gives its file's
  text back exactly; an edited one splices only the edited fields' lines in.
  A new document (``new_document``, ``default_document``, or
  ``doc.normalised()``) is written in the canonical layout. ``line_map[i]``
  says where line ``i + 1`` came from: ``(field, line in that field)`` or None.
* ``doc.with_body(callback, body)`` and ``doc.with_fields(...)`` are edits:
  new documents with the same origin. ``doc.read_only()`` names the fields
  an edit cannot be spliced into (a ``templateBody`` built by code...).
* ``encode_module(doc, text) -> bytes`` in the file's own encoding and BOM
  (``SchedulerEncodingError`` names the line that cannot be written),
  ``as_utf8(doc)`` converts a document's file to UTF-8 (cookie included).
* ``save_module(path, data)`` writes the bytes keeping the file what it was
  (symlinks, mode, owner, group, ACLs, hard links); the version it replaces
  goes to the studio's backup folder (``backups``), not ``NAME.py.bak``.

Layers import one way: the data (``textfile``, ``origin``, ``document``,
``spelling``, ``lines``) at the bottom; ``render`` (``rendering``,
``splice``) and ``parse`` (``parsing``, ``members``, ``spans``) on top;
``starters`` (new documents from templates) above parse. The names load with
the submodule that holds them, on first use: the editor window needs the
document at its start, but parse, render and save only later.
"""
from __future__ import annotations

from scheduler_studio.engine.lazy import lazy_names

_HOMES = {
    "PARAM_TYPES": "document", "FrozenMap": "document", "Parameter": "document",
    "SchedulerDocument": "document", "default_document": "document",
    "new_document": "starters", "SchedulerParseError": "errors", "parse": "parsing",
    "SchedulerClassError": "errors", "scheduler_classes": "classes",
    "LineMap": "rendering", "render": "rendering", "SaveError": "save", "save_module": "save",
    "SchedulerEditError": "splice", "SchedulerEncodingError": "textfile",
    "encode_module": "encoding", "as_utf8": "encoding",
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_names(__name__, _HOMES)
