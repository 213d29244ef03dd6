"""Notices when another program changes the open file (TDs also edit it in their IDE).

Editors and ``save_module`` replace files by renaming, which makes
QFileSystemWatcher drop the path; the folder is watched too so the file is
picked up again. Our own writes are told in advance (``expect``), and a
change whose bytes are the ones last known is no change.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 250  # editors write in steps; look once they are done


def digest(data: bytes) -> str:
    import hashlib  # with the first file read: OpenSSL's import is not for start-up
    return hashlib.sha256(data).hexdigest()


class DiskWatcher(QObject):
    """Watches one file; emits when its bytes differ from the last ones known."""

    sig_changed = Signal(object)
    """The file now holds other bytes than we know of (a Path)."""

    sig_removed = Signal(object)
    """The file is gone (a Path)."""

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._watcher: Optional[QFileSystemWatcher] = None  # made when first needed
        self._path: Optional[Path] = None
        self._known: Optional[str] = None  # the bytes on disk, as last seen or written
        self._expected: Optional[str] = None  # the bytes a write of ours is putting there
        self._gone_reported = False
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._check)

    def path(self) -> Optional[Path]:
        return self._path

    def watch(self, path: Optional[Path], data: Optional[bytes] = None) -> None:
        """Watch ``path`` (None: nothing), whose bytes are ``data`` (read now if not given)."""
        self.unwatch()
        if path is None:
            return
        self._path = Path(path)
        if data is None:
            try:
                data = self._path.read_bytes()
            except OSError:
                data = b""
        self._known = digest(data)
        self._gone_reported = False
        self._rewatch()

    def expect(self, data: Optional[bytes]) -> None:
        """We are about to write ``data`` ourselves: finding it there is no outside
        change. The bytes known stay known until the write is done (``watch``): a write
        that failed (``expect(None)``) left the file as it was, and that is no change
        either."""
        self._expected = None if data is None else digest(data)

    def unwatch(self) -> None:
        self._settle.stop()
        if self._watcher is not None:
            for paths in (self._watcher.files(), self._watcher.directories()):
                if paths:
                    self._watcher.removePaths(paths)
        self._path = self._known = self._expected = None

    def stop(self) -> None:
        self.unwatch()

    def _rewatch(self) -> None:
        path = self._path
        if path is None:
            return
        if self._watcher is None:  # its set-up costs tens of milliseconds: not at start-up
            self._watcher = QFileSystemWatcher(self)
            self._watcher.fileChanged.connect(self._on_event)
            self._watcher.directoryChanged.connect(self._on_event)
        if path.exists() and str(path) not in self._watcher.files():
            self._watcher.addPath(str(path))
        if path.parent.is_dir() and str(path.parent) not in self._watcher.directories():
            self._watcher.addPath(str(path.parent))

    def _on_event(self, _changed: str) -> None:
        if self._path is not None:
            self._settle.start()

    def check_now(self) -> None:
        """Look at the file now (the window was activated: network drives miss events)."""
        self._settle.stop()
        self._check()

    def _check(self) -> None:
        path = self._path
        if path is None:
            return
        self._rewatch()
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            if not self._gone_reported:
                self._gone_reported = True
                self.sig_removed.emit(path)
            return
        except OSError:
            return
        self._gone_reported = False
        current = digest(data)
        if current == self._expected:  # ours, written
            self._known, self._expected = current, None
        elif current != self._known:
            self._known = current  # ask once per new content
            self.sig_changed.emit(path)
