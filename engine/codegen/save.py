"""Saving a module without changing what the file is: the same file, only new bytes.

The file is found through symlinks (the link stays a link; its target gets
the new bytes). The new bytes go to a temporary file beside the target,
created like any new file (mode ``0o666`` less the umask, the folder's
default ACL), flushed to disk. For an existing file the temporary file then
gets its owner, group, mode, ACLs and extended attributes, and is renamed
over it: the file on disk is always either the old or the new version.

Where the rename would change the file's identity — it has other hard links,
or its owner, group or an attribute cannot be given to a new file — the new
bytes are written into the file itself instead, after the temporary copy was
written and read back (space is reserved first, so a full disk fails before
anything is overwritten; a failed write puts the old bytes back).

The version replaced is kept in the studio's backup folder
(``scheduler_studio.engine.codegen.backups``), not beside the file; ``keep_bak=True`` also
leaves ``NAME.py.bak`` beside it. Any failure leaves the file as it was and
removes the temporary file.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from scheduler_studio.engine.codegen.backups import BackupStore, default_store


class SaveError(Exception):
    """Saving failed; the message says why and what is left on disk."""


@dataclass(frozen=True)
class SaveReport:
    """What a save did besides writing the bytes."""

    path: Path  # the file written (symlinks resolved)
    backup: Optional[Path] = None  # the copy of the replaced version
    in_place: str = ""  # why the bytes were written into the file rather than renamed over it
    warnings: tuple[str, ...] = ()  # what was not kept (e.g. the backup folder is full)


def save_module(path: Union[str, os.PathLike], data: Union[str, bytes], *,
                keep_bak: bool = False, backups: Optional[BackupStore] = None) -> SaveReport:
    """Write ``data`` (``str`` is written as UTF-8, ``bytes`` as they are) to ``path``."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    target = Path(os.path.realpath(os.fspath(path)))
    try:
        current = os.stat(target)
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise SaveError(_message(target, exc)) from exc
    if current is not None and not stat.S_ISREG(current.st_mode):
        raise SaveError(_said(target, "it is not a regular file"))
    if current is not None and not os.access(target, os.W_OK):
        # renaming over it would work (the folder decides), but read-only means "keep"
        raise SaveError(_said(target, "the file is read-only"))
    temp: Optional[str] = None
    warnings: list[str] = []
    backup = None
    in_place = ""
    try:
        temp = _write_temp(target, payload)
        if current is not None:
            previous = target.read_bytes()
            backup = _keep_previous(backups, target, previous, current.st_mtime, warnings)
            in_place = ("it has other hard links" if current.st_nlink > 1
                        else _copy_identity(current, target, temp))
            if keep_bak:  # a link to a file written in place would change with it
                _replace_bak(target, target.with_name(target.name + ".bak"),
                             previous if in_place else None)
            if in_place:
                _verify(temp, payload)
                _write_in_place(target, payload, previous, temp)
        if not in_place:
            os.replace(temp, target)
            temp = None
            _sync_dir(target.parent)
    except _TornWrite as torn:
        temp = None  # the complete new version stays beside the file
        raise SaveError(f"could not save {target}: {torn.reason}. The file may be incomplete: "
                        f"the new version is in {torn.copy}, the previous one in the "
                        "studio's backups (File > Restore Previous Version).") from torn
    except OSError as exc:
        raise SaveError(_message(target, exc)) from exc
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
    return SaveReport(target, backup, in_place, tuple(warnings))


class _TornWrite(OSError):
    """An in-place write failed and the old bytes could not be put back."""

    def __init__(self, reason: str, copy: str) -> None:
        super().__init__(reason)
        self.reason, self.copy = reason, copy


