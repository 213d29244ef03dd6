"""Scheduler Studio's emulation of Houdini's ``pdg`` module, for test cooks.

Only the scheduler-facing part of PDG exists here: enough for scheduler modules written
for Houdini to import and run unchanged. Names we do not emulate raise
``NotAvailableError`` ("... is not available in the test cook") when used.
"""
from scheduler_studio.engine.runtime import (  # noqa: F401
    File, Graph as GraphContext, Node, NotAvailableError, Port, Scheduler, SchedulerType,
    TypeRegistry,
    WorkItem, acceptResult, attribFlag, attribType, fileTransferType, platform,
    scheduleResult, serviceState, tickResult, transferResult, workItemCookType,
    workItemState, workItemType,
)


class CookError(Exception):
    """Raise it from a callback to fail the cook with a message."""


class ServiceError(Exception):
    """Raised by PDG's service manager; services are not part of the test cook."""


class AttribError(Exception):
    """Raised on a bad work item attribute access."""


class Dictionary(dict):
    """PDG's dictionary attribute value; a plain dict here."""


def _unavailable(name):
    def missing(*args, **kwargs):
        raise NotAvailableError(f"pdg.{name}")
    missing.__name__ = name
    return missing


for _name in ("graphContext", "mainGraphContext", "serviceManager", "typeRegistry"):
    globals()[_name] = _unavailable(_name)


def __getattr__(name):
    """A submodule not imported yet (``pdg.staticcook``), else a clear refusal."""
    if not name.startswith("_"):
        import importlib
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"pdg.{name} is not available in the test cook")

from . import job, scheduler, utils  # noqa: E402,F401  (submodules, as `import pdg` gives)
