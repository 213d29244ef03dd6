"""Local scheduler: runs each work item's command as a process on this machine.

A complete PDG scheduler, and the reference example of Scheduler Studio:
* at most ``max_jobs`` jobs run at once (0 = one per CPU core): one worker thread per
  slot starts a job, waits for it and reports how it ended, so the cook never waits
  on a process;
* each job writes a log (``getLogURI``) and a one-line status file (``getStatusURI``):
  "running as pid N" once it has run for half a second, then how it ended; the log
  of a job that failed ends saying how (``job ended by signal 11 (SIGSEGV)``);
* jobs report outputs and attributes to the result server through ``pdgcmd``; the
  scheduler reports start, success and failure from the process itself;
* cancelling a cook, or single items, ends their processes;
* static cooks (``onScheduleStatic``) run the graph in dependency order.

To adapt it to a farm, replace ``_run_job`` (submit and poll instead of spawning and
waiting) and ``_terminate`` (the farm's kill); items then wait in the farm's queue
rather than in ``self.queue``. The *Farm CLI* template is that change made for farms
driven by a command-line tool, and the *Dask* template for dask.distributed clusters.
"""
import json
import os
import queue
import shlex
import signal
import subprocess
import threading
import time

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler


class LocalScheduler(CallbackServerMixin, PyScheduler):
    """Runs work items as local processes."""

    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, True)

    @classmethod
    def templateName(cls):
        return "localscheduler"

    @classmethod
    def templateBody(cls):
        return json.dumps({
            "name": "localscheduler",
            "parameters": [
                {"name": "pdg_workingdir", "label": "Working Directory",
                 "type": "String", "size": 1, "value": "$HIP"},
                {"name": "max_jobs", "label": "Max Concurrent Jobs",
                 "type": "Integer", "size": 1, "value": 0},
                {"name": "tick_period", "label": "Tick Period",
                 "type": "Float", "size": 1, "value": 0.05},
            ],
        })

    def onSchedule(self, work_item):
        # Queue the item, as a farm would: a free slot picks it up. It stays
        # "scheduled" in PDG until its process starts.
        if not self._enqueue(work_item):
            return pdg.scheduleResult.Failed
        return pdg.scheduleResult.Succeeded

    def onScheduleStatic(self, dependencies, dependents, ready_items):
        # The whole graph arrives at once: keep it, start what is ready, and let
        # onTick start the rest as their dependencies finish.
        self.static_waiting = dict(dependencies)
        self.static_done = set()
        self._start_static_ready()

    def onTick(self):
        if self.static_waiting:
            self._start_static_ready()
        self._note_long_jobs()
        return pdg.tickResult.SchedulerReady

    def workingDir(self, local):
        path = self["pdg_workingdir"].evaluateString()
        return os.path.abspath(path or os.getcwd())

    def onStart(self):
        self.jobs = {}
        self.unnoted = {}
        self.lock = threading.Lock()
        self.queue = queue.Queue()
        self.workers = []
        self.cancelled = set()
        self.static_waiting = {}
        self.static_done = set()
        return True

    def onStop(self):
        self._stop_workers()
        return True

    def onStartCook(self, static, cook_set):
        # Throughput: PDG offers at most pdg_maxitems items per tick.
        self["pdg_tickperiod"] = self["tick_period"].evaluateFloat()
        self["pdg_maxitems"] = 1000
        self.jobs = {}
        self.unnoted = {}
        self.cancelled = set()
        self.static_waiting = {}
        self.static_done = set()
        # what every job of this cook shares, worked out once rather than per job
        self.job_dir = self.workingDir(True)
        self.job_env = dict(os.environ)
        self.log_dir = os.path.join(self.tempDir(True), "logs")
        self.status_dir = os.path.join(self.tempDir(True), "status")
        for folder in (self.log_dir, self.status_dir):
            os.makedirs(folder, exist_ok=True)
        self.startCallbackServer()
        self._start_workers()
        return True

    def onStopCook(self, cancel):
        if cancel:
            self._drop_queued()
            self._terminate(list(self.jobs))
        self._stop_workers()
        self.stopCallbackServer()
        return True

    def endSharedServer(self, sharedserver_name):
        info = self.getSharedServerInfo(sharedserver_name) or {}
        pid = int(info.get("pid") or 0)
        if pid:
            try:
                os.kill(pid, 15)
            except OSError:
                pass  # already gone
        self.clearSharedServerInfo(sharedserver_name)
        return True

    def getLogURI(self, work_item):
        return "file://" + self._log_path(work_item)

    def getStatusURI(self, work_item):
        return "file://" + self._status_path(work_item)

    def onCancelWorkItems(self, work_items, node):
        ids = [item.id for item in work_items]
        self.cancelled.update(ids)
        self._terminate(ids)

    # -- helpers: replace _run_job and _terminate to talk to a farm --------------

    def _start_workers(self):
        self.queue = queue.Queue()
        self.workers = [
            threading.Thread(target=self._work, name="local-slot-%d" % slot, daemon=True)
            for slot in range(self._max_jobs())]
        for worker in self.workers:
            worker.start()

    def _stop_workers(self):
        for _ in self.workers:
            self.queue.put(None)
        for worker in self.workers:
            worker.join(timeout=10)
        self.workers = []

    def _work(self):
        """One slot: take the next queued item, run it, report, repeat."""
        while True:
            work_item = self.queue.get()
            if work_item is None:
                return
            if work_item.id in self.cancelled:
                continue
            try:
                self._run_job(work_item)
            except OSError as error:
                # a full disk (no room for the log), a missing folder...: fail this
                # item, keep the slot alive
                self.cookWarning("%s: %s" % (work_item.name, error))
                with self.lock:
                    self.jobs.pop(work_item.id, None)
                self.onWorkItemFailed(work_item.id, -1)

    def _run_job(self, work_item):
        """Run the item's command as a process, wait for it, report how it ended."""
        env = self.addCommonJobEnvVars(dict(self.job_env), work_item)
        command = self._job_command(work_item, env)
        args = command if work_item.shouldRunInShell else shlex.split(command)
        started = time.time()
        with open(self._log_path(work_item), "w") as log:
            try:
                process = subprocess.Popen(
                    args, shell=work_item.shouldRunInShell, env=env,
                    cwd=self.job_dir, stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL)
            except OSError as error:
                # the command as written: expanded, it may hold the result server's secret
                log.write("could not start %r: %s\n" % (work_item.command, error))
                self.onWorkItemFailed(work_item.id, -1)
                return
            with self.lock:
                self.jobs[work_item.id] = process
                self.unnoted[work_item.id] = (work_item, process, time.monotonic())
            if work_item.id in self.cancelled:
                self._terminate([work_item.id])  # cancelled while it was starting
            else:
                self.onWorkItemStartCook(work_item.id, -1)
            code = process.wait()
            if code != 0:
                log.write("[local scheduler] %s\n" % how_it_ended(code))
        elapsed = time.time() - started
        with self.lock:
            cancelled = self.jobs.pop(work_item.id, None) is None
            self.unnoted.pop(work_item.id, None)
        self._write_status(work_item, "exit code %d after %.2f s" % (code, elapsed))
        if cancelled:
            return
        if code == 0:
            self.static_done.add(work_item.id)
            self.onWorkItemSucceeded(work_item.id, -1, elapsed)
        else:
            self.onWorkItemFailed(work_item.id, -1)

    def _job_command(self, work_item, env):
        """The command line the item's job runs, PDG's tokens expanded (a subclass may
        rewrite it, and `env`, here)."""
        return self.expandCommandTokens(work_item.command, work_item)

    def _terminate(self, item_ids):
        """End the processes of these items (and forget them)."""
        with self.lock:
            processes = [self.jobs.pop(i) for i in item_ids if i in self.jobs]
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()

    def _drop_queued(self):
        """Forget the items still waiting for a slot: they never start."""
        while True:
            try:
                work_item = self.queue.get_nowait()
            except queue.Empty:
                return
            if work_item is not None:
                self.cancelled.add(work_item.id)

    def _enqueue(self, work_item):
        """Write the item's data file, as PDG's own schedulers do when they schedule
        (while the slots are busy with earlier jobs), and queue it for a slot. False
        when the file cannot be written (a full disk...): that item fails alone."""
        try:
            self.createJobDirsAndSerializeWorkItems(work_item)
        except OSError as error:
            self.cookWarning("%s: %s" % (work_item.name, error))
            return False
        self.queue.put(work_item)
        return True

    def _start_static_ready(self):
        for item, needs in list(self.static_waiting.items()):
            if all(dep.id in self.static_done for dep in needs):
                del self.static_waiting[item]
                if not self._enqueue(item):
                    self.onWorkItemFailed(item.id, -1)

    def _max_jobs(self):
        limit = self["max_jobs"].evaluateInt()
        return limit if limit > 0 else (os.cpu_count() or 1)

    def _note_long_jobs(self):
        """Give jobs that have run for a while a "running" status. A short job's status
        is written once, when it ends: it is over before anyone could read it, and one
        more file per job can cost as much as starting the job."""
        now = time.monotonic()
        with self.lock:  # so a job's final status, written after it leaves, comes last
            for item_id, (work_item, process, started) in list(self.unnoted.items()):
                if now - started >= STATUS_AFTER_S:
                    del self.unnoted[item_id]
                    self._write_status(work_item, "running as pid %d" % process.pid)

    def _log_path(self, work_item):
        return os.path.join(self.log_dir, work_item.name + ".log")

    def _status_path(self, work_item):
        return os.path.join(self.status_dir, work_item.name + ".txt")

    def _write_status(self, work_item, text):
        # best effort: a job that succeeded on a disk that is now full still succeeded
        try:
            with open(self._status_path(work_item), "w") as status:
                status.write(text + "\n")
        except OSError as error:
            self.cookWarning("%s: status not written: %s" % (work_item.name, error))


def how_it_ended(code):
    """A job's exit code in words: "job exited with status 3", or "job ended by signal
    11 (SIGSEGV)" (a process a signal killed has the signal's number, negated)."""
    if code >= 0:
        return "job exited with status %d" % code
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = "unknown signal"
    return "job ended by signal %d (%s)" % (-code, name)


# A job gets a "running" status (see _note_long_jobs) once it has run this long.
STATUS_AFTER_S = 0.5


def registerTypes(type_registry):
    type_registry.registerScheduler(LocalScheduler, label="Local (processes)")
