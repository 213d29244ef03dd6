"""``pdg.utils``: small helpers schedulers import."""
import os
import sys
import time


def expand_vars(value, work_item=None):
    """Expand $VARS and ~ as PDG does for parameter strings."""
    return os.path.expandvars(os.path.expanduser(str(value)))


def print_headless(*args, **kwargs):
    """Print only when there is no UI (always, in a test cook)."""
    kwargs.setdefault("file", sys.stdout)
    print(*args, **kwargs)


class TickTimer:
    """Says when `period` seconds have passed since the last time it said so."""

    def __init__(self, period=1.0):
        self.period = float(period)
        self._last = time.monotonic()

    def tick(self):
        now = time.monotonic()
        if now - self._last >= self.period:
            self._last = now
            return True
        return False

    __call__ = tick

    def reset(self):
        self._last = time.monotonic()
