"""The one error that opening a module can raise."""
from __future__ import annotations


class SchedulerParseError(Exception):
    """A module that cannot be read as a scheduler, with file and line."""

    def __init__(self, filename: str, line: int, message: str):
        super().__init__(f"{filename}:{line}: {message}")
        self.filename = filename
        self.line = line
        self.message = message
