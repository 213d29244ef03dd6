"""The panel's error line: why the last cook could not start, or what raised in it.

Shown under the progress row only when there is something to say. The message names the
file and line and links to the editor; a missing module is named, and the bar has room
for actions about it (`add_action`: the stand-in buttons of the stand-in issue go here,
connected through `CookPanel.sig_missing_module`).
"""
from __future__ import annotations

import html
from typing import Callable, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from scheduler_studio.gui.cook.cook_errors import CookError
from scheduler_studio.gui.cook.look import STATE_COLOURS

GO_LINK = "go"


class ErrorBar(QWidget):
    """One line of rich text with a "go to line" link and optional action buttons."""

    sig_go_to_error = Signal(object)
    """The user clicked the location of this CookError."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("cook_error_bar")
        self._error: Optional[CookError] = None
        self._label = QLabel(self)
        self._label.setObjectName("cook_error")
        self._label.setTextFormat(Qt.TextFormat.RichText)
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self._label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._label.linkActivated.connect(self._on_link)
        self._actions = QHBoxLayout()
        self._actions.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._label, 1)
        layout.addLayout(self._actions)
        self.hide()

    def error(self) -> Optional[CookError]:
        return self._error

    def text(self) -> str:
        """The message as plain text (what the user reads)."""
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(self._label.text())
        return document.toPlainText()

    def show_error(self, error: Optional[CookError], extra: int = 0) -> None:
        """Show `error` (None hides the bar); `extra`: how many more errors there are."""
        self._clear_actions()
        self._error = error
        if error is None:
            self._label.clear()
            self.hide()
            return
        colour = STATE_COLOURS["failed"]
        parts = [f"<span style='color:{colour}'><b>{html.escape(error.summary())}</b></span>"]
        place = error.place_text()  # the editor's place, not the scratch file the cook ran
        if place:
            parts.append(f"<a href='{GO_LINK}'>{html.escape(place)}</a>")
        if extra:
            parts.append(f"{extra} more error{'s' if extra > 1 else ''} in Problems")
        self._label.setText(" &nbsp;·&nbsp; ".join(parts))
        self.show()

    def add_action(self, text: str, slot: Callable[[], None], tip: str = "") -> QToolButton:
        """A button beside the message (cleared with the next message)."""
        button = QToolButton(self, text=text, toolTip=tip, autoRaise=False)
        button.clicked.connect(lambda _checked=False: slot())
        self._actions.addWidget(button)
        return button

    def action_buttons(self) -> list[QToolButton]:
        return [self._actions.itemAt(i).widget() for i in range(self._actions.count())]

    def _clear_actions(self) -> None:
        while self._actions.count():
            widget = self._actions.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def _on_link(self, link: str) -> None:
        if link == GO_LINK and self._error is not None:
            self.sig_go_to_error.emit(self._error)

