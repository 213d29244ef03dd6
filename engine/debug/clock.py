"""The cook's clock: monotonic time that stands still while the debugger holds the cook.

The cook loop's tick clock and timeout, the host's watchdog and the durations in the
callback trace all read `PauseClock.now`, so a pause of ten minutes at a breakpoint
is no time at all to the cook.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Callable, Iterator, Optional


class PauseClock:
    def __init__(self, base: Callable[[], float] = time.monotonic):
        self._base = base
        # (paused since, or None; seconds paused before): one tuple, so that a reader on
        # another thread (the watchdog) sees both from the same moment, without a lock
        self._state: tuple[Optional[float], float] = (None, 0.0)

    def now(self) -> float:
        """Seconds, without the time spent paused (frozen during a pause)."""
        since, total = self._state
        return (self._base() if since is None else since) - total

    @property
    def is_paused(self) -> bool:
        return self._state[0] is not None

    @property
    def paused_total(self) -> float:
        since, total = self._state
        return total + (self._base() - since if since is not None else 0.0)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The cook is held for the length of the block (nested blocks count once)."""
        since, total = self._state
        outer = since is not None
        if not outer:
            self._state = (self._base(), total)
        try:
            yield
        finally:
            if not outer:
                since, total = self._state
                self._state = (None, total + self._base() - since)
