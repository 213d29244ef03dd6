"""One event-loop turn, one piece of cook work: the host's drain or the views' refresh.

While a big cook streams in, the host bridge drains events every turn (a few ms of
parsing and state updates, `host_process`) and the panel refreshes its views every
REFRESH_MS (a few ms more). Landing in the same turn they add up past a frame. So the
refresh, when a drain has just ended, waits for the next turn and the drain sits that
turn out; and a drain that comes right after a refresh waits for the next turn too.
Both sides only ask and report here; neither knows the other.
"""
from __future__ import annotations

import time

SAME_TURN_S = 0.001   # work that ended this recently was in the same event-loop turn
HOLD_MAX_S = 0.1      # a held drain goes ahead after this, refresh or not

_drained_at = 0.0
_refreshed_at = 0.0
_held_until = 0.0     # drains sit out until the waiting refresh ran (or this passes)
_yielded_to = 0.0     # the refresh a drain already waited for once


def drain_waits() -> bool:
    """Whether a drain should give this turn up (and come back in the next one)."""
    global _yielded_to
    now = time.perf_counter()
    if now < _held_until:
        return True
    if now - _refreshed_at < SAME_TURN_S and _yielded_to != _refreshed_at:
        _yielded_to = _refreshed_at
        return True
    return False


def drained() -> None:
    """A drain just ended."""
    global _drained_at
    _drained_at = time.perf_counter()


def refresh_waits() -> bool:
    """Whether a refresh should come back in the next turn: a drain just ended in this
    one. Drains sit the next turn out; a refresh that waited once runs then."""
    global _held_until
    now = time.perf_counter()
    if now < _held_until:       # this is the refresh that waited: its turn now
        return False
    if now - _drained_at < SAME_TURN_S:
        _held_until = now + HOLD_MAX_S
        return True
    return False


def refreshed() -> None:
    """A refresh just ended (drains may go on)."""
    global _refreshed_at, _held_until
    _refreshed_at = time.perf_counter()
    _held_until = 0.0
