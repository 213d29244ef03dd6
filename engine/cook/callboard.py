"""Which callback the cook host is running, where its caller can read it after a crash.

A cook host killed inside user code (``os._exit``, a segfault, SIGKILL) sends no summary;
its caller (`scheduler_studio.engine.cli.hostrun`) still wants to say which callback was running. The
host keeps that in a small shared memory map of a file the caller made: a memory write
per call, no system call, and the kernel keeps the page when the process dies.
Format: one line ``NAME<TAB>ITEM<TAB>FILE<TAB>LINE<TAB>NOTE``, ended by a NUL byte;
a NUL at offset 0 means "no callback running".
"""
from __future__ import annotations

import mmap
import os
from typing import Any, Optional

SIZE = 4096


class CallBoard:
    """The writing side, in the cook host."""

    def __init__(self, path: str):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.ftruncate(fd, SIZE)
            self._map: Optional[mmap.mmap] = mmap.mmap(fd, SIZE)
        finally:
            os.close(fd)

    def enter(self, name: str, item: Optional[int], file: str, line: Optional[int]) -> None:
        self._write(f"{name}\t{'' if item is None else item}\t{file}\t{line or ''}\t")

    def note(self, text: str, where: Optional[tuple[str, int]] = None) -> None:
        """Add a note to the running callback's line (what ended the process); `where`
        (file, line) it happened moves the line there when it is in the callback's file
        (a line in the body says more than the callback's ``def``)."""
        current = self._map[:SIZE].split(b"\0", 1)[0].decode("utf-8", "replace") \
            if self._map is not None else ""
        if current:
            name, item, file, line = current.split("\t")[:4]
            if where is not None and where[0] and file and \
                    os.path.abspath(where[0]) == os.path.abspath(file):
                line = str(where[1])
            self._write(f"{name}\t{item}\t{file}\t{line}\t{text}")

    def leave(self) -> None:
        if self._map is not None:
            self._map[0] = 0

    def detach(self) -> None:
        """Stop writing (a forked child must not speak for the host)."""
        self._map = None

    def _write(self, text: str) -> None:
        if self._map is None:
            return
        data = text.replace("\0", " ").encode("utf-8", "replace")[:SIZE - 1] + b"\0"
        self._map[1:len(data)] = data[1:]  # the first byte last: a reader never sees
        self._map[0] = data[0]             # the head of a new line on an old tail


def read(path: str) -> Optional[dict[str, Any]]:
    """The callback that was running when the host ended, or None."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(SIZE)
    except OSError:
        return None
    text = raw.split(b"\0", 1)[0].decode("utf-8", "replace")
    parts = text.split("\t")
    if len(parts) != 5 or not parts[0]:
        return None
    name, item, file, line, note = parts
    return {"callback": name, "item": int(item) if item.isdigit() else None,
            "file": file or None, "line": int(line) if line.isdigit() else None,
            "note": note}
