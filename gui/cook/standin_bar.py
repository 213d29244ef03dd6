"""The cook panel's stand-in bar: a missing farm module, and the two ways to give it one.

Shown when a cook stopped at an import this machine cannot satisfy (the summary's
error carries ``missing_module``): "Record its calls" gives the module a recording
stand-in for the next cooks and cooks again; "Write a stand-in…" writes a starting
``MODULE.py`` in the stand-ins folder beside the scheduler and cooks again with it.
After any cook it lists the stand-ins the cook used.
"""
from __future__ import annotations

import os
from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

STANDIN_TEXT = '''"""Stand-in for {module} in Scheduler Studio's test cook.

The scheduler imports {module}, which only the farm has. Give the names it uses the
behaviour a test cook needs: for a farm client, run the submitted commands here
(subprocess) and answer its state queries from them.
"""


def __getattr__(name):
    raise AttributeError(f"the {module} stand-in has no {{name!r}} yet: add it to " + __file__)
'''


def used_text(used: list[dict[str, Any]]) -> str:
    """"Stand-ins: afclient (records calls, 12), redis (file)"."""
    parts = [f"{u['module']} (records calls, {u.get('calls', 0)})" if u.get("kind") == "recorder"
             else f"{u['module']} ({os.path.basename(str(u.get('path', '')))})" for u in used]
    return "Stand-ins: " + ", ".join(parts) if parts else ""


class StandInBar(QWidget):
    """Names the missing module and offers the two stand-ins; hidden when nothing is missing."""

    sig_record_requested = Signal(str)
    """Cook again with a recording stand-in for this module."""
    sig_written = Signal(str, str)
    """A stand-in file was written: (module, folder); cook again with that folder."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("standin_bar")
        self.module = ""
        self.folder = ""
        self.message = QLabel(self)
        self.message.setObjectName("standin_message")
        self.message.setWordWrap(True)
        self.record_button = QPushButton("Record its calls", self)
        self.record_button.setObjectName("standin_record")
        self.write_button = QPushButton("Write a stand-in…", self)
        self.write_button.setObjectName("standin_write")
        self.record_button.clicked.connect(self._on_record)
        self.write_button.clicked.connect(self._on_write)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.record_button)
        layout.addWidget(self.write_button)
        self.hide()

    def show_summary(self, summary: Optional[dict[str, Any]], folder: str) -> None:
        """After a cook: the missing module (with its buttons), else the stand-ins used."""
        summary = summary or {}
        missing = next((e for e in summary.get("errors", []) if e.get("missing_module")), None)
        used = used_text(summary.get("stand_ins", []))
        self.folder = folder
        if missing is not None:
            self.module = missing["missing_module"]
            self.message.setText(f"<b>{self.module}</b> is missing: the scheduler imports it "
                                 f"and this machine does not have it. Give the test cook a "
                                 f"stand-in for it.")
            self.message.setToolTip(missing.get("message", ""))
            self.record_button.setText(f"Record calls to {self.module}")
            self.write_button.setText(f"Write {self.module}.py stand-in…")
            self._buttons(True)
            self.show()
        elif used:
            self.module = ""
            self.message.setText(used)
            self.message.setToolTip("")
            self._buttons(False)
            self.show()
        else:
            self.hide()

    def clear(self) -> None:
        self.module = ""
        self.hide()

    def _buttons(self, visible: bool) -> None:
        self.record_button.setVisible(visible)
        self.write_button.setVisible(visible)

    def _on_record(self) -> None:
        if self.module:
            self.sig_record_requested.emit(self.module)

    def _on_write(self) -> None:
        """Write ``MODULE.py`` in the stand-ins folder (never over an existing file)."""
        if not self.module or not self.folder:
            return
        path = os.path.join(self.folder, self.module + ".py")
        try:
            os.makedirs(self.folder, exist_ok=True)
            if not os.path.exists(path):
                with open(path, "x", encoding="utf-8") as handle:
                    handle.write(STANDIN_TEXT.format(module=self.module))
        except OSError as exc:
            self.message.setText(f"Could not write {path}: {exc.strerror or exc}")
            return
        self.sig_written.emit(self.module, self.folder)
