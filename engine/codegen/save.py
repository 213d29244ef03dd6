"""Atomic save: the file on disk is always either the old or the new module.

The new text goes to a temporary file in the same folder, is flushed to
disk, the current file becomes ``NAME.py.bak``, and the temporary file is
renamed into place. Any failure leaves the previous file and backup as they
were and removes the temporary file.
"""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Union


class SaveError(Exception):
    """Saving failed; the message says why and what is left on disk."""


def save_module(path: Union[str, os.PathLike], data: Union[bytes, str]) -> None:
    """Write the module's bytes (a str is written as UTF-8)."""
    target = Path(path)
    backup = target.with_name(target.name + ".bak")
    if isinstance(data, str):
        data = data.encode("utf-8")
    if target.is_file() and not os.access(target, os.W_OK):
        # renaming over it would work (the folder decides), but read-only means "keep"
        raise SaveError(_said(target, "the file is read-only"))
    temp = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if target.exists():
            _copy_mode(target, temp)
            _replace_backup(target, backup)
        os.replace(temp, target)
        temp = None
        _sync_dir(target.parent)
    except OSError as exc:
        raise SaveError(_message(target, exc)) from exc
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass


def _replace_backup(target: Path, backup: Path) -> None:
    """Make ``backup`` a hard link to the current file (a copy where links
    are not possible), replacing the old backup only once that worked.

    The link's name is unique to this save: concurrent saves of one file
    (threads, processes) must not take each other's link away."""
    fresh = backup.with_name(f".{backup.name}.{os.urandom(6).hex()}.new")
    try:
        try:
            os.link(target, fresh)
        except OSError:
            fresh.write_bytes(target.read_bytes())
        os.replace(fresh, backup)
    finally:
        if fresh.exists():
            fresh.unlink()


def _copy_mode(source: Path, dest: str) -> None:
    try:
        os.chmod(dest, source.stat().st_mode & 0o7777)
    except OSError:
        pass


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _message(target: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "the folder or file is not writable"
    else:
        reason = exc.strerror or str(exc)
    return _said(target, reason)


def _said(target: Path, reason: str) -> str:
    return (f"could not save {target}: {reason}. The file on disk was not "
            "changed.")
