"""Writing events as NDJSON: thread-safe, buffered, flushed when the loop goes idle."""
from __future__ import annotations

import threading
from typing import IO

from .events import Event


class NdjsonEmitter:
    def __init__(self, stream: IO[str], flush_every: int = 200):
        self._stream = stream
        self._lock = threading.Lock()
        self._pending = 0
        self._flush_every = flush_every
        self.broken = False

    def __call__(self, event: Event) -> None:
        line = event.to_json() + "\n"
        with self._lock:
            if self.broken:
                return
            try:
                self._stream.write(line)
                self._pending += 1
                if self._pending >= self._flush_every:
                    self._stream.flush()
                    self._pending = 0
            except (BrokenPipeError, ValueError, OSError):
                self.broken = True  # the reader went away; the cook still ends cleanly

    def flush(self) -> None:
        with self._lock:
            if self.broken or not self._pending:
                return
            try:
                self._stream.flush()
            except (BrokenPipeError, ValueError, OSError):
                self.broken = True
            self._pending = 0
