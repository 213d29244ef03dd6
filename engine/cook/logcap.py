"""Job logs capped at `LOG_CAP_BYTES` each, with a note at the cut.

A job that prints without end would fill the disk under the cook's folder. The logs
capped are those the scheduler names in ``getLogURI`` (``file://`` URIs or paths):
the cook loop checks a running item's log every `CHECK_EVERY_S` and once more when
the item finishes. A log past the cap is cut back to its last whole line before the
cap and ends with `NOTE`; what the job writes after is cut again at the next check.
(A job holding its log open without ``O_APPEND`` writes on at its own offset, so the
file may show a hole until the next check; its blocks are not allocated.)
"""
from __future__ import annotations

import os
from typing import Optional
from urllib.parse import unquote, urlparse

LOG_CAP_BYTES = 8 * 2**20
CHECK_EVERY_S = 0.5
CHECKS_PER_POLL = 2000  # logs looked at per poll (the others at the next ones)
NOTE = ("\n[Scheduler Studio: this job log was cut here at {cap:,} bytes; what the job "
        "wrote after that was dropped]\n")
_LINE_BACK = 4096  # how far before the cap a cut looks for the end of a line
LAST_LINE_CHARS = 300  # at most this much of a log's last line goes into a reason


def log_path(uri: str) -> str:
    """The local file a log URI names, or "" (http:// logs are not ours to cap)."""
    if not uri:
        return ""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    return uri if parsed.scheme == "" and os.path.isabs(uri) else ""


class LogCaps:
    """The logs of running items, and which were cut."""

    def __init__(self, cap: int = LOG_CAP_BYTES):
        self.cap = cap
        self.note = NOTE.format(cap=cap).encode()
        self._running: dict[int, str] = {}   # item id -> its log file
        self._cut: dict[str, int] = {}        # log file -> where the note starts
        self._next_check = 0.0
        self._turn = 0  # where the next poll's round of checks starts

    def watch(self, item_id: int, uri: str) -> None:
        path = log_path(uri)
        if path:
            self._running[item_id] = path

    def finished(self, item_id: int) -> Optional[str]:
        """The item ended: check its log a last time; its path if it was cut now."""
        path = self._running.pop(item_id, None)
        return self._check(path) if path else None

    def last_line(self, item_id: int) -> str:
        """The last line of text of a running item's log, shortened and printable
        ("" when there is none); our own note at a cut does not count."""
        path = self._running.get(item_id)
        if not path:
            return ""
        try:
            with open(path, "rb") as handle:
                handle.seek(max(0, os.fstat(handle.fileno()).st_size - _LINE_BACK))
                tail = handle.read(_LINE_BACK)
        except OSError:
            return ""
        note = self.note.strip()
        for raw in reversed(tail.splitlines()):
            line = raw.strip()
            if line and line != note:
                text = line.decode("utf-8", "replace")
                text = "".join(c if c.isprintable() else " " for c in text)
                if len(text) > LAST_LINE_CHARS:
                    text = text[:LAST_LINE_CHARS - 3] + "..."
                return text
        return ""

    def poll(self, now: float) -> list[str]:
        """Check the running items' logs (at most every CHECK_EVERY_S, and at most
        CHECKS_PER_POLL of them, the next ones at the next poll); newly cut ones.

        A farm scheduler has every item scheduled at once: 100,000 `stat` calls every
        half second would be the cook's main cost, while a log takes seconds to grow
        by megabytes."""
        if now < self._next_check or not self._running:
            return []
        self._next_check = now + CHECK_EVERY_S
        paths = list(dict.fromkeys(self._running.values()))
        start = self._turn % len(paths)
        chosen = (paths + paths)[start:start + min(CHECKS_PER_POLL, len(paths))]
        self._turn = start + len(chosen)
        return [path for path in chosen if self._check(path)]

    def finish_all(self) -> list[str]:
        return [path for item_id in list(self._running) if (path := self.finished(item_id))]

    def _check(self, path: str) -> Optional[str]:
        """Cut `path` if it passed the cap; returns it the first time it is cut."""
        try:
            size = os.stat(path).st_size
            limit = self._cut[path] + len(self.note) if path in self._cut else self.cap
            if size <= limit:
                return None
            with open(path, "r+b") as handle:
                at = self._cut.get(path) or self._cut_point(handle)
                handle.truncate(at)
                handle.seek(at)
                handle.write(self.note)
        except OSError:
            return None  # gone, unreadable, a full disk: nothing to cut, or no way to
        first = path not in self._cut
        self._cut[path] = at
        return path if first else None

    def _cut_point(self, handle) -> int:
        """The end of the last whole line before the cap (the cap itself if none)."""
        start = max(0, self.cap - _LINE_BACK)
        handle.seek(start)
        newline = handle.read(self.cap - start).rfind(b"\n")
        return start + newline + 1 if newline >= 0 else self.cap
