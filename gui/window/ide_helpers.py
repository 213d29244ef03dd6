"""The bridges to the TD's own IDE: copy the module's path, open it there, write stubs.

A TD keeps their IDE for long sessions and the studio for test cooks. Both can hold the
same file: the studio watches it on disk and offers the IDE's edits (`file_watcher`),
so "Open in IDE" saves first, then hands the file to the desktop's program for `.py`
(or to ``$SCHEDSTUDIO_IDE``, a command such as ``code`` or ``pycharm``). The stubs are
those of ``schedstudio stubs DIR``: `pdg` and `hou` as the test cook knows them.
"""
from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from scheduler_studio.gui.window.document_model import DocumentModel

IDE_ENV = "SCHEDSTUDIO_IDE"
STUBS_HINT = ("VS Code: set \"python.analysis.stubPath\" to it; PyCharm: mark it as a "
              "source root")


class IdeHelpers(QObject):
    """File > Copy Path / Open in IDE / Write pdg Stubs, for one window's document."""

    def __init__(self, model: DocumentModel, window: QWidget, save: Callable[[], bool],
                 say: Callable[[str], None], parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._model, self._window, self._save, self._say = model, window, save, say

    def copy_path(self) -> Optional[str]:
        """The module's full path on the clipboard (None: the module was never saved)."""
        path = self._model.path()
        if path is None:
            self._say("Not saved yet: no path to copy")
            return None
        text = str(Path(path).resolve())
        QGuiApplication.clipboard().setText(text)
        self._say(f"Copied {text}")
        return text

    def open_in_ide(self) -> bool:
        """Save (the IDE reads the disk), then open the file in the user's IDE."""
        if (self._model.path() is None or self._model.is_modified()) and not self._save():
            return False
        path = self._model.path()
        if path is None:
            return False
        command = os.environ.get(IDE_ENV, "").strip()
        if command:
            try:
                import subprocess  # only here: kept off the window's start

                subprocess.Popen(shlex.split(command) + [str(path)], start_new_session=True,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            except (OSError, ValueError) as exc:
                self._say(f"Cannot start {IDE_ENV}={command!r}: {exc}")
                return False
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._say(f"No program opens .py files here: set {IDE_ENV} (e.g. 'code')")
            return False
        self._say(f"Opened {path.name} in your IDE: the studio offers its saves here")
        return True

    def write_stubs(self, folder: Optional[Path] = None) -> Optional[Path]:
        """Write the `pdg`/`hou` stubs into a chosen folder; its path goes on the clipboard."""
        from scheduler_studio.engine.stubs import write_stubs
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self._window, "Folder for the pdg and hou stubs", str(Path.home()))
            if not chosen:
                return None
            folder = Path(chosen)
        try:
            written = write_stubs(folder)
        except OSError as exc:
            self._say(f"Cannot write the stubs in {folder}: {exc}")
            return None
        QGuiApplication.clipboard().setText(str(folder))
        self._say(f"Wrote {len(written)} stub files in {folder} (path copied). {STUBS_HINT}")
        return folder
