"""Free the last cook's records a slice at a time, not all at once when Cook is clicked.

Dropping the last reference to a 100,000-item cook (its item records, the dots' index
of them, the trace rows) frees every one of them in one go: ~100 ms of the GUI thread
right after the click. `later` takes such containers and empties them a couple of
milliseconds per event-loop turn instead. Without a Qt application (a plain model in a
script) they are simply let go.
"""
from __future__ import annotations

import time
from collections import deque
from typing import Optional, Union

from PySide6.QtCore import QCoreApplication, QTimer

SLICE_S = 0.002        # freeing per event-loop turn
BATCH = 512            # entries freed between two looks at the clock

Container = Union[dict, list, set]
_queue: deque = deque()
_scheduled = False
_timer: Optional[QTimer] = None


def later(*containers: Container) -> None:
    """Take `containers` (nobody else may use them any more) and empty them gradually."""
    if QCoreApplication.instance() is None:
        return
    _queue.extend(c for c in containers if c)
    _schedule()


def pending() -> int:
    """How many entries wait to be freed."""
    return sum(len(c) for c in _queue)


def _schedule() -> None:
    global _scheduled, _timer
    if _queue and not _scheduled:
        _scheduled = True
        try:
            _timer.start()
        except (AttributeError, RuntimeError):  # none yet, or its application is gone
            # a zero timer, not a posted call: those would run before due timers
            _timer = QTimer(QCoreApplication.instance(), singleShot=True, interval=0)
            _timer.timeout.connect(_step)
            _timer.start()


def _step() -> None:
    global _scheduled
    _scheduled = False
    deadline = time.perf_counter() + SLICE_S
    while _queue and time.perf_counter() < deadline:
        container = _queue[0]
        if isinstance(container, list):
            del container[-BATCH:]
        else:
            pop = container.popitem if isinstance(container, dict) else container.pop
            for _ in range(min(BATCH, len(container))):
                pop()
        if not container:
            _queue.popleft()
    _schedule()
