"""``hou``'s exceptions, and the one that says a name is not part of the test cook."""
from __future__ import annotations


class Error(Exception):
    """Base of hou's exceptions (Houdini: ``hou.Error``)."""

    def instanceMessage(self) -> str:
        return str(self)

    def description(self) -> str:
        return type(self).__doc__ or ""

    def exceptionTypeName(self) -> str:
        return type(self).__name__


class OperationFailed(Error):
    """An operation that could not be done."""


class InvalidInput(Error):
    """A bad input to a node."""


class InvalidSize(Error):
    """A sequence of the wrong length."""


class InvalidNodeType(Error):
    """A node of the wrong type."""


class ObjectWasDeleted(Error):
    """A node or parameter that no longer exists."""


class PermissionError(Error):  # noqa: A001 - Houdini's own name
    """A locked node or parameter."""


class KeyframeValueNotSet(Error):
    """A keyframe without a value."""


class LoadWarning(Error):
    """A scene loaded with warnings."""


class NotInTestCook(OperationFailed, NotImplementedError):
    """A ``hou`` name the test cook does not emulate; the message names it."""

    def __init__(self, what: str, why: str = "is not available in the test cook"):
        super().__init__(f"{what} {why}")


EXCEPTIONS = {cls.__name__: cls for cls in (
    Error, OperationFailed, InvalidInput, InvalidSize, InvalidNodeType, ObjectWasDeleted,
    PermissionError, KeyframeValueNotSet, LoadWarning)}


def exception_named(name: str) -> type:
    """A hou exception class for a name the test cook does not know (``hou.GeometryPermissionError``):
    ``except hou.X:`` must work even when the test cook never raises it."""
    cls = EXCEPTIONS.get(name)
    if cls is None:
        cls = EXCEPTIONS[name] = type(name, (Error,), {"__doc__": f"hou.{name}"})
    return cls


def looks_like_exception(name: str) -> bool:
    return name[:1].isupper() and name.endswith(("Error", "Failed", "Warning", "Deleted",
                                                 "Exception"))
