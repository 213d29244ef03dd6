"""The editor's keyboard shortcuts as data, keyed ``context/action``.

The host can list them in its own shortcut table or help; the editor looks
key presses up here. Keys that Scintilla itself handles (undo, copy…) are
listed in ``EDITING_COMMANDS`` so a window-level QAction with the same shortcut
does not steal them while an editor has focus; the editor then runs them itself.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

EDITOR_SHORTCUTS: dict[str, tuple[str, ...]] = {
    "editor/find": ("Ctrl+F",),
    "editor/replace": ("Ctrl+H",),
    "editor/find_next": ("F3",),
    "editor/find_previous": ("Shift+F3",),
    "editor/complete": ("Ctrl+Space",),
    "editor/go_to_definition": ("F12",),
    "editor/zoom_in": ("Ctrl++", "Ctrl+="),
    "editor/zoom_out": ("Ctrl+-",),
    "editor/zoom_reset": ("Ctrl+0",),
    "editor/toggle_breakpoint": ("F9",),
    "editor/edit_breakpoint": ("Shift+F9",),
}

_K = QKeySequence.StandardKey
EDITING_COMMANDS: tuple[tuple[QKeySequence.StandardKey, str], ...] = (
    (_K.Undo, "undo"), (_K.Redo, "redo"), (_K.Cut, "cut"), (_K.Copy, "copy"),
    (_K.Paste, "paste"), (_K.SelectAll, "selectAll"),
)
"""Standard editing keys and the editor method each one calls. The window's Edit menu
shows the same standard keys (Redo: Ctrl+Y *and* Ctrl+Shift+Z), and the editor claims
them while focused, so it must run every binding itself: Scintilla's own key map
knows only some of them (it has no Ctrl+Shift+Z)."""

EDITING_KEYS = tuple(key for key, _method in EDITING_COMMANDS)

_IGNORED = Qt.KeyboardModifier.KeypadModifier


def _combination_key(key: int, modifiers: Qt.KeyboardModifier) -> tuple[int, int]:
    return key, (modifiers & ~_IGNORED).value


def _build_lookup() -> dict[tuple[int, int], str]:
    lookup = {}
    for action, sequences in EDITOR_SHORTCUTS.items():
        for text in sequences:
            combo = QKeySequence(text)[0]
            lookup[_combination_key(combo.key().value, combo.keyboardModifiers())] = action
    return lookup


_LOOKUP: dict[tuple[int, int], str] | None = None


def action_for(event: QKeyEvent) -> str | None:
    """The action name bound to a key press, or None.

    Shift is ignored for punctuation, so Ctrl++ works whether the layout
    needs Shift for '+' or not; not for letters (Ctrl+Shift+F is the window's
    find in the whole module, not this editor's Ctrl+F).
    """
    global _LOOKUP
    if _LOOKUP is None:
        _LOOKUP = _build_lookup()
    key, modifiers = event.key(), event.modifiers()
    action = _LOOKUP.get(_combination_key(key, modifiers))
    if action is None and modifiers & Qt.KeyboardModifier.ShiftModifier and 0x20 < key < 0x7F \
            and not chr(key).isalnum():
        action = _LOOKUP.get(_combination_key(key, modifiers & ~Qt.KeyboardModifier.ShiftModifier))
    return action


def editing_command(event: QKeyEvent) -> str | None:
    """The editor method a standard editing key calls ("undo", "redo"…), or None."""
    return next((method for key, method in EDITING_COMMANDS if event.matches(key)), None)


def is_editing_key(event: QKeyEvent) -> bool:
    """True for keys the editor must receive even if a window action shares them."""
    return action_for(event) is not None or editing_command(event) is not None
