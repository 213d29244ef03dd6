"""Two versions of a module side by side as a unified diff, read-only.

The recovery offer shows an autosave against the file on disk, Restore
Previous Version a kept version against it: the user sees what they get.
"""
from __future__ import annotations

import difflib
from typing import Optional

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    """The lines that differ, with three lines of context ("" when none differ)."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True),
                                        old_label, new_label))


def as_text(data: Optional[bytes]) -> str:
    """Module bytes as text for showing (never fails: odd bytes are shown as �)."""
    return "" if data is None else data.decode("utf-8", errors="replace")


class DiffView(QPlainTextEdit):
    """A monospace, read-only view of a diff."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("diffView")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

    def set_diff(self, diff: str, same: str = "No differences.") -> None:
        self.setPlainText(diff or same)
