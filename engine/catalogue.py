"""The scheduler callbacks: the one place that says what each one is.

The GUI lays its tabs out from this table, codegen writes the method
signatures from it, the parser recognises methods by it, completion and the
docs read its help. Default bodies together make a small local scheduler
(child processes polled on each tick) that uses the callback server, as the
default document does; they need the imports in ``DEFAULT_PRELUDE``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

TABS = (
    "Scheduling",
    "File Paths",
    "Initialization and Cleanup",
    "Shared Server",
    "Logging",
)

# Scheduler classes Houdini ships in $HFS/houdini/pdg/types/schedulers (module
# name -> class name). A class deriving from one of them is a scheduler too.
HOUDINI_SCHEDULERS = {
    "local": "LocalScheduler",
    "tbdeadline": "DeadlineScheduler",
    "hqueuescheduler": "HQueueScheduler",
    "tractorscheduler": "TractorScheduler",
}
SCHEDULER_BASES = frozenset(("PyScheduler", *HOUDINI_SCHEDULERS.values()))
"""Base-class names that make a class a scheduler (imported from anywhere)."""

DEFAULT_PRELUDE = """\
import os
import pathlib
import subprocess
import time"""


@dataclass(frozen=True)
class Callback:
    """One method PDG calls on a scheduler.

    ``tab`` is None for callbacks the node has no field for: documents keep
    those as plain code in "extra members" (see ``method_text``).
    ``aliases`` are other method names that mean the same callback.
    """

    name: str
    args: tuple[str, ...]
    returns: str
    tab: Optional[str]
    section: str
    label: str
    help: str
    default_body: str
    aliases: tuple[str, ...] = ()

    def signature(self, args: Optional[tuple[str, ...]] = None,
                  name: Optional[str] = None) -> str:
        """The ``def`` line, e.g. ``def onSchedule(self, work_item):``;
        ``args``/``name`` override the catalogue's spelling."""
        names = ("self",) + tuple(self.args if args is None else args)
        return f"def {name or self.name}({', '.join(names)}):"

    def method_text(self) -> str:
        """The whole method with its default body, as typed in extra members
        (where callbacks without a tab live)."""
        body = [("    " + line) if line else line
                for line in self.default_body.split("\n")]
        return "\n".join([self.signature()] + body)


_ON_SCHEDULE = '''\
# Start the command as a child process; onTick reports its end.
self.createJobDirsAndSerializeWorkItems(work_item)
command = self.expandCommandTokens(work_item.command, work_item)
env = dict(os.environ)
for key, value in work_item.environment.items():
    env[key] = str(value)
env.update({
    "PDG_RESULT_SERVER": str(self.workItemResultServerAddr()),
    "PDG_ITEM_NAME": work_item.name,
    "PDG_ITEM_ID": str(work_item.id),
    "PDG_INDEX": str(work_item.index),
    "PDG_DIR": self.workingDir(False),
    "PDG_TEMP": self.tempDir(False),
    "PDG_SCRIPTDIR": self.scriptDir(False),
})
logs = os.path.join(self.tempDir(True), "logs")
log = open(os.path.join(logs, work_item.name + ".log"), "w")
process = subprocess.Popen(
    command, shell=True, env=env, cwd=self.workingDir(True),
    stdout=log, stderr=subprocess.STDOUT)
self.jobs[work_item.id] = (process, log, time.time())
self.onWorkItemStartCook(work_item.id, -1)
return pdg.scheduleResult.Succeeded'''

_ON_SCHEDULE_STATIC = '''\
# A static cook hands over the whole graph at once. This scheduler
# cooks item by item through onSchedule, so it declines clearly.
self.cookError("Static cooks are not supported: cook dynamically.")'''

_SUBMIT_AS_JOB = '''\
# Return (status URI, job id) once your farm can cook a whole
# network as one job. None tells PDG that nothing was submitted.
self.cookWarning("Submit As Job is not supported by this scheduler.")
return None'''

_ON_TICK = '''\
# Report the jobs that ended since the last tick.
for item_id, (process, log, started) in list(self.jobs.items()):
    code = process.poll()
    if code is None:
        continue
    log.close()
    del self.jobs[item_id]
    if code == 0:
        self.onWorkItemSucceeded(item_id, -1, time.time() - started)
    else:
        self.onWorkItemFailed(item_id, -1)
# Hold back new work while every CPU is busy.
if len(self.jobs) >= (os.cpu_count() or 1):
    return pdg.tickResult.SchedulerBusy
return pdg.tickResult.SchedulerReady'''

