"""File > Restore Previous Version: the versions saves replaced, and bringing one back.

Each save keeps the version it replaced in the studio's backup folder
(``scheduler_studio.engine.codegen.backups``). The dialog lists them, newest first, with the
diff against the file on disk; Restore shows the chosen version in the
window as unsaved edits of the file (Save writes it; the version on disk
then becomes a kept version in turn), so nothing is overwritten by choosing.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem,
                               QVBoxLayout, QWidget)

from scheduler_studio.engine.codegen.backups import Backup
from scheduler_studio.gui.window import prompts
from scheduler_studio.gui.window.diff_view import DiffView, as_text, unified_diff


class RestoreVersionDialog(QDialog):
    """The kept versions of one file; the diff of the selected one against the file."""

    def __init__(self, path: Path, versions: list[Backup], current: Optional[bytes],
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreVersionDialog")
        self.setWindowTitle("Restore Previous Version")
        self._path, self._versions, self._current = path, versions, current
        self.list = QListWidget(self)
        self.list.setObjectName("versionList")
        for backup in versions:
            item = QListWidgetItem(f"{_when(backup.modified)}  ·  {_size(backup.size)}", self.list)
            item.setToolTip(str(backup.path))
        self.diff = DiffView(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Versions of {path} that saves replaced (newest first):",
                                self))
        layout.addWidget(self.list)
        layout.addWidget(QLabel("What restoring changes in the file on disk:", self))
        layout.addWidget(self.diff, 1)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._show_diff)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.resize(760, 560)
        self.list.setCurrentRow(0)

    def chosen(self) -> Optional[Backup]:
        row = self.list.currentRow()
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def _show_diff(self, row: int) -> None:
        if not 0 <= row < len(self._versions):
            return
        backup = self._versions[row]
        try:
            old = as_text(backup.read())
        except OSError as exc:
            self.diff.setPlainText(f"Cannot read {backup.path}: {exc.strerror or exc}")
            return
        self.diff.set_diff(unified_diff(as_text(self._current), old, f"{self._path} (on disk)",
                                        f"version of {_when(backup.modified)}"),
                           "This version is the same as the file on disk.")


def open_restore_dialog(window) -> Optional[RestoreVersionDialog]:
    """Open the dialog for the window's file (None, said why, when there is nothing)."""
    path = window.document_model.path()
    if path is None:
        prompts.tell(window, "information", "Restore Previous Version",
                     "This scheduler was never saved, so no earlier version of it is kept.")
        return None
    versions = window.backup_store().versions(path)
    if not versions:
        prompts.tell(window, "information", "Restore Previous Version",
                     f"No earlier version of {path.name} is kept yet: one is kept each "
                     "time a save replaces the file.")
        return None
    try:
        current = path.read_bytes()
    except OSError:
        current = None
    dialog = RestoreVersionDialog(path, versions, current, window)
    dialog.accepted.connect(lambda: restore(window, path, dialog.chosen()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def restore(window, path: Path, backup: Optional[Backup]) -> bool:
    """Show ``backup`` in the window as unsaved edits of ``path`` (after asking about
    edits the window holds)."""
    if backup is None or not window.files.maybe_save("restoring a previous version"):
        return False
    from scheduler_studio.engine.codegen import SchedulerParseError, parse
    from scheduler_studio.gui.window.recovery import disk_state

    try:
        document = parse(backup.read(), filename=str(path))
    except SchedulerParseError as exc:
        prompts.tell(window, "critical", "Cannot Restore",
                     f"That version does not read as a scheduler module (line {exc.line}: "
                     f"{exc.message}). It is kept in {backup.path}.")
        return False
    except OSError as exc:
        prompts.tell(window, "critical", "Cannot Restore",
                     f"Could not read {backup.path}: {exc.strerror or exc}")
        return False
    disk = disk_state(path)
    window.document_model.reset(document, path, saved=disk.document,
                                unsaved=disk.document is None)
    window.files.watcher.watch(path, disk.data)
    window.status.show_message(f"Restored the version of {_when(backup.modified)}: "
                               "save to write it to the file")
    return True


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))


def _size(size: int) -> str:
    return f"{size} bytes" if size < 1024 else f"{size / 1024:.1f} KB"
