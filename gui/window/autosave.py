"""Autosave every few seconds, and find what a crashed session left behind.

Each window writes its unsaved document to ``<data dir>/autosave/<key>.json``
(the fields, see ``doc_codec``) while it holds ``<key>.lock``. Saving the
document or closing the window cleanly deletes the autosave. At start, an
autosave whose lock nobody holds was left by a session that ended without
cleaning up: that is what the window offers to recover. A live session in
another process keeps its lock, so its autosave is never offered.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Union

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from engine.codegen import SchedulerDocument
from gui.window.doc_codec import document_from_json, document_to_json
from gui.window.document_model import DocumentModel

log = logging.getLogger(__name__)

FORMAT = 1


@dataclass(frozen=True)
class AutosaveEntry:
    """One autosave found on disk."""

    path: Path
    source: Optional[Path]  # the file the document belongs to, None if never saved
    saved_at: float
    title: str
    data: dict

    def document(self) -> SchedulerDocument:
        return document_from_json(self.data["document"])

    def is_stale(self) -> bool:
        """The file was saved after this autosave: nothing to recover."""
        if self.source is None or not self.source.exists():
            return False
        return self.source.stat().st_mtime >= self.saved_at

    def discard(self) -> None:
        for path in (self.path, self.path.with_suffix(".lock")):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("could not delete %s: %s", path, exc)


def default_data_dir() -> Path:
    """The user's data folder for the studio (autosaves live under it)."""
    import platformdirs  # only when the first autosave is due

    from gui.window.settings import APPLICATION, ORGANIZATION
    return Path(platformdirs.user_data_dir(APPLICATION, ORGANIZATION))


def write_autosave(path: Path, model_or_doc, source: Optional[Path], title: str) -> None:
    """Write one autosave atomically (also used by tests to fake a crash)."""
    doc = model_or_doc.document() if isinstance(model_or_doc, DocumentModel) else model_or_doc
    data = {"format": FORMAT, "source": str(source) if source else None,
            "saved_at": time.time(), "title": title, "document": document_to_json(doc)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".autosave.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def find_orphans(folder: Path) -> list[AutosaveEntry]:
    """Autosaves no running session owns, newest first (unreadable ones are skipped)."""
    found = []
    for path in sorted(Path(folder).glob("*.json")):
        lock = QLockFile(str(path.with_suffix(".lock")))
        lock.setStaleLockTime(0)  # only a dead owner makes a lock stale
        if not lock.tryLock(0):
            continue  # a live session's autosave
        lock.unlock()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                continue
            source = Path(data["source"]) if data.get("source") else None
            found.append(AutosaveEntry(path, source, float(data["saved_at"]),
                                       str(data.get("title", path.stem)), data))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable autosave %s: %s", path, exc)
    return sorted(found, key=lambda e: e.saved_at, reverse=True)


class Autosaver(QObject):
    """Writes the model's unsaved document every ``interval_ms``; owns its lock."""

    sig_saved = Signal(str)
    """An autosave was written (its path)."""

    def __init__(self, model: DocumentModel, folder: Union[Path, Callable[[], Path]],
                 interval_ms: int = 5000, parent: Optional[QObject] = None) -> None:
        """``folder`` may be a function: it is asked only when the first autosave is due."""
        super().__init__(parent)
        self._model = model
        self._folder_of = folder if callable(folder) else (lambda: Path(folder))
        self._key = os.urandom(6).hex()
        self._lock: Optional[QLockFile] = None
        self._written_version = -1
        self._timer = QTimer(self, interval=max(interval_ms, 200))
        self._timer.timeout.connect(self.save_now)
        model.sig_modified_changed.connect(self._on_modified_changed)

    @property
    def _folder(self) -> Path:
        return Path(self._folder_of())

    def path(self) -> Path:
        return self._folder / f"{self._key}.json"

    def start(self) -> None:
        self._timer.start()

    def is_running(self) -> bool:
        """Writing every interval (started, not shut down)."""
        return self._timer.isActive()

    def set_interval(self, msecs: int) -> None:
        """How often to write (the settings say seconds; tests want less)."""
        self._timer.setInterval(max(msecs, 20))

    def save_now(self) -> bool:
        """Write the autosave if there are unsaved edits not written yet."""
        model = self._model
        if not model.is_modified() or model.version() == self._written_version:
            return False
        if not self._hold_lock():
            return False
        try:
            write_autosave(self.path(), model, model.path(), model.display_name())
        except OSError as exc:  # a full disk must not disturb the user's typing
            log.warning("autosave failed: %s", exc)
            return False
        self._written_version = model.version()
        self.sig_saved.emit(str(self.path()))
        return True

    def discard(self) -> None:
        """Delete the autosave (the document was saved or deliberately dropped)."""
        self._written_version = -1
        try:
            self.path().unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("could not delete autosave: %s", exc)

    def shutdown(self) -> None:
        """A clean end: no autosave left behind, lock released."""
        self._timer.stop()
        self.discard()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _hold_lock(self) -> bool:
        if self._lock is None:
            self._folder.mkdir(parents=True, exist_ok=True)
            lock = QLockFile(str(self._folder / f"{self._key}.lock"))
            lock.setStaleLockTime(0)
            if not lock.tryLock(0):
                log.warning("autosave lock %s is taken", self._key)
                return False
            self._lock = lock
        return True

    def _on_modified_changed(self, modified: bool) -> None:
        if not modified:
            self.discard()
