"""The code editor: Scintilla (pyside6-scintilla) with Lexilla's Python lexer.

Public API: ``CodeEditor`` (one callback body), ``FindBar``,
``CompletionProvider`` (jedi, off the GUI thread), themes as data
(``apply_theme``, ``load_theme``, ``available_themes``, ``theme_palette``)
and the editor's shortcut table ``EDITOR_SHORTCUTS``.
"""
from gui.editor.code_editor import CodeEditor
from gui.editor.completion import CallTip, Completion, CompletionProvider
from gui.editor.find_bar import FindBar
from gui.editor.shortcuts import EDITOR_SHORTCUTS
from gui.editor.themes import Theme, apply_theme, available_themes, load_theme, theme_palette

__all__ = [
    "CallTip", "CodeEditor", "Completion", "CompletionProvider", "EDITOR_SHORTCUTS",
    "FindBar", "Theme", "apply_theme", "available_themes", "load_theme", "theme_palette",
]
