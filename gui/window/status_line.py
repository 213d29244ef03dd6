"""The status bar: caret position, check results, a failing autosave, messages."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

MESSAGE_MS = 6000


class StatusLine(QStatusBar):
    """Permanent labels on the right; transient messages on the left. The problem
    count is a button: the Problems list takes no room until it is asked for."""

    sig_counts_clicked = Signal()
    """The user clicked the problem count (show or hide the Problems list)."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusLine")
        self.checks = QToolButton(self, autoRaise=True)
        self.checks.setObjectName("checkSummary")
        self.checks.setToolTip("Show or hide the Problems list (Ctrl+Shift+M)")
        self.checks.clicked.connect(lambda _checked=False: self.sig_counts_clicked.emit())
        self.position = QLabel(self)
        self.position.setObjectName("caretPosition")
        self.position.setMinimumWidth(self.fontMetrics().horizontalAdvance("Ln 9999, Col 999"))
        self.autosave = QLabel("Autosave failed", self)
        self.autosave.setObjectName("autosaveFailed")
        self.autosave.hide()
        self.addPermanentWidget(self.autosave)
        self.addPermanentWidget(self.checks)
        self.addPermanentWidget(self.position)

    def show_message(self, text: str) -> None:
        self.showMessage(text, MESSAGE_MS)

    def set_autosave_failure(self, text: str) -> None:
        """Show (text, its reason in the tooltip) or hide the autosave warning."""
        self.autosave.setToolTip(text)
        self.autosave.setVisible(bool(text))

    def set_position(self, line: int, column: int) -> None:
        self.position.setText(f"Ln {line}, Col {column + 1}")

    def set_counts(self, errors: int, warnings: int, checking: bool) -> None:
        if checking and not (errors or warnings):
            text = "Checking…"
        elif errors or warnings:
            parts = []
            if errors:
                parts.append(f"{errors} error{'s' if errors != 1 else ''}")
            if warnings:
                parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
            text = ", ".join(parts)
        else:
            text = "No problems"
        self.checks.setText(text)
