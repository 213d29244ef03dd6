"""Following a job's log and status while it runs, without blocking the GUI.

`LogFollower` reads a ``file://`` log incrementally (QFileSystemWatcher, plus a light
timer while the job runs, for file systems that do not notify) and keeps only the tail
past a cap. `StatusPoller` re-reads a status URI (a file, or http through
QNetworkAccessManager) every few seconds while asked to.
"""
from __future__ import annotations

import os
from typing import Optional
from urllib.parse import unquote, urlparse

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, QUrl, Signal
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

LOG_CAP_CHARS = 256 * 1024
LOG_READ_BYTES = 512 * 1024
LOG_POLL_MS = 1000
STATUS_CAP_BYTES = 4096
STATUS_POLL_MS = 2000


def local_path(uri: str) -> str:
    """The file a ``file://`` URI (or a plain path) names; "" for other schemes."""
    if not uri:
        return ""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    if parsed.scheme == "" and os.path.isabs(uri):
        return uri
    return ""


class LogFollower(QObject):
    """The tail of one log file, re-read as it grows."""

    sig_changed = Signal(str, bool)
    """The log text now (at most LOG_CAP_CHARS) and whether its head was cut off."""

    def __init__(self, parent: Optional[QObject] = None):
        super().__init__(parent)
        self._path = ""
        self._offset = 0
        self._text = ""
        self._truncated = False
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_changed)
        self._watcher.directoryChanged.connect(self._on_changed)
        self._timer = QTimer(self, interval=LOG_POLL_MS)
        self._timer.timeout.connect(self._on_changed)

    @property
    def text(self) -> str:
        return self._text

    @property
    def path(self) -> str:
        return self._path

    def follow(self, path: str, live: bool) -> None:
        """Show `path` ("" clears); keep reading it while `live`."""
        self.stop()
        self._path, self._offset, self._text, self._truncated = path, 0, "", False
        if path:
            self._watch()
            self._read()
            self.set_live(live)
        self.sig_changed.emit(self._text, self._truncated)

    def set_live(self, live: bool) -> None:
        if live and self._path:
            self._timer.start()
        else:
            self._timer.stop()
            if self._path and self._read():     # the job ended: pick up its last lines
                self.sig_changed.emit(self._text, self._truncated)

    def stop(self) -> None:
        self._timer.stop()
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)

    def _watch(self) -> None:
        if os.path.exists(self._path):
            if self._path not in self._watcher.files():
                self._watcher.addPath(self._path)
        elif os.path.isdir(os.path.dirname(self._path)):
            self._watcher.addPath(os.path.dirname(self._path))

    def _on_changed(self, _path: str = "") -> None:
        if self._path and self._read():
            self.sig_changed.emit(self._text, self._truncated)
        if self._path and self._path not in self._watcher.files():
            self._watch()

    def _read(self) -> bool:
        try:
            with open(self._path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size < self._offset:                   # rewritten: start over
                    self._offset, self._text = 0, ""
                if size - self._offset > LOG_READ_BYTES:  # jump to the tail
                    self._offset, self._truncated = size - LOG_READ_BYTES, True
                handle.seek(self._offset)
                data = handle.read(LOG_READ_BYTES)
        except OSError:
            return False
        if not data:
            return False
        self._offset += len(data)
        self._text += data.decode("utf-8", "replace")
        if len(self._text) > LOG_CAP_CHARS:
            self._text, self._truncated = self._text[-LOG_CAP_CHARS:], True
        return True


class StatusPoller(QObject):
    """The text behind a status URI, re-read every STATUS_POLL_MS while polling."""

    sig_status = Signal(str)
    """The latest status text (or why it could not be read)."""

    def __init__(self, parent: Optional[QObject] = None, interval_ms: int = STATUS_POLL_MS):
        super().__init__(parent)
        self._uri = ""
        self._reply: Optional[QNetworkReply] = None
        self._network: Optional[QNetworkAccessManager] = None
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.poll)

    @property
    def uri(self) -> str:
        return self._uri

    def watch(self, uri: str, live: bool) -> None:
        """Read `uri` now, and again every few seconds while `live`."""
        self._uri = uri
        self.poll()
        self.set_live(live)

    def set_live(self, live: bool) -> None:
        if live and self._uri:
            self._timer.start()
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()
        if self._reply is not None:
            self._reply.abort()

    def poll(self) -> None:
        uri = self._uri
        if not uri:
            return
        path = local_path(uri)
        if path:
            try:
                with open(path, "rb") as handle:
                    text = handle.read(STATUS_CAP_BYTES).decode("utf-8", "replace").strip()
            except OSError as exc:
                text = f"(not readable yet: {exc.strerror})"
            self.sig_status.emit(text)
        elif urlparse(uri).scheme in ("http", "https"):
            self._get(uri)
        else:
            self.sig_status.emit("(no reader for this URI: open it with the link)")

    def _get(self, uri: str) -> None:
        if self._reply is not None:
            return                                        # the previous poll is still out
        if self._network is None:
            self._network = QNetworkAccessManager(self)
        request = QNetworkRequest(QUrl(uri))
        request.setTransferTimeout(STATUS_POLL_MS)
        self._reply = self._network.get(request)
        self._reply.finished.connect(self._on_reply)

    def _on_reply(self) -> None:
        reply, self._reply = self._reply, None
        if reply is None:
            return
        if reply.error() == QNetworkReply.NetworkError.NoError:
            text = bytes(reply.read(STATUS_CAP_BYTES)).decode("utf-8", "replace").strip()
        else:
            text = f"(could not read status: {reply.errorString()})"
        reply.deleteLater()
        self.sig_status.emit(text)
