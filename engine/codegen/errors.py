"""The one error that opening a module can raise."""
from __future__ import annotations


class SchedulerParseError(Exception):
    """A module that cannot be read as a scheduler, with file and line."""

    def __init__(self, filename: str, line: int, message: str):
        super().__init__(f"{filename}:{line}: {message}")
        self.filename = filename
        self.line = line
        self.message = message


class SchedulerClassError(SchedulerParseError):
    """The class asked for is not a scheduler class of the module; ``classes``
    names the ones it has (a chooser, or the CLI's message, lists them)."""

    def __init__(self, filename: str, line: int, message: str, classes: list):
        super().__init__(filename, line, message)
        self.classes = list(classes)