_WORKING_DIR = '''\
# Jobs run on this machine, so local and remote paths are the same.
return self["pdg_workingdir"].evaluateString()'''

_LOCALIZE_PATH = '''\
# The base class expands PDG's tokens such as __PDG_DIR__. Map farm
# paths to this machine's after it: path.replace("/mnt", "M:").
path = PyScheduler.localizePath(self, deferred_path)
return path'''

_APPLICATION_BIN = '''\
# The base class knows where python and hython live. Point other
# programs at your own installs here.
return PyScheduler.applicationBin(self, name, work_item)'''

_ON_START = '''\
# Set up what lives across cooks: the running jobs by work item id.
self.jobs = {}  # id -> (process, log file, start time)
return True'''

_ON_STOP = '''\
# onStopCook has already ended the jobs and the result server.
return True'''

_ON_START_COOK = '''\
# Make the working directory, and start the server jobs report to.
os.makedirs(self.workingDir(True), exist_ok=True)
if not self.isCallbackServerRunning():
    self.startCallbackServer()
return True'''

_ON_STOP_COOK = '''\
# End the jobs still running (a cancelled cook), then the server.
for item_id, (process, log, started) in list(self.jobs.items()):
    process.kill()
    process.wait()
    log.close()
    self.onWorkItemCanceled(item_id, -1)
self.jobs.clear()
if self.isCallbackServerRunning():
    self.stopCallbackServer()
return True'''

_END_SHARED_SERVER = '''\
# The job that started the server ends it; forget what PDG recorded.
self.clearSharedServerInfo(sharedserver_name)
return True'''

_RESULT_SERVER_ADDR = '''\
# The callback server mixin knows the address it listens on.
return CallbackServerMixin.workItemResultServerAddr(self)'''

_ON_TRANSFER_FILE = '''\
# Jobs run on this machine and read files in place: nothing to copy.
return True'''

_GET_LOG_URI = '''\
logs = os.path.join(self.tempDir(True), "logs")
log_path = pathlib.Path(logs, work_item.name + ".log")
return log_path.absolute().as_uri()'''

_GET_STATUS_URI = '''\
# A farm returns the web page of the item's job; local jobs have none.
return ""'''

_ON_CANCEL_WORK_ITEMS = '''\
# Kill the processes of the cancelled items.
for work_item in work_items:
    job = self.jobs.pop(work_item.id, None)
    if job is None:
        continue
    process, log, started = job
    process.kill()
    process.wait()
    log.close()
    self.onWorkItemCanceled(work_item.id, -1)'''

_ON_ACCEPT_WORK_ITEM = '''\
# Take every item. Return pdg.acceptResult.Reject to leave one to
# another scheduler.
return pdg.acceptResult.Accept'''


