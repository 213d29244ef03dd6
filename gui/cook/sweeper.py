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
    """Carries the sweep's result from its thread to the GUI thread (a queued signal).

    It has no parent: the owner may be deleted while the thread is inside `emit`, and
    an object must not be deleted under a thread emitting from it. `_carriers` holds
    it until its `release` ran, queued on the GUI thread after the emit returned; the
    owner's `done` is connected with the owner as receiver, so Qt drops that call when
    the owner is gone."""

    sig_done = Signal(list)

    def release(self, _victims: list) -> None:
        _carriers.discard(self)
        self.deleteLater()


_carriers: set[_Result] = set()   # touched on the GUI thread only


def pending() -> int:
    """How many sweeps have not handed their result over yet."""
    return len(_carriers)


def sweep(owner: QObject, pid: int, tag: str, left: Callable[[list[int]], bool],
          done: Callable[[list[int]], None]) -> Optional[QObject]:
    """End every process of session `pid` and every process tagged `tag`, then wait
    (polling `left(victims)`, on the thread too) until none is left or the tries run
    out; then `done(victims)` is called on `owner`'s thread, unless `owner` is gone by
    then (`done` must be one of its methods). Returns the carrier while the sweep
    runs; with no `pid` (the host never started) `done([])` is called at once and None
    returned."""
    if not pid:
        done([])
        return None
    result = _Result()
    _carriers.add(result)
    result.sig_done.connect(done, Qt.ConnectionType.QueuedConnection)
    result.sig_done.connect(result.release, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        victims = end_session(pid, grace_s=0.0, tag=tag)
        tries = REAP_TRIES
        while tries > 0 and left(victims):
            time.sleep(REAP_POLL_S)
            tries -= 1
        result.sig_done.emit(victims)   # alive: only its own `release` deletes it

    threading.Thread(target=work, name=f"sweep-{pid}", daemon=True).start()
    return result
