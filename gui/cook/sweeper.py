"""The end of a cook, off the GUI thread: ending and reaping what the host left.

Finding what a cook left (its session's processes, those carrying its cook tag:
`scheduler_studio.engine.processes`) reads /proc for every process on the machine, and
re-reads after short sleeps: 10-20 ms of the GUI thread, and more on a busy machine,
just as a cook's last events are shown. `sweep` does it on a thread (those reads are
system calls, so the GUI thread keeps the interpreter meanwhile) and hands the result
back on the GUI thread.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

from PySide6.QtCore import QObject, Qt, Signal

from scheduler_studio.engine.processes import end_session

REAP_POLL_S = 0.05    # while something of the cook still lives or waits to be reaped ...
REAP_TRIES = 20       # ... look again this often, this many times


class _Result(QObject):
    """Carries the sweep's result from its thread to the GUI thread (a queued signal)."""

    sig_done = Signal(list)


def sweep(owner: QObject, pid: int, tag: str, left: Callable[[list[int]], bool],
          done: Callable[[list[int]], None]) -> Optional[QObject]:
    """End every process of session `pid` and every process tagged `tag`, then wait
    (polling `left(victims)`, on the thread too) until none is left or the tries run
    out; then `done(victims)` is called on `owner`'s thread. Returns the carrier while
    the sweep runs (deleting it drops its result); with no `pid` (the host never
    started) `done([])` is called at once and None returned."""
    if not pid:
        done([])
        return None
    result = _Result(owner)
    result.sig_done.connect(done, Qt.ConnectionType.QueuedConnection)
    result.sig_done.connect(result.deleteLater, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        victims = end_session(pid, grace_s=0.0, tag=tag)
        tries = REAP_TRIES
        while tries > 0 and left(victims):
            time.sleep(REAP_POLL_S)
            tries -= 1
        try:
            result.sig_done.emit(victims)
        except RuntimeError:  # the owner (and the carrier with it) is gone
            pass

    threading.Thread(target=work, name=f"sweep-{pid}", daemon=True).start()
    return result
