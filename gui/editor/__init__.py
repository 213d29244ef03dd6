"""The code editor: Scintilla (pyside6-scintilla) with Lexilla's Python lexer.

Public API: ``CodeEditor`` (one callback body), ``FindBar``,
``CompletionProvider`` (jedi, off the GUI thread: completion, call tips, definitions), themes as data
(``apply_theme``, ``load_theme``, ``available_themes``, ``theme_palette``)
and the editor's shortcut table ``EDITOR_SHORTCUTS``.

Names are imported on first use: loading Scintilla and Lexilla takes tens
of milliseconds, which a window can spend after its first paint.
"""
from __future__ import annotations

from scheduler_studio.engine.lazy import lazy_names

_WHERE = {
    "CodeEditor": "code_editor",
    "CallTip": "completion", "Completion": "completion", "CompletionProvider": "completion",
    "Definition": "completion",
    "FindBar": "find_bar",
    "EDITOR_SHORTCUTS": "shortcuts",
    "Theme": "themes", "apply_theme": "themes", "available_themes": "themes",
    "load_theme": "themes", "theme_palette": "themes",
}

__all__ = sorted(_WHERE)
__getattr__, __dir__ = lazy_names(__name__, _WHERE)
