"""The open client connections: capped in number, cut off when they dawdle, all closed on stop.

A connection has until its read deadline to deliver a complete request; after
that the reaper (run from the accept loop, no extra thread) shuts its socket so
its thread ends. Once the body is in, the deadline is lifted: a slow handler is
the cook's business, not the client's.
"""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass


@dataclass
class _Entry:
    peer: str
    deadline: float | None


class Connections:
    """Bookkeeping shared by the accept thread and the connection threads."""

    def __init__(self, limit: int, read_deadline_s: float) -> None:
        self._limit = limit
        self._read_deadline_s = read_deadline_s
        self._lock = threading.Lock()
        self._open: dict[socket.socket, _Entry] = {}
        self._threads: list[threading.Thread] = []

    def admit(self, sock: socket.socket, peer: str) -> bool:
        """Register a new connection; False when the cap is reached."""
        with self._lock:
            if len(self._open) >= self._limit:
                return False
            self._open[sock] = _Entry(peer, time.monotonic() + self._read_deadline_s)
            return True

    def track(self, thread: threading.Thread) -> None:
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)

    def request_read(self, sock: socket.socket) -> None:
        """The request is complete: no read deadline while it is being handled."""
        with self._lock:
            entry = self._open.get(sock)
            if entry:
                entry.deadline = None

    def release(self, sock: socket.socket) -> None:
        """Forget a connection; called before its socket is closed."""
        with self._lock:
            self._open.pop(sock, None)

    def reap(self, now: float) -> list[str]:
        """Shut connections whose request is overdue; return their peers."""
        reaped = []
        with self._lock:
            for sock, entry in self._open.items():
                if entry.deadline is not None and entry.deadline <= now:
                    entry.deadline = None
                    _shut(sock)
                    reaped.append(entry.peer)
        return reaped

    def close_all(self) -> None:
        with self._lock:
            for sock in self._open:
                _shut(sock)

    def join(self, timeout: float) -> list[threading.Thread]:
        """Wait for connection threads to end; return those still running."""
        end = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, end - time.monotonic()))
        return [t for t in threads if t.is_alive()]


def _shut(sock: socket.socket) -> None:
    # shutdown (not close) wakes a thread blocked in recv; the owner closes the socket.
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
