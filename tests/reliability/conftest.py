"""Fixtures for the reliability tests: a small disk that fills up.

`small_disk` mounts a 2 MB tmpfs (root may mount). Where mounting is refused it falls
back to a simulation, said in the test output: a ``sitecustomize`` put on PYTHONPATH
(and the same patch in the test process, undone after the test) makes Python writes
(``open``, ``shutil.copyfile``, ``os.write``, ``os.posix_fallocate``) under the folder
fail with ENOSPC once the files in it (whole 4 KB pages) pass 2 MB: for the cook host
and its Python jobs alike.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

DISK_BYTES = 2 * 2**20

_FAKE_FULL = textwrap.dedent('''
    """Simulated small disk (tests/reliability/conftest.py): writes under
    $RELIABILITY_FULL_DIR fail with ENOSPC once the files there pass the size."""
    import builtins, errno, io, os, shutil

    _DIR = os.path.realpath(os.environ["RELIABILITY_FULL_DIR"])
    _SIZE = int(os.environ["RELIABILITY_FULL_BYTES"])
    _open, _copyfile = builtins.open, shutil.copyfile

    def _pages(size):  # a disk hands out whole pages, as tmpfs does
        return -(-size // 4096) * 4096

    def _used():
        total = 0
        for folder, _, files in os.walk(_DIR):
            for name in files:
                try:
                    total += _pages(os.path.getsize(os.path.join(folder, name)))
                except OSError:
                    pass
        return total

    def _inside(path):
        try:
            return os.path.realpath(os.fspath(path)).startswith(_DIR + os.sep)
        except TypeError:
            return False

    def _full():
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    class _Limited:
        def __init__(self, handle):
            self._handle = handle
        def write(self, data):
            self._handle.flush()
            size = os.fstat(self._handle.fileno()).st_size
            end = max(size, self._handle.tell() + len(data))
            if _used() + _pages(end) - _pages(size) > _SIZE:
                _full()
            return self._handle.write(data)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self._handle.close()
        def __iter__(self):
            return iter(self._handle)
        def __getattr__(self, name):
            return getattr(self._handle, name)

    def _limited_open(file, mode="r", *args, **kwargs):
        handle = _open(file, mode, *args, **kwargs)
        if any(c in mode for c in "wax+") and not isinstance(file, int) and _inside(file):
            return _Limited(handle)
        return handle

    def _limited_copyfile(src, dst, *args, **kwargs):
        if _inside(dst) and _used() + _pages(os.path.getsize(src)) > _SIZE:
            _full()
        return _copyfile(src, dst, *args, **kwargs)

    _write, _fallocate = os.write, getattr(os, "posix_fallocate", None)

    def _fd_inside(fd):
        try:
            return _inside(os.readlink("/proc/self/fd/%d" % fd))
        except OSError:
            return False

    def _would_overflow(fd, end):
        size = os.fstat(fd).st_size
        return end > size and _used() + _pages(end) - _pages(size) > _SIZE

    def _limited_write(fd, data):  # save_module writes with os.write
        if fd > 2 and _fd_inside(fd) and _would_overflow(
                fd, os.lseek(fd, 0, os.SEEK_CUR) + len(data)):
            _full()
        return _write(fd, data)

    def _limited_fallocate(fd, offset, length):
        if _fd_inside(fd) and _would_overflow(fd, offset + length):
            _full()
        return _fallocate(fd, offset, length)

    builtins.open = io.open = _limited_open
    shutil.copyfile = _limited_copyfile
    os.write = _limited_write
    if _fallocate is not None:
        os.posix_fallocate = _limited_fallocate
''')


@dataclass
class SmallDisk:
    path: Path
    mounted: bool

    def fill(self) -> None:
        """Take every byte that is left."""
        with open(self.path / "hog.bin", "wb", buffering=0) as hog:
            try:
                while self.mounted or self.used() < DISK_BYTES:
                    hog.write(b"h" * 4096)
            except OSError:
                return

    def used(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def _mount(path: Path) -> bool:
    if os.environ.get("RELIABILITY_FAKE_FULL_DISK"):
        return False
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs",
                               str(path)], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    path = tmp_path / "disk"
    path.mkdir()
    mounted = _mount(path)
    if not mounted:
        print(f"small_disk: mounting a tmpfs was refused; simulating a {DISK_BYTES} byte "
              "disk with a sitecustomize", file=sys.stderr)
        site = tmp_path / "fake-full-disk"
        site.mkdir()
        (site / "sitecustomize.py").write_text(_FAKE_FULL)
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
            filter(None, [str(site), os.environ.get("PYTHONPATH")])))
        monkeypatch.setenv("RELIABILITY_FULL_DIR", str(path))
        monkeypatch.setenv("RELIABILITY_FULL_BYTES", str(DISK_BYTES))
        # this process too (the panel writes its module copy there): undone after the test
        import builtins
        import io
        import shutil
        for owner, name in ((builtins, "open"), (io, "open"), (shutil, "copyfile"),
                            (os, "write"), (os, "posix_fallocate")):
            monkeypatch.setattr(owner, name, getattr(owner, name))
        exec(compile(_FAKE_FULL, "fake-full-disk", "exec"), {"__name__": "fake_full_disk"})
    try:
        yield SmallDisk(path, mounted)
    finally:
        if mounted:
            for flags in ([], ["-l"]):
                if subprocess.run(["umount", *flags, str(path)], capture_output=True,
                                  timeout=30).returncode == 0:
                    break
