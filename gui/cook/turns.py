"""One frame's budget for cook work on the GUI thread: the host's drains and the views'
refreshes share it.

While a big cook streams in, the host bridge drains events (a few ms of parsing and
state updates each, `host_process`) and the panel refreshes its views every REFRESH_MS
(a few ms more). Each piece is short, but back to back they would hold the GUI thread
past a frame: the zero timer of the next drain was armed before a heartbeat or a paint
fell due, so it runs first. Here every piece asks before it runs:

* when the GUI thread spent BUSY_MAX_S of CPU in the last WINDOW_S (our pieces and
  what Qt did for them: layout, paint), it waits RETRY_MS (a real timer, so whatever
  fell due meanwhile - input, paint, other timers - goes first); a piece that says
  what it will cost waits until that fits in the budget too (at most half of it is
  asked: a piece bigger than that runs once the window is half free), so it does not
  start with the budget nearly spent and hold the thread through the next frame;
* a refresh that comes right after a drain (the same event-loop turn) waits for the
  next turn, and drains sit that turn out, so a refresh is never starved by a flood.

Both sides only ask and report here; neither knows the other.
"""
from __future__ import annotations

import time
from collections import deque
from typing import Optional

WINDOW_S = 0.010      # the span looked back on ...
BUSY_MAX_S = 0.007    # ... and how much of the GUI thread's CPU it may have taken
RETRY_MS = 1          # a piece that may not run now asks again this much later
SAME_TURN_S = 0.001   # a piece that ended this recently was in the same turn
HOLD_MAX_S = 0.1      # a held drain goes ahead after this, refresh or not

_clock: deque = deque()    # (wall, GUI-thread CPU clock) when pieces asked or ended
_drained_at = 0.0
_held_until = 0.0          # drains sit out until the waiting refresh ran (or this passes)


def _busy(now: float) -> float:
    """The GUI thread's CPU time over the last WINDOW_S (CPU, not wall time: on a
    loaded machine the thread also waits for a core, which is not the loop's to give)."""
    cpu = time.thread_time()
    _clock.append((now, cpu))
    while len(_clock) > 2 and _clock[1][0] <= now - WINDOW_S:
        _clock.popleft()
    start, start_cpu = _clock[0]
    span = now - start
    return (cpu - start_cpu) * min(1.0, WINDOW_S / span) if span > 0 else 0.0


def _end() -> float:
    now = time.perf_counter()
    _clock.append((now, time.thread_time()))
    return now


def _full(now: float, cost_s: float) -> bool:
    """Whether a piece of `cost_s` would take the window past BUSY_MAX_S."""
    return _busy(now) + min(cost_s, BUSY_MAX_S / 2) >= BUSY_MAX_S


def drain_wait_ms(cost_s: float = 0.0) -> Optional[int]:
    """None: drain now (a drain of about `cost_s`). Else wait this many ms and ask again."""
    now = time.perf_counter()
    if now < _held_until or _full(now, cost_s):
        return RETRY_MS
    return None


def drained() -> None:
    """The drain that was let run has ended."""
    global _drained_at
    _drained_at = _end()


def refresh_waits(cost_s: float = 0.0) -> bool:
    """Whether a refresh (of about `cost_s`) should ask again RETRY_MS later. A refresh
    right after a drain waits for the next turn, and drains sit that turn out."""
    global _held_until
    now = time.perf_counter()
    if now >= _held_until and now - _drained_at < SAME_TURN_S:
        _held_until = now + HOLD_MAX_S
        return True
    if _full(now, cost_s):
        _held_until = max(_held_until, now + HOLD_MAX_S)   # the next room is the refresh's
        return True
    return False


def refreshed() -> None:
    """The refresh (or its slice) that was let run has ended: drains may go on."""
    global _held_until
    _end()
    _held_until = 0.0
