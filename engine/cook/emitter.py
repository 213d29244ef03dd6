"""Writing events as NDJSON: thread-safe, buffered, flushed when the loop goes idle.

While scheduler code runs (between `enter_user_code` and `leave_user_code`) nothing is
held back: the buffer is flushed on the way in and every event is written at once, so a
callback that ends the process (``os._exit``, a crash) loses no event produced before.
"""
from __future__ import annotations

import threading
from typing import IO, Optional

from .callboard import CallBoard
from .events import Event


class NdjsonEmitter:
    def __init__(self, stream: IO[str], flush_every: int = 200,
                 board: Optional[CallBoard] = None):
        self._stream = stream
        self._lock = threading.Lock()
        self._pending = 0
        self._flush_every = flush_every
        self._in_user_code = 0
        self.board = board
        self.broken = False

    def __call__(self, event: Event) -> None:
        line = event.to_json() + "\n"
        with self._lock:
            if self.broken:
                return
            try:
                self._stream.write(line)
                self._pending += 1
                if self._pending >= self._flush_every or self._in_user_code:
                    self._stream.flush()
                    self._pending = 0
            except (BrokenPipeError, ValueError, OSError):
                self.broken = True  # the reader went away; the cook still ends cleanly

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self.broken or not self._pending:
            return
        try:
            self._stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            self.broken = True
        self._pending = 0

    def enter_user_code(self, name: str, item: Optional[int], file: str,
                        line: Optional[int]) -> None:
        """A callback starts: put every event out, and write through until it returns."""
        with self._lock:
            self._flush_locked()
            self._in_user_code += 1
        if self.board is not None:
            self.board.enter(name, item, file, line)

    def leave_user_code(self) -> None:
        with self._lock:
            self._in_user_code = max(0, self._in_user_code - 1)
        if self.board is not None:
            self.board.leave()

    def detach(self) -> None:
        """Never write again (in a forked child: the stream is the host's)."""
        self.broken = True
        if self.board is not None:
            self.board.detach()
