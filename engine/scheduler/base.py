"""`PyScheduler`: the base class every scheduler module derives from.

Same method names, arguments and return values as Houdini's ``pdg.scheduler.PyScheduler``
(see pdg-api.md). Callbacks that a module does not define get the behaviour PDG gives
them; helpers (paths, tokens, reports, shared servers) work against the test cook.
"""
from __future__ import annotations

import os
import shutil
import sys
from typing import Any, Iterable, Optional

from .jobenv import JobDirs, expand_tokens, job_environment, write_item_data
from .reports import Report
from ..model.enums import scheduleResult, tickResult
from ..package_files import engine_file
from .hooks import ReportHooks
from .params import Port
from .state import SchedulerState

JOB_HELPER = str(engine_file("jobhelper", "pdgcmd.py"))


class NotAvailableError(NotImplementedError):
    """A PDG feature the test cook does not emulate; the message says which."""

    def __init__(self, what: str):
        super().__init__(f"{what} is not available in the test cook")


class _CookContext:
    """``self.context``: whether the cook is being cancelled, and the graph."""

    def __init__(self, state: SchedulerState):
        self._state = state

    @property
    def canceling(self) -> bool:
        return bool(self._state.loop and self._state.loop.canceling)

    @property
    def graph(self):
        return self._state.loop.graph if self._state.loop else None


def _ref(item: Any) -> Any:
    """Reports name an item by id, name or the item itself; keep what was given."""
    return item


class Scheduler:
    """``pdg.Scheduler``: what every scheduler is (Houdini's C++ base of PyScheduler)."""


