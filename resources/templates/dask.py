"""Dask scheduler: runs each work item as a task on a dask.distributed cluster.

Every job becomes one Dask task that runs the item's command with ``subprocess`` on a
Dask worker, writes the command's output to the item's log (then, if it failed, how it
ended: ``job ended by signal 11 (SIGSEGV)``) and returns ``(exit code, seconds)``. ``onSchedule`` collects the items and sends their tasks in
batches (``client.map``). ``onTick`` watches them and reports to PDG: started when the
cluster is processing the task, succeeded or failed by its exit code. The jobs report
their outputs and attributes themselves, through the result server.

Parameters:
* ``scheduler_address`` empty: a ``LocalCluster`` of ``workers`` processes (one job
  each) starts with the cook and closes with it. Good for one machine.
* ``scheduler_address`` set (``tcp://host:8786``): the scheduler connects to that
  cluster and leaves it running; only its client closes after the cook.

Cancelling cancels the tasks. Dask cannot interrupt a task that is already running,
so each worker keeps a list of the jobs it runs, and the scheduler ends the cancelled
ones' processes (and their children) with one ``client.run`` on the workers.

Static cooks submit the whole graph at once: each task takes its upstream tasks as
arguments, so Dask runs them in dependency order, and a task whose upstream job
failed returns without running.

To use a real cluster:
* Start it outside Houdini (``dask scheduler`` on one machine, ``dask worker
  tcp://HOST:8786 --nthreads N`` on each render node) and put its address in
  ``scheduler_address``; starting a ``LocalCluster`` inside Houdini's own process
  is best kept for tests.
* Workers need the same Python, ``dask`` and ``distributed`` versions as Houdini's
  ``hython`` (``hython -m pip install "dask[distributed]"``), and must see the working
  directory at the same path (or override ``workingDir``/``tempDir`` with their remote
  view), since logs, item data files and outputs live there.
* Jobs report to the result server on the submitting machine: it must listen on an
  address the workers can reach (in the test cook, set ``SCHEDSTUDIO_RESULT_HOST``).
* The job environment is the worker's own plus the ``PDG_*`` variables of the item;
  put render licences, ``HFS`` and paths in the workers' environment.
* ``getStatusURI`` points at the cluster dashboard when it has one (``pip install
  bokeh`` on the scheduler machine for the full dashboard).
"""
import json
import os
import signal
import time
import uuid

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler
from pdg.utils import TickTimer

# dask is an optional dependency: the module still loads without it, so Houdini lists
# the scheduler and the editor opens it; a cook then says what to install.
try:
    import distributed
except ImportError:
    distributed = None

MISSING_DASK = ("the Dask scheduler needs the 'dask' and 'distributed' packages: "
                "pip install \"dask[distributed]\" (in Houdini: hython -m pip install ...)")

# How long a cancelled job may take to end after SIGTERM before it gets SIGKILL, and
# how long in all we wait for the cancelled jobs to end (seconds).
TERM_GRACE_S = 5.0
STOP_GRACE_S = 10.0
# Jobs are sent to the cluster in batches of up to this many: Dask takes a batch of
# tasks far faster than the same tasks one by one.
BATCH_SIZE = 50


