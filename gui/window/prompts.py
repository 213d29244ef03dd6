"""The questions the window asks, with verbs on the buttons, and the messages it tells.

Each function shows one modal QMessageBox (the recovery offer: a dialog with
the diff) and returns the answer as a word; tests replace these functions
(never a fixed wait for a dialog).
QMessageBox is loaded with the first box, not with the window.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QWidget

# Button roles by name (QMessageBox.ButtonRole members), so nothing here needs
# QMessageBox before a box is shown.
ACCEPT, DESTRUCTIVE, REJECT = "AcceptRole", "DestructiveRole", "RejectRole"


def _ask(parent: Optional[QWidget], title: str, text: str, informative: str,
         buttons: list[tuple[str, str, str]], default: str, icon: str = "Question") -> str:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon[icon], title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setInformativeText(informative)
    made = {}
    for label, role, answer in buttons:
        made[box.addButton(label, QMessageBox.ButtonRole[role])] = answer
        if answer == default:
            box.setDefaultButton(list(made)[-1])
    box.exec()
    return made.get(box.clickedButton(), buttons[-1][2] if buttons else "")


def ask_convert_to_utf8(parent: Optional[QWidget], name: str, problem: str) -> str:
    """"convert" or "cancel": a character the file's declared encoding cannot hold."""
    return _ask(parent, "Encoding", f"{name} cannot be saved in its own encoding.",
                f"{problem}.\n\nConvert the file to UTF-8? Its coding cookie is "
                "updated to say so; nothing else in the file changes.",
                [("Convert to UTF-8", ACCEPT, "convert"), ("Cancel", REJECT, "cancel")],
                "convert", icon="Warning")


def tell(parent: Optional[QWidget], kind: str, title: str, text: str) -> None:
    """A message with an OK button; ``kind`` is "critical", "warning" or "information"."""
    from PySide6.QtWidgets import QMessageBox

    getattr(QMessageBox, kind)(parent, title, text)


def ask_save_changes(parent: Optional[QWidget], name: str, action: str) -> str:
    """'save', 'discard' or 'cancel' before ``action`` ("closing", "opening another file")."""
    return _ask(parent, "Unsaved Changes", f"Save the changes to {name} before {action}?",
                "Your edits are lost if you don't save them.",
                [("Save", ACCEPT, "save"),
                 ("Don't Save", DESTRUCTIVE, "discard"),
                 ("Cancel", REJECT, "cancel")], "save", "Warning")


def ask_reload(parent: Optional[QWidget], name: str, has_edits: bool,
               conflicts: Optional[list[str]] = None) -> str:
    """'reload', 'keep' or (with edits) 'merge' when another program changed the open file.

    ``conflicts``: the fields changed both here and on disk, when the file's new
    version can be taken for the fields not edited here ('merge'); None when it
    cannot (the file does not read as a scheduler)."""
    if not has_edits:
        return _ask(parent, "File Changed on Disk", f"{name} was changed by another program.",
                    "Reload shows the file as it is now; Keep Mine keeps what you see.",
                    [("Reload", ACCEPT, "reload"), ("Keep Mine", REJECT, "keep")], "reload")
    kept = ("Reload shows the file as it is now; your unsaved edits are kept as a "
            "version in File > Restore Previous Version.")
    if conflicts is None:
        return _ask(parent, "File Changed on Disk", f"{name} was changed by another program.",
                    "You have unsaved edits here. Keep Mine keeps them, and saving then "
                    f"overwrites the file.\n\n{kept}",
                    [("Reload", DESTRUCTIVE, "reload"), ("Keep Mine", REJECT, "keep")],
                    "keep", "Warning")
    both = (f"Changed on both sides (yours is kept): {', '.join(conflicts)}." if conflicts
            else "No part you edited was changed on disk too.")
    return _ask(parent, "File Changed on Disk", f"{name} was changed by another program.",
                "You have unsaved edits here.\n\nKeep Mine, Take Theirs Elsewhere: the "
                "parts you edited stay as you have them, every other part takes the "
                f"file's new version. {both}\n\nKeep All Mine: saving then overwrites "
                f"every change the other program made.\n\n{kept}",
                [("Keep Mine, Take Theirs Elsewhere", ACCEPT, "merge"),
                 ("Reload", DESTRUCTIVE, "reload"),
                 ("Keep All Mine", REJECT, "keep")],  # last: the answer of a box closed
                "merge", "Warning")


def ask_recover(parent: Optional[QWidget], offer) -> str:
    """'recover', 'discard' or 'later' for the autosave of a window that died
    (``offer``: a RecoveryOffer, shown with the diff of its edits)."""
    from scheduler_studio.gui.window.recovery_dialog import RecoveryDialog

    dialog = RecoveryDialog(offer, parent)
    dialog.exec()
    return dialog.answer()


def ask_replace(parent: Optional[QWidget], path: str) -> str:
    """'replace' or 'cancel' before writing over a file that is not the open one."""
    return _ask(parent, "Replace File", f"{path} already exists.",
                "The old file is kept in the studio's backups "
                "(File > Restore Previous Version).",
                [("Replace", ACCEPT, "replace"),
                 ("Cancel", REJECT, "cancel")], "cancel", "Warning")
