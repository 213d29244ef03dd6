"""The offer to recover an autosave: whose edits, from when, and what they change."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from scheduler_studio.gui.window.diff_view import DiffView


@dataclass(frozen=True)
class RecoveryOffer:
    """What the offer says about one autosave."""

    title: str  # the document's name
    when: str  # when the autosave was written
    source: str  # the file it belongs to, or "never saved"
    window: str  # which window wrote it ("window 2 of process 4711, opened …")
    diff: str  # the file on disk → the autosave
    in_new_window: bool = False  # this window holds other edits: Recover opens another


class RecoveryDialog(QDialog):
    """Recover, Discard or Not Now, over the diff of the edits."""

    def __init__(self, offer: RecoveryOffer, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle("Recover Unsaved Work")
        self._answer = "later"
        heading = QLabel(f"<b>{_html(offer.title)}</b> had unsaved edits when its window "
                         "ended without closing.", self)
        details = QLabel(f"Autosaved {_html(offer.when)} by {_html(offer.window)}.<br>"
                         f"File: {_html(offer.source)}", self)
        details.setObjectName("recoveryDetails")
        details.setWordWrap(True)
        self.diff = DiffView(self)
        self.diff.set_diff(offer.diff, "The autosave holds the same module as the file.")
        self.buttons = QDialogButtonBox(self)
        recover = "Recover in New Window" if offer.in_new_window else "Recover"
        for text, answer, role in ((recover, "recover", QDialogButtonBox.ButtonRole.AcceptRole),
                                   ("Discard", "discard",
                                    QDialogButtonBox.ButtonRole.DestructiveRole),
                                   ("Not Now", "later", QDialogButtonBox.ButtonRole.RejectRole)):
            button = self.buttons.addButton(text, role)
            button.setObjectName(f"recovery:{answer}")
            button.clicked.connect(lambda _=False, a=answer: self._choose(a))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(details)
        layout.addWidget(QLabel("What recovering changes in the file on disk:", self))
        layout.addWidget(self.diff, 1)
        layout.addWidget(self.buttons)
        self.findChild(QPushButton, "recovery:recover").setDefault(True)
        self.resize(760, 520)

    def answer(self) -> str:
        return self._answer

    def _choose(self, answer: str) -> None:
        self._answer = answer
        self.accept() if answer != "later" else self.reject()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
