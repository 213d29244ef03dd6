"""The one module the emulated `pdg` package imports from the engine.

Everything an exported scheduler module can reach through ``pdg`` comes from here, so
the boundary between Houdini's API and our engine is a single, reviewable list.
"""
from __future__ import annotations

from .factory import SchedulerType, TypeRegistry
from .houdini import errors as houdini_errors, scene as houdini_scene
from .model.attributes import File
from .model.enums import (
    acceptResult, attribFlag, attribType, fileTransferType, platform, scheduleResult,
    serviceState, tickResult, transferResult, workItemCookType, workItemState, workItemType,
)
from .model.graph import Graph, Node
from .model.workitem import WorkItem
from .processes import kill_pid
from .scheduler.base import JOB_HELPER, NotAvailableError, PyScheduler, Scheduler
from .scheduler.callbackserver import CallbackServerMixin
from .scheduler.params import Port

__all__ = [
    "CallbackServerMixin", "File", "JOB_HELPER", "Graph", "Node", "NotAvailableError", "Port",
    "PyScheduler", "Scheduler", "SchedulerType", "houdini_errors", "houdini_scene", "TypeRegistry", "WorkItem", "acceptResult",
    "attribFlag", "attribType", "fileTransferType", "kill_pid", "platform",
    "scheduleResult", "serviceState", "tickResult", "transferResult",
    "workItemCookType", "workItemState", "workItemType",
]


def job_helper_module():
    """The job helper module (`pdgcmd`), for ``pdgjob.pdgcmd``."""
    from .jobhelper import pdgcmd
    return pdgcmd


def local_template_class() -> type:
    """The Local template's scheduler class (for the $HFS stand-in's ``local`` module),
    loaded once under a private module name."""
    import importlib.util
    import sys
    name = "_schedstudio_local_template"
    module = sys.modules.get(name)
    if module is None:
        from .package_files import resource_file
        path = resource_file("templates", "local.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module.LocalScheduler
