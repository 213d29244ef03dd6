"""Cook time that moves only when the cook would wait: a one-minute tick in no time.

For cooks whose every report comes from the loop's own thread (callbacks that finish
their items, tick tests, benches of the loop itself): when the loop would sleep until
the next tick and nothing is in its inbox, the clock jumps there instead. Such cooks
are then exact and instant, whatever the machine's load. A cook with jobs on other
threads needs the real clock: their reports take real time to come.
"""
from __future__ import annotations


class VirtualClock:
    def __init__(self, start: float = 0.0):
        self._now = start
        self.waited = 0.0  # seconds jumped over (what a real clock would have slept)

    def now(self) -> float:
        return self._now

    def advance_to(self, until: float) -> None:
        if until > self._now:
            self.waited += until - self._now
            self._now = until
