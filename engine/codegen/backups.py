"""Previous versions of saved files, kept in the studio's own backup folder.

A save copies the version it replaces here instead of leaving ``NAME.py.bak``
beside the file (in ``pdg/types`` or a git checkout). Each file has a folder
under ``appdirs.backup_dir()`` named from its resolved path; each version is
a copy of the replaced bytes carrying that version's mtime, named by when it
was replaced. The newest ``KEEP`` stay; an identical newest copy is not
repeated, so failed saves retried do not push the older versions out.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from scheduler_studio.engine import appdirs

KEEP = 10
SOURCE_NOTE = "source.txt"  # the full path of the file the folder's versions belong to
_SCRAP_AGE_S = 3600.0  # a copy half-written by a crashed save, removed by a later save


@dataclass(frozen=True)
class Backup:
    """One kept version of a file."""

    path: Path
    modified: float  # when that version was saved (its mtime then)
    size: int

    def read(self) -> bytes:
        return self.path.read_bytes()


class BackupStore:
    """The versions kept for every saved file, under one folder."""

    def __init__(self, root: Optional[Union[str, os.PathLike]] = None, keep: int = KEEP) -> None:
        self._root = Path(root) if root is not None else None
        self.keep = max(1, keep)

    @property
    def root(self) -> Path:
        if self._root is None:
            self._root = appdirs.backup_dir()
        return self._root

    def folder_for(self, path: Union[str, os.PathLike]) -> Path:
        """The folder of one file's versions (keyed by its resolved path)."""
        resolved = os.path.realpath(os.fspath(path))
        import hashlib  # OpenSSL's load kept off the window's start

        digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
        return self.root / f"{Path(resolved).name}-{digest}"

    def add(self, path: Union[str, os.PathLike], data: bytes, modified: float) -> Path:
        """Keep ``data`` as the newest version of ``path``; OSError when it cannot be."""
        folder = self.folder_for(path)
        versions = self.versions(path)
        if versions and versions[0].size == len(data) and versions[0].read() == data:
            return versions[0].path
        folder.mkdir(parents=True, exist_ok=True)
        note = folder / SOURCE_NOTE
        if not note.exists():
            note.write_text(os.path.realpath(os.fspath(path)) + "\n", encoding="utf-8",
                            errors="surrogateescape")
        name = f"{time.time_ns():020d}-{os.urandom(4).hex()}{Path(path).suffix or '.txt'}"
        copy, scrap = folder / name, folder / f".{name}.tmp"
        try:
            with open(scrap, "wb", opener=_private) as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.utime(scrap, (modified, modified))
            os.replace(scrap, copy)
        finally:
            if scrap.exists():
                scrap.unlink()
        self._prune(folder)
        return copy

    def versions(self, path: Union[str, os.PathLike]) -> list[Backup]:
        """The kept versions of ``path``, newest first."""
        folder = self.folder_for(path)
        try:
            names = sorted((n for n in os.listdir(folder) if _is_version(n)), reverse=True)
        except FileNotFoundError:
            return []
        found = []
        for name in names:
            try:
                info = os.stat(folder / name)
            except FileNotFoundError:  # pruned by a concurrent save
                continue
            found.append(Backup(folder / name, info.st_mtime, info.st_size))
        return found

    def _prune(self, folder: Path) -> None:
        names = sorted((n for n in os.listdir(folder) if _is_version(n)), reverse=True)
        old = [folder / n for n in names[self.keep:]]
        now = time.time()
        for name in os.listdir(folder):
            if name.startswith(".") and name.endswith(".tmp"):
                try:
                    if now - os.stat(folder / name).st_mtime > _SCRAP_AGE_S:
                        old.append(folder / name)
                except FileNotFoundError:
                    pass
        for path in old:
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def _private(path: str, flags: int) -> int:
    """Copies only the user may read (the module itself may be private)."""
    return os.open(path, flags, 0o600)


def _is_version(name: str) -> bool:
    return not name.startswith(".") and name != SOURCE_NOTE and name[:1].isdigit()


_default: Optional[BackupStore] = None


def default_store() -> BackupStore:
    """The store in the studio's data folder (looked up on first use)."""
    global _default
    root = appdirs.backup_dir()
    if _default is None or _default.root != root:  # $SCHEDSTUDIO_DATA_DIR may change (tests)
        _default = BackupStore(root)
    return _default
