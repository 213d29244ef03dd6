"""Scheduler Studio's ``hou`` for test cooks: the names farm schedulers use.

There is no Houdini here. The scene is a per-cook path under ``$HIP``; ``hou.node``
finds the scheduler's node and the sample graph's TOP nodes, whose parameters are the
scheduler's and the graph's; there is no UI. Any other name imports, and using it
raises `OperationFailed` ("hou.X is not available in the test cook").
"""
from scheduler_studio.engine.runtime import houdini_errors as _errors
from scheduler_studio.engine.runtime import houdini_scene as _scene

Error = _errors.Error
OperationFailed = _errors.OperationFailed
InvalidInput = _errors.InvalidInput
InvalidSize = _errors.InvalidSize
InvalidNodeType = _errors.InvalidNodeType
ObjectWasDeleted = _errors.ObjectWasDeleted
PermissionError = _errors.PermissionError  # noqa: A001 - Houdini's name
KeyframeValueNotSet = _errors.KeyframeValueNotSet
LoadWarning = _errors.LoadWarning
NotAvailable = _errors.NotInTestCook

APPLICATION_VERSION = (20, 0, 0)

hipFile = _scene.HipFile()
node = _scene.node
pwd = _scene.pwd
Node = _scene.HouNode
Parm = _scene.Parm
NodeType = _scene.NodeType
getenv = _scene.getenv
expandString = _scene.expand_string


def applicationVersion(include_platform: bool = False) -> tuple:
    return APPLICATION_VERSION


def applicationVersionString() -> str:
    return ".".join(map(str, APPLICATION_VERSION))


def applicationName() -> str:
    return "hython"


def isUIAvailable() -> bool:
    return False


def putenv(name: str, value: str) -> None:
    import os
    os.environ[str(name)] = str(value)


def unsetenv(name: str) -> None:
    import os
    os.environ.pop(str(name), None)


def fileReferences(*args, **kwargs) -> tuple:
    """The files the scene refers to: none, there is no scene."""
    return ()


class severityType:  # noqa: N801 - Houdini's spelling
    """Message severities (``hou.severityType.Error``)."""
    Message = 0
    ImportantMessage = 1
    Warning = 2
    ImportantWarning = 3
    Error = 4
    Fatal = 5


class _Text:
    """``hou.text``: string helpers."""

    expandString = staticmethod(_scene.expand_string)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotAvailable(f"hou.text.{name}")


class _NoUI:
    """``hou.ui``: every call says there is no UI (check ``hou.isUIAvailable()`` first)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)

        def no_ui(*args, **kwargs):
            raise OperationFailed(f"hou.ui.{name}: no UI in a test cook "
                                  "(hou.isUIAvailable() is False)")
        no_ui.__name__ = name
        return no_ui


text = _Text()
ui = _NoUI()


class _Missing:
    """A hou name the test cook does not emulate: it imports; using it says so."""

    def __init__(self, dotted: str):
        self._dotted = dotted

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Missing(f"{self._dotted}.{name}")

    def __call__(self, *args, **kwargs):
        raise NotAvailable(self._dotted)

    def __bool__(self):
        raise NotAvailable(self._dotted)

    def __iter__(self):
        raise NotAvailable(self._dotted)

    def __repr__(self):
        return f"<{self._dotted}: not available in the test cook>"


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    if _errors.looks_like_exception(name):
        return _errors.exception_named(name)
    return _Missing(f"hou.{name}")
