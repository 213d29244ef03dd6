"""The Submit As Job tab: node path, the submit button, and the returned status link.

``submitAsJob(graph_file, node_path)`` hands the whole network to a farm as one job and
returns a status URI; the tab shows it as a link and polls it while the user watches.
"""
from __future__ import annotations

import html
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QWidget)

from scheduler_studio.gui.cook.followers import StatusPoller
from scheduler_studio.gui.cook.look import STATE_COLOURS
from scheduler_studio.gui.cook.scrolling_page import scrolling_layout

DEFAULT_NODE_PATH = "/obj/topnet1"


class SubmitJobWidget(QWidget):
    """Asks for the node path, shows the answer of submitAsJob and polls its status."""

    sig_submit_requested = Signal(str)
    """The user pressed Submit: the node path to cook as a job."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._graph = QLabel(self)
        self._graph.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._node = QLineEdit(DEFAULT_NODE_PATH, self)
        self._submit = QPushButton("Submit As Job", self)
        self._submit.clicked.connect(self._on_submit)
        self._message = QLabel(self)
        self._message.setWordWrap(True)
        self._link = QLabel(self)
        self._link.setOpenExternalLinks(True)
        self._link.setTextFormat(Qt.TextFormat.RichText)
        self._status = QLabel(self)
        self._status.setObjectName("job_status")
        self._status.setWordWrap(True)
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._poll = QPushButton("Stop polling", self)
        self._poll.setCheckable(True)
        self._poll.toggled.connect(self._on_poll_toggled)
        self._poll.hide()
        form = QFormLayout()
        form.addRow("Graph file:", self._graph)
        form.addRow("Node path:", self._node)
        buttons = QHBoxLayout()
        buttons.addWidget(self._submit)
        buttons.addStretch(1)
        buttons.addWidget(self._poll)
        layout = scrolling_layout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self._message)
        layout.addWidget(self._link)
        layout.addWidget(self._status)
        layout.addStretch(1)
        self._poller = StatusPoller(self)
        self._poller.sig_status.connect(self._on_status)

    @property
    def node_path(self) -> str:
        return self._node.text().strip() or DEFAULT_NODE_PATH

    def status_text(self) -> str:
        return self._status.text()

    def message_text(self) -> str:
        return self._message.text()

    def set_graph_file(self, path: str) -> None:
        self._graph.setText(path)

    def set_busy(self, busy: bool) -> None:
        self._submit.setEnabled(not busy)
        if busy:
            self.set_message("Submitting…")

    def set_message(self, text: str, error: bool = False) -> None:
        colour = STATE_COLOURS["failed"] if error else ""
        self._message.setStyleSheet(f"color: {colour}" if colour else "")
        self._message.setText(text)

    def set_result(self, status_uri: str, job_id: str) -> None:
        """submitAsJob answered: link its status URI and poll it."""
        self.set_busy(False)
        self.set_message(f"Submitted{' as job ' + job_id if job_id else ''}.")
        if not status_uri:
            self._link.setText("submitAsJob returned no status URI.")
            self._poll.hide()
            return
        escaped = html.escape(status_uri)
        self._link.setText(f"Status: <a href='{escaped}'>{escaped}</a>")
        self._poll.show()
        self._poll.setChecked(False)
        self._poller.watch(status_uri, True)

    def stop(self) -> None:
        self._poller.stop()

    def _on_submit(self) -> None:
        self.sig_submit_requested.emit(self.node_path)

    def _on_status(self, text: str) -> None:
        self._status.setText(text)

    def _on_poll_toggled(self, stopped: bool) -> None:
        self._poll.setText("Poll again" if stopped else "Stop polling")
        self._poller.set_live(not stopped)
