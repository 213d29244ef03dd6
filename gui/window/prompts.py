"""The questions the window asks, with verbs on the buttons.

Each function shows one modal QMessageBox and returns the answer as a
word; tests replace these functions (never a fixed wait for a dialog).
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QMessageBox, QWidget

_Role = QMessageBox.ButtonRole


def _ask(parent: Optional[QWidget], title: str, text: str, informative: str,
         buttons: list[tuple[str, QMessageBox.ButtonRole, str]], default: str,
         icon=QMessageBox.Icon.Question) -> str:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(informative)
    made = {}
    for label, role, answer in buttons:
        made[box.addButton(label, role)] = answer
        if answer == default:
            box.setDefaultButton(list(made)[-1])
    box.exec()
    return made.get(box.clickedButton(), buttons[-1][2] if buttons else "")


def ask_save_changes(parent: Optional[QWidget], name: str, action: str) -> str:
    """'save', 'discard' or 'cancel' before ``action`` ("closing", "opening another file")."""
    return _ask(parent, "Unsaved Changes", f"Save the changes to {name} before {action}?",
                "Your edits are lost if you don't save them.",
                [("Save", _Role.AcceptRole, "save"),
                 ("Don't Save", _Role.DestructiveRole, "discard"),
                 ("Cancel", _Role.RejectRole, "cancel")], "save", QMessageBox.Icon.Warning)


def ask_reload(parent: Optional[QWidget], name: str, has_edits: bool) -> str:
    """'reload' or 'keep' when another program changed the open file."""
    if has_edits:
        informative = ("You have unsaved edits here. Reload replaces them with the file on "
                       "disk; Keep Mine keeps them, and saving then overwrites the file.")
    else:
        informative = "Reload shows the file as it is now; Keep Mine keeps what you see."
    return _ask(parent, "File Changed on Disk", f"{name} was changed by another program.",
                informative, [("Reload", _Role.DestructiveRole if has_edits else _Role.AcceptRole,
                               "reload"),
                              ("Keep Mine", _Role.RejectRole, "keep")],
                "keep" if has_edits else "reload")


def ask_recover(parent: Optional[QWidget], title: str, when: str, source: str) -> str:
    """'recover', 'discard' or 'later' for an autosave left by a session that ended badly."""
    return _ask(parent, "Recover Unsaved Work",
                f"Scheduler Studio did not close cleanly while {title} had unsaved edits.",
                f"An autosave from {when} holds them ({source}). Recover it?",
                [("Recover", _Role.AcceptRole, "recover"),
                 ("Discard", _Role.DestructiveRole, "discard"),
                 ("Not Now", _Role.RejectRole, "later")], "recover")


def ask_replace(parent: Optional[QWidget], path: str) -> str:
    """'replace' or 'cancel' before writing over a file that is not the open one."""
    return _ask(parent, "Replace File", f"{path} already exists.",
                "The old file is kept next to it as .bak.",
                [("Replace", _Role.AcceptRole, "replace"),
                 ("Cancel", _Role.RejectRole, "cancel")], "cancel", QMessageBox.Icon.Warning)
