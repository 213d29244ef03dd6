"""Waiting in tests: poll a condition until it holds, or fail at a deadline."""
from __future__ import annotations

import time
from typing import Any, Callable


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "condition",
             interval: float = 0.005) -> Any:
    """Poll `predicate` until it is truthy (returns its value); fail at the deadline."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not met within {timeout:g} s")
        time.sleep(interval)
