"""Autosave every few seconds, and find what a session that died left behind.

Each window writes its unsaved document to ``<autosave dir>/<key>.json``
(the fields, see ``doc_codec``, and which window wrote it) while it holds
``<key>.lock``: an OS file lock (``filelock``), which the kernel releases
when the process dies, however it dies. An autosave whose lock nobody holds
is an orphan: ``scheduler_studio.gui.window.recovery`` offers it when its file is opened or
at a bare start, and it is deleted only once the user discarded it or its
edits live on (saved, or in the recovering window's own autosave). A live
window in any process keeps its lock, so its autosave is never offered.

A failing autosave (a full disk, a folder that cannot be written) is said
through ``sig_failed`` with the real reason; ``sig_failed("")`` once it
works again.
"""
from __future__ import annotations

import errno
import itertools
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Union

from PySide6.QtCore import QObject, QTimer, Signal

from scheduler_studio.engine.codegen import SchedulerDocument
from scheduler_studio.gui.window.doc_codec import document_from_json, document_to_json
from scheduler_studio.gui.window.document_model import DocumentModel

log = logging.getLogger(__name__)

FORMAT = 1
_WINDOW_NUMBERS = itertools.count(1)  # "window 2" of this process


@dataclass(frozen=True)
class WindowIdentity:
    """Which window wrote an autosave: told in the recovery offer."""

    pid: int
    number: int
    opened_at: float

    def describe(self) -> str:
        opened = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.opened_at))
        return f"window {self.number} of process {self.pid}, opened {opened}"

    @classmethod
    def from_json(cls, data) -> Optional["WindowIdentity"]:
        try:
            return cls(int(data["pid"]), int(data["number"]), float(data["opened_at"]))
        except (TypeError, KeyError, ValueError):
            return None


@dataclass(frozen=True)
class AutosaveEntry:
    """One autosave found on disk."""

    path: Path
    source: Optional[Path]  # the file the document belongs to, None if never saved
    saved_at: float
    title: str
    data: dict = field(repr=False)
    window: Optional[WindowIdentity] = None

    @property
    def lock_path(self) -> Path:
        return self.path.with_suffix(".lock")

    def document(self) -> SchedulerDocument:
        return document_from_json(self.data["document"])

    @property
    def raw_text(self) -> Optional[str]:
        """The whole module's text, for a module edited whole (`raw_text`), else None."""
        text = self.data.get("raw_text")
        return text if isinstance(text, str) else None

    def belongs_to(self, path: Path) -> bool:
        """The autosave holds edits of ``path`` (symlinks and relative names resolved)."""
        return self.source is not None and (
            os.path.realpath(self.source) == os.path.realpath(path))

    def discard(self) -> None:
        for path in (self.path, self.lock_path):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("could not delete %s: %s", path, exc)


def write_autosave(path: Path, model_or_doc, source: Optional[Path], title: str,
                   window: Optional[WindowIdentity] = None) -> None:
    """Write one autosave atomically (also used by tests to fake a crash); OSError
    says why it could not be written."""
    data = {"format": FORMAT, "source": str(source) if source else None,
            "saved_at": time.time(), "title": title, "window": vars(window) if window else None}
    if isinstance(model_or_doc, DocumentModel) and model_or_doc.raw() is not None:
        data["raw_text"] = model_or_doc.raw_text()   # a module edited whole: its text
    else:
        doc = model_or_doc.document() if isinstance(model_or_doc, DocumentModel) \
            else model_or_doc
        data["document"] = document_to_json(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.stem}.{os.urandom(4).hex()}.tmp")
    try:
        with open(temp, "w", encoding="utf-8", opener=_private) as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _private(path: str, flags: int) -> int:
    """Open for ``open(opener=...)``: only the user reads their unsaved code."""
    return os.open(path, flags, 0o600)


def _lock(path: Path):
    from filelock import FileLock  # loaded with the first autosave, not at start-up

    return FileLock(str(path))


