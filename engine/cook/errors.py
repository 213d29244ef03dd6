"""Exceptions that steer a cook, kept apart so every layer can import them."""
from __future__ import annotations


class CancelInterrupt(BaseException):
    """Raised inside a running callback to break out of it when the cook is cancelled.

    A BaseException, so a scheduler's ``except Exception`` cannot swallow it.
    """


class CookAborted(Exception):
    """The cook cannot go on: `status` "failed" when the scheduler refused or broke
    (onStartCook returned False...), "error" when the graph cannot be cooked this way
    (a static cook of a dynamic graph)."""

    def __init__(self, message: str, status: str = "error"):
        super().__init__(message)
        self.status = status