class PyScheduler(ReportHooks, Scheduler):
    """Base class of custom schedulers (Houdini: ``pdg.scheduler.PyScheduler``)."""

    workItemDataSource = 0     # 0: jobs read item data from files, 1: over RPC

    def __init__(self, scheduler: Any = None, name: str = "pythonscheduler") -> None:
        state = scheduler if isinstance(scheduler, SchedulerState) else SchedulerState()
        self._pdg_state = state
        self.name = name
        if not hasattr(self, "parmprefix"):
            self.parmprefix = ""
        if not hasattr(self, "custom_port_range"):
            self.custom_port_range = None

    # -- parameters -------------------------------------------------------------------
    def __getitem__(self, name: str) -> Port:
        return self._pdg_state.params[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._pdg_state.params[name] = value

    def evaluateBoolOverride(self, node, prefix, parm, work_item=None, default=False) -> bool:
        return self._override(parm, default, "evaluateBool")

    def evaluateIntOverride(self, node, prefix, parm, work_item=None, default=0) -> int:
        return self._override(parm, default, "evaluateInt")

    def evaluateFloatOverride(self, node, prefix, parm, work_item=None, default=0.0) -> float:
        return self._override(parm, default, "evaluateFloat")

    def evaluateStringOverride(self, node, prefix, parm, work_item=None, default="") -> str:
        return self._override(parm, default, "evaluateString")

    def _override(self, parm: str, default: Any, how: str) -> Any:
        params = self._pdg_state.params
        return getattr(params[parm], how)() if parm in params else default

    def resolveEnvParams(self, prefix: str, work_item: Any = None, local: bool = False):
        return {}, []

    def resolveBaseEnvironment(self, *args: Any, **kwargs: Any) -> dict[str, str]:
        return dict(os.environ)

    def resolvePathMapping(self, path: str, *args: Any, **kwargs: Any) -> str:
        return path

    # -- callbacks with PDG's default behaviour ----------------------------------------
    def onStart(self) -> bool:
        return True

    def onStop(self) -> bool:
        return True

    def onStartCook(self, static: bool, cook_set: Any) -> bool:
        return True

    def onStopCook(self, cancel: bool) -> bool:
        return True

    def onSchedule(self, work_item: Any):
        raise NotImplementedError("this scheduler defines no onSchedule callback")

    def onScheduleStatic(self, dependencies: dict, dependents: dict, ready_items: list) -> None:
        raise NotImplementedError("this scheduler defines no onScheduleStatic callback")

    def onTick(self) -> tickResult:
        return tickResult.SchedulerReady

    def submitAsJob(self, graph_file: str, node_path: str):
        raise NotImplementedError("this scheduler defines no submitAsJob callback")

    def endSharedServer(self, sharedserver_name: str) -> bool:
        """Stop a shared server by the pid its job reported, then forget it."""
        info = self._pdg_state.shared_servers.get(sharedserver_name) or {}
        pid = info.get("pid")
        if pid:
            from ..processes import kill_pid
            kill_pid(int(pid))
        self.clearSharedServerInfo(sharedserver_name)
        return True

    def getLogURI(self, work_item: Any) -> str:
        return ""

    def getStatusURI(self, work_item: Any) -> str:
        return ""

    def applicationBin(self, name: str, work_item: Any = None) -> str:
        return {"python": "__PDG_PYTHON__", "hython": "__PDG_HYTHON__"}.get(name, name)

    def onAcceptWorkItem(self, work_item: Any):
        from ..model.enums import acceptResult
        return acceptResult.Default

    def workItemResultServerAddr(self) -> str:
        state = self._pdg_state
        if state.result_server_addr_override:
            return state.result_server_addr_override
        return state.result_server.address if state.result_server else ""

    def setWorkItemResultServerAddr(self, address: str) -> None:
        self._pdg_state.result_server_addr_override = address

    # -- directories --------------------------------------------------------------------
    def workingDir(self, local: bool) -> str:
        override = self._pdg_state.dir_overrides.get("working")
        if override:
            return override[0 if local else 1]
        return os.path.abspath(self["pdg_workingdir"].evaluateString() or os.getcwd())

    def tempDir(self, local: bool) -> str:
        override = self._pdg_state.dir_overrides.get("temp")
        if override:
            return override[0 if local else 1]
        return os.path.join(self.workingDir(local), "pdgtemp", self._pdg_state.temp_id)

    def scriptDir(self, local: bool) -> str:
        override = self._pdg_state.dir_overrides.get("scripts")
        if override:
            return override[0 if local else 1]
        return os.path.join(self.tempDir(local), "scripts")

    def setWorkingDir(self, local: str, remote: str) -> None:
        self._pdg_state.dir_overrides["working"] = (local, remote)

    def setTempDir(self, local: str, remote: str) -> None:
        self._pdg_state.dir_overrides["temp"] = (local, remote)

    def setScriptDir(self, local: str, remote: str) -> None:
        self._pdg_state.dir_overrides["scripts"] = (local, remote)

    def _job_dirs(self, local: bool) -> JobDirs:
        return JobDirs(self.workingDir(local), self.tempDir(local), self.scriptDir(local),
                       self.workItemResultServerAddr())

    def localizePath(self, deferred_path: str) -> str:
        return expand_tokens(deferred_path, self._job_dirs(True), None)

    def delocalizePath(self, local_path: str) -> str:
        working = self.workingDir(True)
        if local_path.startswith(working):
            return "__PDG_DIR__" + local_path[len(working):]
        return local_path

    def cleanTempDirectory(self) -> None:
        shutil.rmtree(self.tempDir(True), ignore_errors=True)

    # -- jobs --------------------------------------------------------------------------------
    def expandCommandTokens(self, command: str, work_item: Any) -> str:
        if "__PDG_" not in command:  # most commands: no folders to work out
            return command
        return expand_tokens(command, self._job_dirs(False), work_item)

    def addCommonJobEnvVars(self, env: dict, work_item: Any, *args: Any) -> dict:
        env.update(job_environment(self._job_dirs(False), work_item))
        env.update(getattr(work_item, "environment", None) or {})
        return env

    def createJobDirsAndSerializeWorkItems(self, work_items: Any) -> None:
        """Make scripts/, logs/, data/ under the temp dir, copy the job helper, and
        write each item's data file."""
        temp = self.tempDir(True)
        made = self._pdg_state.job_dirs_made
        if temp not in made:  # once per temp dir: this runs for every job
            scripts = self.scriptDir(True)
            for sub in (scripts, os.path.join(temp, "logs"), os.path.join(temp, "data")):
                os.makedirs(sub, exist_ok=True)
            helper = os.path.join(scripts, "pdgcmd.py")
            if not os.path.exists(helper) and os.path.exists(JOB_HELPER):
                shutil.copyfile(JOB_HELPER, helper)
            made.add(temp)
        items = work_items if isinstance(work_items, (list, tuple)) else [work_items]
        for item in items:
            if item is not None:
                write_item_data(os.path.join(temp, "data", item.name + ".json"), item, self.name)

    def transferFile(self, file_path: str) -> bool:
        """Send a local file to where jobs read it: the module's onTransferFile if it has
        one, else a copy into the working directory."""
        handler = getattr(self, "onTransferFile", None)
        if handler is not None:
            return handler(file_path)
        target = os.path.join(self.workingDir(True), os.path.basename(file_path))
        if os.path.abspath(target) != os.path.abspath(file_path):
            shutil.copyfile(file_path, target)
        return True

    # -- reports -----------------------------------------------------------------------------
    def _report(self, kind: str, item: Any, index: int = -1, value: Any = None) -> None:
        self._pdg_state.post(Report(kind, _ref(item), int(index if index is not None else -1), value))

    def onWorkItemStartCook(self, work_item_id, index=-1, *args) -> None:
        self._report("start", work_item_id, index)

    def onWorkItemSucceeded(self, work_item_id, index=-1, cook_duration=0.0, *args) -> None:
        self._report("success", work_item_id, index, float(cook_duration or 0.0))

    def onWorkItemFailed(self, work_item_id, index=-1, *args) -> None:
        self._report("failed", work_item_id, index)

    def onWorkItemCanceled(self, work_item_id, index=-1, *args) -> None:
        self._report("cancelled", work_item_id, index)

    onWorkItemCancelled = onWorkItemCanceled

    def onWorkItemFileResult(self, work_item_id, *args) -> None:
        """(item, subindex, result, tag, checksum) or the older (item, result, tag, checksum)."""
        if len(args) >= 4:
            index, path, tag, checksum = args[:4]
        else:
            index, (path, tag, checksum) = -1, (tuple(args) + ("", "", 0))[:3]
        self._report("output", work_item_id, index, (str(path), tag or "", checksum or 0, True))

    def onWorkItemAddOutput(self, work_item_id, index, path, tag="", hash_code=0, own=True, *a) -> None:
        self._report("output", work_item_id, index, (str(path), tag or "", hash_code or 0, own))

    def onWorkItemAddOutputs(self, work_item_id, index, paths, tags=(), hashes=(), own=True, *a) -> None:
        paths = list(paths)
        tags = [tags] * len(paths) if isinstance(tags, str) else list(tags) or [""] * len(paths)
        hashes = list(hashes) or [0] * len(paths)
        for path, tag, hash_code in zip(paths, tags, hashes):
            self.onWorkItemAddOutput(work_item_id, index, path, tag, hash_code, own)

    def onWorkItemSetAttribute(self, work_item_id, *args) -> None:
        index, name, data = (args[0], args[1], args[2]) if len(args) >= 3 else (-1, args[0], args[1])
        self._report("attrib", work_item_id, index, (name, None, data, 0))

    def _set_attrib(self, kind: str, work_item_id, index, name, value, attrib_index=0) -> None:
        self._report("attrib", work_item_id, index, (name, kind, value, attrib_index))

    def onWorkItemSetIntAttrib(self, work_item_id, index, name, value, attrib_index=0, *a):
        self._set_attrib("int", work_item_id, index, name, value, attrib_index)

    def onWorkItemSetFloatAttrib(self, work_item_id, index, name, value, attrib_index=0, *a):
        self._set_attrib("float", work_item_id, index, name, value, attrib_index)

    def onWorkItemSetStringAttrib(self, work_item_id, index, name, value, attrib_index=0, *a):
        self._set_attrib("string", work_item_id, index, name, value, attrib_index)

    def onWorkItemSetFileAttrib(self, work_item_id, index, name, value, attrib_index=0, *a):
        self._set_attrib("file", work_item_id, index, name, value, attrib_index)

    def onWorkItemSetDictAttrib(self, work_item_id, index, name, value, attrib_index=0, *a):
        self._set_attrib("dict", work_item_id, index, name, value, attrib_index)

    def onWorkItemSetPyObjectAttrib(self, work_item_id, index, name, value, attrib_index=0, *a):
        self._set_attrib("pyobject", work_item_id, index, name, value, attrib_index)

    def onWorkItemAppendLog(self, work_item_id, index, text, *args) -> None:
        self._report("log", work_item_id, index, str(text))

    def onWorkItemSetCookPercent(self, work_item_id, index, percent, *args) -> None:
        self._report("percent", work_item_id, index, float(percent))

    def onWorkItemSetCustomState(self, work_item_id, index, custom_state, *args) -> None:
        self._report("custom_state", work_item_id, index, str(custom_state))

    def onWorkItemInvalidateCache(self, work_item_id, index=-1, *args) -> None:
        self._report("invalidate", work_item_id, index)

    # -- shared servers -------------------------------------------------------------------
    def getSharedServerInfo(self, name: str) -> Optional[dict]:
        info = self._pdg_state.shared_servers.get(name)
        return dict(info) if info is not None else None

    def setSharedServerInfo(self, name: str, info: dict) -> None:
        self._pdg_state.shared_servers[name] = dict(info or {})

    def clearSharedServerInfo(self, name: str) -> None:
        self._pdg_state.shared_servers.pop(name, None)

    def getSharedServers(self) -> list[str]:
        return list(self._pdg_state.shared_servers)

    # -- cook ------------------------------------------------------------------------------
    @property
    def context(self) -> _CookContext:
        return _CookContext(self._pdg_state)

    def cookError(self, message: str) -> None:
        loop = self._pdg_state.loop
        if loop is not None:
            loop.cook_error(str(message))

    def cookWarning(self, message: str) -> None:
        loop = self._pdg_state.loop
        if loop is not None:
            loop.cook_warning(str(message))

    def dependencyGraph(self, expand_partitions: bool = False):
        loop = self._pdg_state.loop
        if loop is None:
            return {}, {}, []
        return loop.dependency_graph(expand_partitions)

    @property
    def isWaitForFailures(self) -> bool:
        return False

    def topNode(self):
        """The scheduler's TOP node (``hou``): its ``parm(name)`` is this scheduler's."""
        from ..houdini.scene import scheduler_node
        return scheduler_node(self)

    node = topNode

    def _pythonBin(self, *args: Any, **kwargs: Any) -> str:
        """The python jobs run: the test cook's own."""
        return sys.executable

    def _hythonBin(self, *args: Any, **kwargs: Any) -> str:
        """hython, as ``__PDG_HYTHON__`` expands ($SCHEDSTUDIO_HYTHON, else ``hython``)."""
        return os.environ.get("SCHEDSTUDIO_HYTHON", "hython")

    def _verboseLog(self, message: Any, *args: Any) -> None:
        loop = self._pdg_state.loop
        if loop is not None:
            loop.log_from_scheduler("info", str(message))

    def initHoudiniMaxThreads(self, *args: Any, **kwargs: Any) -> int:
        """The thread count Houdini jobs get (0 = all cores), from a ``houdini_max_threads``
        or ``maxthreads`` parameter; put in the environment dict given, if any."""
        params = self._pdg_state.params
        name = next((n for n in ("houdini_max_threads", "maxthreads") if n in params), None)
        count = params[name].evaluateInt() if name else 0
        for value in (*args, *kwargs.values()):
            if isinstance(value, dict):
                value["HOUDINI_MAXTHREADS"] = str(count)
        return count

    def onCancelWorkItems(self, work_items: Iterable[Any], node: Any) -> None:
        return None


# Result values a module compares against; re-exported by `pdg`.
__all__ = ["PyScheduler", "NotAvailableError", "scheduleResult", "tickResult"]