def make_job_functions():
    """Returns ``(run_job, stop_jobs)``: the function every Dask task runs on a
    worker, and the one a cancel runs on the workers (``client.run``) to end jobs.

    They are made inside this function on purpose. Dask sends a module-level function
    by name, and the workers cannot import this module (Houdini loaded it from
    ``pdg/types``; see dask/distributed#8607); a function made inside another one is
    sent by value, code and all. So they use only the standard library, imported
    inside them.

    A worker's running jobs are kept on the worker itself (``jobs_of``): task key ->
    the job's process. A job adds itself there, and ``stop_jobs`` ends the processes it
    finds. No thread, no polling and no round trip per job: a short job costs Dask
    little more than the command itself.
    """
    STOPPED = "stopped"  # a job told to stop before it started: it will not start

    def jobs_of(worker):
        """The jobs running on this worker (one dict per worker process)."""
        jobs = getattr(worker, "schedstudio_jobs", None)
        if jobs is None:
            jobs = worker.__dict__.setdefault("schedstudio_jobs", {})
        return jobs

    def run_job(command, shell, job_env, cwd, log_path, *upstream):
        """Runs one work item's command, its output into ``log_path``.

        Returns ``(exit code, seconds)``. ``upstream`` holds the results of the tasks
        this one depends on (static cooks only); when one of them did not succeed,
        the job does not run and returns ``(None, 0.0)``.
        """
        import os
        import shlex
        import signal
        import subprocess
        import time

        from distributed import get_worker

        if any(result[0] != 0 for result in upstream):
            return None, 0.0
        worker = get_worker()
        jobs, key = jobs_of(worker), worker.get_current_task()
        if jobs.get(key) == STOPPED:
            del jobs[key]
            return None, 0.0  # cancelled before it started
        env = dict(os.environ)
        env.update(job_env)
        started = time.time()
        with open(log_path, "w") as log:
            try:
                process = subprocess.Popen(
                    command if shell else shlex.split(command), shell=shell, env=env,
                    cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True)  # its own process group: a stop ends it all
            except OSError as error:
                log.write("could not start %r: %s\n" % (command, error))
                return 127, time.time() - started
            job = (process, log_path)
            if jobs.setdefault(key, job) is not job:  # stopped while it started
                os.killpg(process.pid, signal.SIGTERM)
            try:
                code = process.wait()
            finally:
                jobs.pop(key, None)
        if code != 0:  # after what a cancel wrote (stop_jobs appends), not over it
            with open(log_path, "a") as log:
                log.write("[dask scheduler] %s\n" % how_it_ended(code))
        return code, time.time() - started

    def how_it_ended(code):
        """A job's exit code in words: "job exited with status 3", or "job ended by
        signal 11 (SIGSEGV)" (a process a signal killed has the signal's number,
        negated)."""
        import signal

        if code >= 0:
            return "job exited with status %d" % code
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "unknown signal"
        return "job ended by signal %d (%s)" % (-code, name)

    def stop_jobs(keys_by_worker, sig, dask_worker=None):
        """End the process groups of this worker's jobs among ``keys_by_worker``
        (worker address -> task keys) with signal ``sig``; a job that has not
        started yet will not start. ``sig`` None: forget those that never started.
        Returns the keys of the jobs it signalled."""
        import os

        jobs = jobs_of(dask_worker)
        signalled = []
        for key in keys_by_worker.get(dask_worker.address, ()):
            if sig is None:
                if jobs.get(key) == STOPPED:
                    del jobs[key]
                continue
            job = jobs.setdefault(key, STOPPED)
            if job == STOPPED:
                continue
            process, log_path = job
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                continue  # ended meanwhile
            signalled.append(key)
            with open(log_path, "a") as log:
                log.write("\n[dask scheduler] cancelled: ending the job (signal %d)\n"
                          % sig)
        return signalled

    return run_job, stop_jobs