def _is_held(lock_path: Path) -> bool:
    """Some live window (of any process) holds this lock."""
    from filelock import Timeout

    if not lock_path.exists():
        return False
    lock = _lock(lock_path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    except OSError as exc:  # cannot even look: leave it alone rather than offer it twice
        log.warning("cannot check the autosave lock %s: %s", lock_path, exc)
        return True
    lock.release()
    return False


def find_orphans(folder: Path) -> list[AutosaveEntry]:
    """Autosaves no live window owns, newest first (unreadable ones are skipped)."""
    found = []
    for path in sorted(Path(folder).glob("*.json")):
        if _is_held(path.with_suffix(".lock")):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                continue
            source = Path(data["source"]) if data.get("source") else None
            found.append(AutosaveEntry(path, source, float(data["saved_at"]),
                                       str(data.get("title", path.stem)), data,
                                       WindowIdentity.from_json(data.get("window"))))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable autosave %s: %s", path, exc)
    return sorted(found, key=lambda e: e.saved_at, reverse=True)


def failure_reason(exc: OSError) -> str:
    """The words for an OSError the user can act on."""
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "the folder is not writable"
    else:
        reason = exc.strerror or str(exc)
    where = exc.filename or ""
    return f"{reason} ({where})" if where else reason


class Autosaver(QObject):
    """Writes the model's unsaved document every ``interval_ms``; owns its lock."""

    sig_saved = Signal(str)
    """An autosave was written (its path)."""

    sig_failed = Signal(str)
    """Autosaving failed (the reason), or works again (an empty string)."""

    def __init__(self, model: DocumentModel, folder: Union[Path, Callable[[], Path]],
                 interval_ms: int = 5000, parent: Optional[QObject] = None) -> None:
        """``folder`` may be a function: it is asked only when the first autosave is due."""
        super().__init__(parent)
        self._model = model
        self._folder_of = folder if callable(folder) else (lambda: Path(folder))
        self._key = os.urandom(6).hex()
        self.identity = WindowIdentity(os.getpid(), next(_WINDOW_NUMBERS), time.time())
        self._lock = None
        self._adopted: list[tuple[AutosaveEntry, object]] = []
        self._written_version = -1
        self._failure = ""
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

    def failure(self) -> str:
        """Why the last autosave failed ("" when it worked)."""
        return self._failure

    def save_now(self) -> bool:
        """Write the autosave if there are unsaved edits not written yet."""
        model = self._model
        if not model.is_modified() or model.version() == self._written_version:
            return False
        try:
            self._hold_lock()
            write_autosave(self.path(), model, model.path(), model.display_name(),
                           self.identity)
        except OSError as exc:  # a full disk must not disturb the user's typing
            self._set_failure(failure_reason(exc))
            return False
        self._written_version = model.version()
        self._set_failure("")
        self._drop_adopted()  # their edits are in this autosave now
        self.sig_saved.emit(str(self.path()))
        return True

    def adopt(self, entry: AutosaveEntry) -> None:
        """Hold a recovered orphan (locked, so no other window offers it) until this
        window's own autosave or a save holds its edits."""
        lock = _lock(entry.lock_path)
        try:
            lock.acquire(timeout=0)
        except Exception as exc:  # noqa: BLE001 - Timeout or OSError: keep it unlocked
            log.warning("could not lock the recovered autosave %s: %s", entry.path, exc)
            lock = None
        self._adopted.append((entry, lock))

    def discard(self) -> None:
        """Delete the autosave (the document was saved or deliberately dropped)."""
        self._written_version = -1
        try:
            self.path().unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("could not delete autosave: %s", exc)
        self._drop_adopted()
        self._set_failure("")

    def shutdown(self) -> None:
        """A clean end: no autosave left behind, locks released."""
        self._timer.stop()
        self.discard()
        if self._lock is not None:
            self._lock.release()
            try:
                self._folder.joinpath(f"{self._key}.lock").unlink()
            except OSError:
                pass
            self._lock = None

    def _hold_lock(self) -> None:
        """Take this window's lock (OSError with the real reason when impossible)."""
        if self._lock is not None:
            return
        from filelock import Timeout

        self._folder.mkdir(parents=True, exist_ok=True)
        lock = _lock(self._folder / f"{self._key}.lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise OSError(errno.EBUSY, "another process holds this window's autosave lock",
                          lock.lock_file) from None
        self._lock = lock

    def _drop_adopted(self) -> None:
        for entry, lock in self._adopted:
            entry.discard()
            if lock is not None:
                lock.release()
        self._adopted.clear()

    def _set_failure(self, reason: str) -> None:
        if reason != self._failure:
            self._failure = reason
            if reason:
                log.warning("autosave failed: %s", reason)
            self.sig_failed.emit(reason)

    def _on_modified_changed(self, modified: bool) -> None:
        if not modified:
            self.discard()