CALLBACKS: tuple[Callback, ...] = (
    Callback(
        "onSchedule", ("work_item",), "pdg.scheduleResult",
        "Scheduling", "Schedule", "onSchedule Callback",
        "PDG calls this for each work item that is ready to run. Start its "
        "job here and return pdg.scheduleResult.Succeeded; the job's end is "
        "reported later. Return Deferred to be offered the item again, "
        "FullDeferred to stop scheduling until the next tick, or "
        "CookSucceeded/CookFailed when the work was done right here.",
        _ON_SCHEDULE),
    Callback(
        "onScheduleStatic", ("dependencies", "dependents", "ready_items"),
        "None",
        "Scheduling", "Schedule Static", "onScheduleStatic Callback",
        "Called instead of onSchedule when the whole graph is cooked "
        "statically. 'dependencies' maps each item to the items it waits "
        "for, 'dependents' maps each item to the items waiting for it, and "
        "'ready_items' lists the items that can start now.",
        _ON_SCHEDULE_STATIC),
    Callback(
        "submitAsJob", ("graph_file", "node_path"),
        "(status URI, job id), or None",
        "Scheduling", "Submit As Job", "submitAsJob Callback",
        "Sends the entire TOP network off to be cooked as a single job: "
        "'graph_file' is the saved graph, 'node_path' the network to cook. "
        "Return the status URI and id of the submitted job.",
        _SUBMIT_AS_JOB),
    Callback(
        "onTick", (), "pdg.tickResult",
        "Scheduling", "Tick", "onTick Callback",
        "Runs every pdg_tickperiod seconds during a cook. Check on running "
        "jobs here. Return SchedulerReady to let PDG schedule more items, "
        "SchedulerBusy to hold them back this tick, or SchedulerCancelCook "
        "to stop the cook.",
        _ON_TICK),
    Callback(
        "workingDir", ("local",), "str",
        "File Paths", "Working Directory", "workingDir Callback",
        "Returns the directory that jobs read and write their files in. "
        "'local' is True when the path is used on this machine and False "
        "when it is handed to a job, which may run on another machine.",
        _WORKING_DIR),
    Callback(
        "localizePath", ("deferred_path",), "str",
        "File Paths", "Localize Path", "localizePath Callback",
        "Turns a path that still holds PDG tokens or farm mount points into "
        "a path that works on this machine.",
        _LOCALIZE_PATH),
    Callback(
        "applicationBin", ("name", "work_item"), "str",
        "File Paths", "Application Binary", "applicationBin Callback",
        "Returns the executable to run for a program name such as 'python' "
        "or 'hython' when a node builds a command for 'work_item'.",
        _APPLICATION_BIN),
    Callback(
        "onStart", (), "bool",
        "Initialization and Cleanup", "Start", "onStart Callback",
        "Called once, when PDG creates the scheduler. Set up state that "
        "lasts across cooks.",
        _ON_START),
    Callback(
        "onStop", (), "bool",
        "Initialization and Cleanup", "Stop", "onStop Callback",
        "Called once, when the scheduler is removed. Release whatever "
        "onStart set up.",
        _ON_STOP),
    Callback(
        "onStartCook", ("static", "cook_set"), "bool",
        "Initialization and Cleanup", "Start Cook", "onStartCook Callback",
        "Called as a cook begins. 'static' tells whether the graph is cooked "
        "statically and 'cook_set' lists the nodes being cooked. Start "
        "servers and read parameters here; return False to refuse the cook.",
        _ON_START_COOK),
    Callback(
        "onStopCook", ("cancel",), "bool",
        "Initialization and Cleanup", "Stop Cook", "onStopCook Callback",
        "Called when a cook ends; 'cancel' is True when the user stopped "
        "it. End running jobs and servers here. It may be called twice for "
        "the same cook.",
        _ON_STOP_COOK),
    Callback(
        "endSharedServer", ("sharedserver_name",), "bool",
        "Shared Server", "End Shared Server", "endSharedServer Callback",
        "Called when no work item needs the named shared server any more. "
        "Shut it down and return True.",
        _END_SHARED_SERVER),
    Callback(
        "workItemResultServerAddr", (), "str",
        "Shared Server", "Result Server Address",
        "workItemResultServerAddr Callback",
        "Returns the HOST:PORT that jobs send their results to.",
        _RESULT_SERVER_ADDR),
    Callback(
        "onTransferFile", ("file_path",), "bool",
        "Shared Server", "Transfer File", "onTransferFile Callback",
        "Copies a file that jobs need from this machine to where they can "
        "read it, such as a shared drive. Return True when the file is in "
        "place.",
        _ON_TRANSFER_FILE, aliases=("transferFile",)),
    Callback(
        "getLogURI", ("work_item",), "str",
        "Logging", "Log URI", "getLogURI Callback",
        "Returns a URI for the log of the item's job, such as "
        "file:///jobs/logs/item_1.log, or an empty string.",
        _GET_LOG_URI),
    Callback(
        "getStatusURI", ("work_item",), "str",
        "Logging", "Status URI", "getStatusURI Callback",
        "Returns a URI where the item's job status can be seen, such as a "
        "farm's web page, or an empty string.",
        _GET_STATUS_URI),
    Callback(
        "onCancelWorkItems", ("work_items", "node"), "None",
        None, "Cancel Work Items", "onCancelWorkItems Callback",
        "Called when running items are cancelled; 'node' is their node when "
        "they all come from one. Stop their jobs.",
        _ON_CANCEL_WORK_ITEMS),
    Callback(
        "onAcceptWorkItem", ("work_item",), "pdg.acceptResult",
        None, "Accept Work Item", "onAcceptWorkItem Callback",
        "Asked before an item is given to this scheduler. Return Accept, "
        "Reject, or Default to let PDG decide.",
        _ON_ACCEPT_WORK_ITEM),
)

_BY_NAME = {cb.name: cb for cb in CALLBACKS}
_BY_NAME.update({alias: cb for cb in CALLBACKS for alias in cb.aliases})


def by_name(name: str) -> Optional[Callback]:
    """The callback a method name stands for (aliases included), or None."""
    return _BY_NAME.get(name)


def for_tab(tab: Optional[str]) -> tuple[Callback, ...]:
    """The callbacks of one tab in display order (None: those off the tabs)."""
    return tuple(cb for cb in CALLBACKS if cb.tab == tab)