class DaskScheduler(CallbackServerMixin, PyScheduler):
    """Runs work items as tasks on a dask.distributed cluster."""

    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, False)

    @classmethod
    def templateName(cls):
        return "daskscheduler"

    @classmethod
    def templateBody(cls):
        return json.dumps({
            "name": "daskscheduler",
            "parameters": [
                {"name": "pdg_workingdir", "label": "Working Directory",
                 "type": "String", "size": 1, "value": "$HIP"},
                {"name": "scheduler_address", "label": "Scheduler Address",
                 "type": "String", "size": 1, "value": ""},
                {"name": "workers", "label": "Local Cluster Workers",
                 "type": "Integer", "size": 1, "value": 0},
                {"name": "tick_period", "label": "Tick Period",
                 "type": "Float", "size": 1, "value": 0.05},
            ],
        })

    def onSchedule(self, work_item):
        # Accepted: the job goes to the cluster with others, once BATCH_SIZE are
        # waiting or at the next tick (see _submit_accepted).
        self.createJobDirsAndSerializeWorkItems(work_item)
        self.accepted.append(work_item)
        if len(self.accepted) >= BATCH_SIZE:
            self._submit_accepted()
        return pdg.scheduleResult.Succeeded

    def onScheduleStatic(self, dependencies, dependents, ready_items):
        # The whole graph at once: submit every item, upstream first, each task taking
        # the futures of the tasks it needs. Dask holds a task until they are done.
        for work_item in self._in_dependency_order(dependencies):
            self.createJobDirsAndSerializeWorkItems(work_item)
            upstream = [self.futures[dep.id] for dep in dependencies[work_item]
                        if dep.id in self.futures]
            key, args = self._job(work_item)
            future = self.client.submit(self.run_job, *(args + tuple(upstream)), key=key,
                                        priority=work_item.priority, pure=False)
            self._track([work_item], [future])

    def onTick(self):
        if self.client is None:
            return pdg.tickResult.SchedulerReady
        self._submit_accepted()
        if self.started_timer.tick():
            self._report_started()
        finished = self.finished.next_batch(block=False)
        if finished:
            self._report_finished(finished)
            # The last references to these futures go on the client's own thread, in
            # one call: a Future dropped on this thread wakes that thread once each.
            self.client.loop.add_callback(finished.clear)
        return pdg.tickResult.SchedulerReady

    def onStart(self):
        self.client = None
        self.cluster = None
        self.futures = {}
        self.item_ids = {}
        self.accepted = []
        self.dashboard = ""
        self.log_dir = ""
        return True

    def onStop(self):
        self._disconnect()
        return True

    def onStartCook(self, static, cook_set):
        if distributed is None:
            raise pdg.CookError(MISSING_DASK)
        # Throughput: PDG offers at most pdg_maxitems items per tick.
        self["pdg_tickperiod"] = self["tick_period"].evaluateFloat()
        self["pdg_maxitems"] = 1000
        self.accepted = []      # items onSchedule took, not sent to the cluster yet
        self.futures = {}       # work item id -> Future of its task
        self.item_ids = {}      # task key -> work item id, while the task is ours
        self.started = set()    # ids of the items already reported as cooking
        self.started_timer = TickTimer(0.25)
        self.cook_tag = uuid.uuid4().hex[:8]
        self._connect()
        # Collects our futures as they finish; onTick takes what is there.
        self.finished = distributed.as_completed(loop=self.client.loop)
        # The logs folder as this machine sees it (getLogURI runs for every item)
        self.log_dir = os.path.join(self.tempDir(True), "logs")
        os.makedirs(self.log_dir, exist_ok=True)
        self.startCallbackServer()
        return True

    def onStopCook(self, cancel):
        if cancel:
            self._cancel([item.id for item in self.accepted] + list(self.futures))
        self._disconnect()
        self.stopCallbackServer()
        return True

    def endSharedServer(self, sharedserver_name):
        # The server was started by a job, so it runs on a worker. Here the workers
        # share this machine; on a real cluster end it on its host instead (e.g. with
        # self.client.run(os.kill, pid, 15, workers=[...]) while the client is open).
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
        logs = self.log_dir or os.path.join(self.tempDir(True), "logs")
        return "file://" + os.path.join(logs, work_item.name + ".log")

    def getStatusURI(self, work_item):
        return self.dashboard

    def onCancelWorkItems(self, work_items, node):
        self._cancel([item.id for item in work_items])

    # -- helpers -----------------------------------------------------------------------

    def _connect(self):
        """Connect to the cluster named by scheduler_address, or start a LocalCluster."""
        address = self["scheduler_address"].evaluateString().strip()
        try:
            if address:
                self.client = distributed.Client(address, timeout="10s",
                                                 set_as_default=False)
            else:
                workers = self["workers"].evaluateInt() or os.cpu_count() or 1
                self.cluster = distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True,
                    dashboard_address="127.0.0.1:0")
                self.client = distributed.Client(self.cluster, set_as_default=False)
        except OSError as error:
            self._disconnect()
            raise pdg.CookError("cannot reach the Dask scheduler at %r: %s"
                                % (address or "a new LocalCluster", error))
        self.run_job, self.stop_jobs = make_job_functions()
        services = self.client.scheduler_info().get("services", {})
        self.dashboard = self.client.dashboard_link if "dashboard" in services else ""

    def _disconnect(self):
        """Close our client, and the cluster when we started it (never someone else's)."""
        client, self.client = self.client, None
        cluster, self.cluster = self.cluster, None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def _submit_accepted(self):
        """Send the jobs of the items accepted so far to the cluster, with one
        client.map per priority."""
        batch, self.accepted = self.accepted, []
        for priority in sorted({item.priority for item in batch}, reverse=True):
            items = [item for item in batch if item.priority == priority]
            folders = (self.workingDir(False), os.path.join(self.tempDir(False), "logs"))
            jobs = [self._job(item, folders) for item in items]
            # pure=False: a job is not a pure function, and Dask would otherwise hash
            # the function and every argument of the batch (~40 ms a batch of 50)
            futures = self.client.map(self.run_job, *zip(*[args for _, args in jobs]),
                                      key=[key for key, _ in jobs], priority=priority,
                                      pure=False)
            self._track(items, futures)

    def _job(self, work_item, folders=None):
        """The key of the item's task, and the arguments of run_job for it.
        ``folders``: (working dir, log dir) as the workers see them, when the caller
        has them already (a batch asks once)."""
        key = "%s-%s" % (work_item.name, self.cook_tag)
        job_env = self.addCommonJobEnvVars({}, work_item)
        job_env["PDG_JOBID"] = key
        cwd, logs = folders or (self.workingDir(False),
                                os.path.join(self.tempDir(False), "logs"))
        args = (self.expandCommandTokens(work_item.command, work_item),
                work_item.shouldRunInShell, job_env, cwd,
                os.path.join(logs, work_item.name + ".log"))
        return key, args

    def _track(self, work_items, futures):
        for work_item, future in zip(work_items, futures):
            self.futures[work_item.id] = future
            self.item_ids[future.key] = work_item.id
        # Watched from the client's thread: as_completed.update called here would wake
        # that thread once per future (a write to its wake-up socket each).
        self.client.loop.add_callback(self.finished.update, futures)

    def _report_started(self):
        """Mark the items whose tasks the cluster is now processing as cooking."""
        for keys in self.client.processing().values():
            for key in keys:
                item_id = self.item_ids.get(key)
                if item_id is not None and item_id not in self.started:
                    self.started.add(item_id)
                    self.onWorkItemStartCook(item_id, -1)

    def _report_finished(self, futures):
        """Report the tasks that ended: success on exit code 0, failure otherwise."""
        ours = [f for f in futures if f.key in self.item_ids]  # not the cancelled
        done = [f for f in ours if f.status == "finished"]
        results = self.client.gather(done) if done else []  # one request for all
        for future, (code, seconds) in zip(done, results):
            item_id = self._forget(future)
            if code is None:
                continue  # an upstream job failed (static cook): PDG already knows
            if code == 0:
                self.onWorkItemSucceeded(item_id, -1, seconds)
            else:
                self.onWorkItemFailed(item_id, -1)
        for future in ours:
            if future.status != "finished":
                # The task itself failed (its worker died, say): say why in the log.
                error = future.exception() if future.status == "error" else future.status
                self.cookWarning("Dask task %s failed: %r" % (future.key, error))
                name = future.key.rsplit("-", 1)[0]  # the key is NAME-COOKTAG (_job)
                try:
                    with open(os.path.join(self.log_dir, name + ".log"), "a") as log:
                        log.write("[dask scheduler] the Dask task failed: %r\n" % (error,))
                except OSError:
                    pass  # the warning above says it
                self.onWorkItemFailed(self._forget(future), -1)

    def _forget(self, future):
        """Stop tracking a task; returns the id of its work item."""
        item_id = self.item_ids.pop(future.key)
        del self.futures[item_id]
        return item_id

    def _cancel(self, item_ids):
        """Cancel these items' jobs. Items not sent yet and queued tasks are dropped;
        the jobs of the tasks a worker took are ended (SIGTERM, SIGKILL after
        TERM_GRACE_S) and we wait until they have."""
        self.accepted = [item for item in self.accepted if item.id not in item_ids]
        futures = [self.futures.pop(i) for i in item_ids if i in self.futures]
        for future in futures:
            self.item_ids.pop(future.key, None)
        if not futures or self.client is None:
            return
        # "Processing" tasks run on a worker, or are about to: their workers end their
        # jobs (or do not start them), and we wait for the tasks to return. The rest
        # are dropped by Dask.
        keys = {f.key for f in futures}
        on_workers = {address: [key for key in held if key in keys]
                      for address, held in self.client.processing().items()}
        taken = {key for held in on_workers.values() for key in held}
        running = [f for f in futures if f.key in taken]
        self.client.cancel([f for f in futures if f.key not in taken])
        deadline = time.time() + STOP_GRACE_S
        for sig, until in ((signal.SIGTERM, time.time() + TERM_GRACE_S),
                           (signal.SIGKILL, deadline)):
            if running:
                self.client.run(self.stop_jobs, on_workers, sig, on_error="ignore")
            while running and time.time() < until:
                running = [f for f in running if not f.done()]
                time.sleep(0.05)
        if running:
            self.cookWarning("%d cancelled Dask jobs did not stop within %g s"
                             % (len(running), STOP_GRACE_S))
        self.client.cancel([f for f in futures if f.key in taken])
        self.client.run(self.stop_jobs, on_workers, None, on_error="ignore")

    def _in_dependency_order(self, dependencies):
        """The items of a static cook, each one after everything it depends on."""
        ordered, placed = [], set()
        waiting = list(dependencies)
        while waiting:
            still_waiting = []
            for work_item in waiting:
                if all(dep.id in placed or dep not in dependencies
                       for dep in dependencies[work_item]):
                    ordered.append(work_item)
                    placed.add(work_item.id)
                else:
                    still_waiting.append(work_item)
            if len(still_waiting) == len(waiting):
                raise pdg.CookError("the static graph has a dependency cycle")
            waiting = still_waiting
        return ordered


def registerTypes(type_registry):
    type_registry.registerScheduler(DaskScheduler, label="Dask (distributed)")