def _write_temp(target: Path, data: bytes) -> str:
    """A new hidden file beside ``target`` holding ``data``, flushed to disk.

    Created with mode 0o666 so the umask (or the folder's default ACL)
    decides its permissions, as for any new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = str(target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp"))
        try:
            fd = os.open(name, flags, 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise OSError(errno.EEXIST, "no free temporary file name", str(target.parent))
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        os.unlink(name)
        raise
    return name


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _keep_previous(backups: Optional[BackupStore], target: Path, previous: bytes,
                   modified: float, warnings: list[str]) -> Optional[Path]:
    """Copy the version about to be replaced into the backup folder; a failure there
    is a warning, not a reason to refuse the save."""
    store = backups if backups is not None else default_store()
    try:
        return store.add(target, previous, modified)
    except OSError as exc:
        warnings.append(f"the previous version was not kept in {store.root}: "
                        f"{_reason(exc)}")
        return None


def _replace_bak(target: Path, backup: Path, copy_of: Optional[bytes]) -> None:
    """Make ``NAME.bak`` a hard link to the current file (a copy of ``copy_of`` when
    given, or where links are not possible), replacing the old one only once that
    worked. The name is unique to this save: concurrent saves must not take each
    other's link away."""
    fresh = backup.with_name(f".{backup.name}.{os.urandom(6).hex()}.new")
    try:
        if copy_of is None:
            try:
                os.link(target, fresh)
            except OSError:
                copy_of = target.read_bytes()
        if copy_of is not None:
            fresh.write_bytes(copy_of)
        os.replace(fresh, backup)
    finally:
        if fresh.exists():
            fresh.unlink()


def _copy_identity(current: os.stat_result, source: Path, temp: str) -> str:
    """Give ``temp`` the owner, group, ACLs, extended attributes and mode of ``source``.

    Returns why that is impossible ("" when done): the file is then written in place.
    """
    made = os.stat(temp)
    if (made.st_uid, made.st_gid) != (current.st_uid, current.st_gid):
        try:
            os.chown(temp, current.st_uid, current.st_gid)
        except PermissionError:
            return "its owner or group cannot be given to a new file"
    reason = _copy_xattrs(source, temp)
    if reason:
        return reason
    os.chmod(temp, stat.S_IMODE(current.st_mode))  # last: chown clears set-id bits
    return ""


def _copy_xattrs(source: Path, temp: str) -> str:
    """Make the extended attributes of ``temp`` those of ``source`` (POSIX ACLs are
    the ``system.posix_acl_access`` attribute; a folder's default ACL may have
    given the new file one the old file does not have)."""
    if not hasattr(os, "listxattr"):
        return ""
    try:
        wanted = {name: os.getxattr(source, name) for name in os.listxattr(source)}
        present = os.listxattr(temp)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP)):
            return ""
        raise
    for name in present:
        if name not in wanted:
            try:
                os.removexattr(temp, name)
            except OSError:
                return f"its attributes cannot be matched on a new file ({name})"
    for name, value in wanted.items():
        try:
            os.setxattr(temp, name, value)
        except OSError:
            return f"its extended attribute {name} cannot be given to a new file"
    return ""


def _verify(copy: str, data: bytes) -> None:
    with open(copy, "rb") as handle:
        if handle.read() != data:
            raise OSError(errno.EIO, "the temporary copy did not read back as written")


def _write_in_place(target: Path, data: bytes, previous: bytes, copy: str) -> None:
    """Overwrite the file's own bytes (its inode, links and attributes stay); space is
    reserved first, and a failed write puts ``previous`` back. ``copy`` holds ``data``
    and is left for the user when neither worked."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        if len(data) > len(previous) and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(fd, 0, len(data))
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    raise
        try:
            _overwrite(fd, data)
        except OSError as exc:
            try:
                _overwrite(fd, previous)
            except OSError:
                raise _TornWrite(_reason(exc), copy) from exc
            raise
    finally:
        os.close(fd)
    with open(target, "rb") as handle:
        if handle.read() != data:
            raise _TornWrite("the file did not read back as written", copy)


def _overwrite(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


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


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the folder or file is not writable"
    return exc.strerror or str(exc)


def _message(target: Path, exc: OSError) -> str:
    return _said(target, _reason(exc))


def _said(target: Path, reason: str) -> str:
    return (f"could not save {target}: {reason}. The file on disk was not "
            "changed.")
