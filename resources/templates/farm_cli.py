"""Farm CLI scheduler: submits, polls and cancels jobs with a farm's command-line tool.

A skeleton for farms you drive from a shell. Each work item becomes one farm job:
* ``onSchedule`` runs ``submit_command`` and reads the job id from what it prints
  (the first group of ``jobid_regex``);
* ``onTick``, at most once per ``poll_interval`` seconds, runs ``status_command`` and
  reads each job's state word with ``status_regex``: a ``running_states`` word marks
  the item cooking, a ``succeeded_states`` word succeeded, a ``failed_states`` word
  failed; any other word (queued, pending...) means "still waiting". A group named
  ``code`` in the pattern, when it matches, is the job's exit code (negative: the
  signal that killed it), and a failed job's log ends saying how the job ended
  (``job ended by signal 11 (SIGSEGV)``, ``job exited with status 3``);
* cancelling runs ``cancel_command`` for every job still on the farm;
* jobs report their outputs and attributes themselves, through the result server.

The commands are split into words as a shell would (no shell runs them) after these
placeholders are filled in (write ``{{`` and ``}}`` for a literal brace):
  {name}            the work item's name
  {log}             the item's log file, for the farm to write the job's output to
  {cwd}             the working directory
  {command}         the item's command, as words of the command line
  {command_quoted}  the same command as a single word (for ``--wrap`` and the like)
  {executable}      its first word;  {arguments_quoted}: the rest, as a single word
  {jobid}           one job id (status and cancel commands)
  {jobids}          every job to ask about, separated by spaces ({jobids_comma}:
                    by commas)
The status command either holds {jobids}: one call asks about every job, and
``status_regex`` finds (job id, state) pairs in its output, one per line; or it
holds {jobid}: one call per job, and the regex's first group is the state. One call
for all is far faster on a busy farm.

The defaults drive ``fakefarm``, a tiny local farm Scheduler Studio ships so this
template cooks as it is: a test cook finds it last on PATH (after any tool of that
name of yours) and its summary says it used it; in Houdini, your farm's tools run.
Sketches for real farms (check them against your farm's version and site setup):

  Slurm     submit   sbatch --parsable --job-name={name} --output={log}
                       --chdir={cwd} --wrap={command_quoted}
            jobid    ^(\\d+)
            status   sacct -n -X -P -o JobID,State -j {jobids_comma}
            regex    ^(\\d+)\\|(\\w+)
            states   running RUNNING; succeeded COMPLETED;
                     failed FAILED,CANCELLED,TIMEOUT,OUT_OF_MEMORY,NODE_FAIL
            cancel   scancel {jobid}
  Deadline  submit   deadlinecommand -SubmitCommandLineJob -name {name}
                       -executable {executable} -arguments {arguments_quoted}
            jobid    JobID=(\\S+)
            status   deadlinecommand -GetJob {jobid}, with a regex that picks the
                     status line; states Active/Rendering, Completed, Failed
            cancel   deadlinecommand -FailJob {jobid} (or -DeleteJob)
  Tractor   submit   tractor-spool --title={name} -c {command}
            status   tq jobs jid={jobid} with the columns that show the state
            cancel   tq delete jid={jobid}
  OpenCue   submit with a small outline script (pycuerun), poll and cancel with
            cueman or the opencue Python API.

What else to change for a real farm:
* Environment: the submit command runs with this process's environment plus the
  item's ``PDG_*`` variables. Slurm hands that on to the job by default; other farms
  need the variables as job options (Deadline: ``-prop EnvironmentKeyValue0=...``).
* Jobs report to the result server on this machine: it must listen on an address
  the farm can reach (in the test cook, set ``SCHEDSTUDIO_RESULT_HOST``).
* Paths: the farm must see the working directory at the same path, or override
  ``workingDir``/``tempDir`` with the farm's view of it.
* Static cooks fall back to the dynamic way: an item is submitted once its
  dependencies succeeded. Many farms can hold a job until others finish (Slurm:
  ``--dependency=afterok:ID``); use that to submit the whole graph at once.
* Shared servers are ended by pid on this machine (``endSharedServer``); on a farm,
  end them on the host the server reported.
"""
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler
from pdg.utils import TickTimer

# Give up on a farm command that has not answered after this many seconds.
TOOL_TIMEOUT_S = 60.0
# A job whose status cannot be read this many polls in a row is failed.
STATUS_ERRORS_BEFORE_FAIL = 5
# What _run_tool returns when the farm tool itself is not installed (as a shell would).
TOOL_MISSING = 127
TOOL_PARMS = ("submit_command", "status_command", "cancel_command")


class FarmCLIScheduler(CallbackServerMixin, PyScheduler):
    """Submits work items as jobs through a farm's command-line tool."""

    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, False)

    @classmethod
    def templateName(cls):
        return "farmclischeduler"

    @classmethod
    def templateBody(cls):
        return json.dumps({
            "name": "farmclischeduler",
            "parameters": [
                {"name": "pdg_workingdir", "label": "Working Directory",
                 "type": "String", "size": 1, "value": "$HIP"},
                {"name": "submit_command", "label": "Submit Command",
                 "type": "String", "size": 1,
                 "value": "fakefarm submit --name {name} --log {log} --cwd {cwd}"
                          " -- {command}"},
                {"name": "jobid_regex", "label": "Job ID Pattern",
                 "type": "String", "size": 1, "value": "job (\\S+)"},
                {"name": "status_command", "label": "Status Command",
                 "type": "String", "size": 1, "value": "fakefarm status {jobids}"},
                {"name": "status_regex", "label": "State Pattern",
                 "type": "String", "size": 1,
                 "value": "^(\\S+) (\\w+)(?: (?P<code>-?\\d+))?"},
                {"name": "running_states", "label": "Running States",
                 "type": "String", "size": 1, "value": "running"},
                {"name": "succeeded_states", "label": "Succeeded States",
                 "type": "String", "size": 1, "value": "done"},
                {"name": "failed_states", "label": "Failed States",
                 "type": "String", "size": 1, "value": "failed,cancelled"},
                {"name": "cancel_command", "label": "Cancel Command",
                 "type": "String", "size": 1, "value": "fakefarm cancel {jobid}"},
                {"name": "status_url", "label": "Job Page URL",
                 "type": "String", "size": 1, "value": ""},
                {"name": "poll_interval", "label": "Poll Interval",
                 "type": "Float", "size": 1, "value": 1.0},
            ],
        })

    def onSchedule(self, work_item):
        if self._submit(work_item):
            return pdg.scheduleResult.Succeeded
        return pdg.scheduleResult.Failed

    def onScheduleStatic(self, dependencies, dependents, ready_items):
        # Fallback: keep the graph and submit each item once everything it needs
        # has succeeded (onTick checks). Items behind a failure are never submitted.
        self.static_waiting = dict(dependencies)
        self._submit_static_ready()

    def onTick(self):
        if self.poll_timer.tick():
            self._poll_jobs()
        if self.static_waiting:
            self._submit_static_ready()
        return pdg.tickResult.SchedulerReady

    def onStart(self):
        self.jobs = {}
        self.static_waiting = {}
        self.succeeded = set()
        return True

    def onStop(self):
        self._cancel(list(self.jobs))
        return True

    def onStartCook(self, static, cook_set):
        # Tick often, so accepted items are offered quickly; asking the farm about
        # its jobs is throttled separately (poll_interval, in onTick).
        self["pdg_tickperiod"] = 0.05
        self["pdg_maxitems"] = 1000
        self.jobs = {}             # work item id -> the job record of _submit
        self.static_waiting = {}   # static cooks: item -> the items it needs
        self.succeeded = set()     # ids of the items whose job succeeded
        self.poll_timer = TickTimer(self["poll_interval"].evaluateFloat())
        os.makedirs(os.path.join(self.tempDir(True), "logs"), exist_ok=True)
        for message in self._missing_tools():
            self.cookWarning(message)  # said once, by name, before any item fails
        self.startCallbackServer()
        return True

    def onStopCook(self, cancel):
        if cancel:
            self._cancel(list(self.jobs))
        self.stopCallbackServer()
        return True

    def endSharedServer(self, sharedserver_name):
        # The server runs where its job ran. Here the farm is this machine; on a real
        # farm, end it on its host (info["host"]), e.g. with a farm job of its own.
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
        return "file://" + self._log_path(work_item, True)

    def getStatusURI(self, work_item):
        job = self.jobs.get(work_item.id)
        if job is None:
            return ""
        # A web page for the job when the farm has one, else the command to ask.
        template = (self["status_url"].evaluateString()
                    or self["status_command"].evaluateString())
        try:
            return template.format(jobid=job["id"], jobids=job["id"],
                                   jobids_comma=job["id"], name=work_item.name)
        except (KeyError, IndexError, ValueError):
            return template

    def onCancelWorkItems(self, work_items, node):
        self._cancel([item.id for item in work_items])

    # -- helpers -----------------------------------------------------------------------

    def _submit(self, work_item):
        """Submit the item as a farm job; True when the farm took it."""
        self.createJobDirsAndSerializeWorkItems(work_item)
        command = self.expandCommandTokens(work_item.command, work_item)
        words = shlex.split(command)
        log_path = self._log_path(work_item, False)
        values = {
            "name": work_item.name, "log": log_path, "cwd": self.workingDir(False),
            "command": command, "command_quoted": shlex.quote(command),
            "executable": shlex.quote(words[0]) if words else "",
            "arguments_quoted": shlex.quote(" ".join(shlex.quote(w) for w in words[1:])),
        }
        env = self.addCommonJobEnvVars(dict(os.environ), work_item)
        code, output = self._run_tool("submit_command", values, env)
        found = re.search(self["jobid_regex"].evaluateString(), output)
        if code != 0 or not found:
            if code == TOOL_MISSING:
                reason = output.strip()
            else:
                reason = ("exit code %d" % code) if code != 0 else "no job id in its output"
            self._write_log(work_item, "submit failed (%s):\n%s" % (reason, output))
            self.cookWarning("%s: the farm did not take the job (%s)"
                             % (work_item.name, reason))
            return False
        self.jobs[work_item.id] = {"id": found.group(1), "item": work_item,
                                   "submitted": time.time(), "started": False,
                                   "errors": 0}
        return True

    def _poll_jobs(self):
        """Ask the farm about every job and report the ones that moved on."""
        running = self._states("running_states")
        succeeded = self._states("succeeded_states")
        failed = self._states("failed_states")
        states = self._read_states()
        for item_id, job in list(self.jobs.items()):
            answer = states.get(job["id"])
            if answer is None:
                # Not in the answer (a farm may forget finished jobs, say): give up
                # after a few polls rather than wait for ever.
                job["errors"] += 1
                if job["errors"] >= STATUS_ERRORS_BEFORE_FAIL:
                    self.cookWarning("%s: the farm no longer reports job %s"
                                     % (job["item"].name, job["id"]))
                    self._write_log(job["item"], "[farm scheduler] the farm no longer "
                                                 "reports job %s" % job["id"])
                    del self.jobs[item_id]
                    self.onWorkItemFailed(item_id, -1)
                continue
            job["errors"] = 0
            state, code = answer
            if state in running and not job["started"]:
                job["started"] = True
                self.onWorkItemStartCook(item_id, -1)
            elif state in succeeded:
                del self.jobs[item_id]
                self.succeeded.add(item_id)
                self.onWorkItemSucceeded(item_id, -1, time.time() - job["submitted"])
            elif state in failed:
                del self.jobs[item_id]
                said = "[farm scheduler] the farm reports job %s %s" % (job["id"], state)
                if code is not None:
                    said += ": " + how_it_ended(code)
                self._write_log(job["item"], said)
                self.onWorkItemFailed(item_id, -1)

    def _read_states(self):
        """Job id -> (the farm's state word in lower case, the exit code or None) for
        the jobs it reported.

        With {jobids} (or {jobids_comma}) in the status command, one call asks about
        every job, and status_regex finds (job id, state) in each line of the output.
        With {jobid}, one call per job, and the regex's first group is the state.
        The exit code is the group named "code", when there is one and it matched."""
        pattern = re.compile(self["status_regex"].evaluateString(), re.MULTILINE)
        states = {}
        if "{jobids" in self["status_command"].evaluateString():
            ids = [job["id"] for job in self.jobs.values()]
            if ids:
                _, output = self._run_tool("status_command", {
                    "jobids": " ".join(ids), "jobids_comma": ",".join(ids)})
                for found in pattern.finditer(output):
                    states[found.group(1)] = (found.group(2).lower(), exit_code(found))
            return states
        for job in self.jobs.values():
            code, output = self._run_tool("status_command", {"jobid": job["id"]})
            found = pattern.search(output)
            if code == 0 and found:
                state = found.group(1) if pattern.groups else found.group(0)
                states[job["id"]] = (state.lower(), exit_code(found))
        return states

    def _cancel(self, item_ids):
        """Run the cancel command for these items' jobs (and forget them)."""
        for item_id in item_ids:
            job = self.jobs.pop(item_id, None)
            if job is not None:
                code, output = self._run_tool("cancel_command", {"jobid": job["id"]})
                if code != 0:
                    self.cookWarning("cancelling farm job %s failed: %s"
                                     % (job["id"], output.strip()))

    def _run_tool(self, parm, values, env=None):
        """Run the farm command held by parameter ``parm``; (exit code, output)."""
        template = self[parm].evaluateString()
        try:
            args = shlex.split(template.format(**values))
        except (ValueError, KeyError, IndexError) as error:
            return -1, "cannot run %s %r: %s" % (parm, template, error)
        missing = self._missing_tool(args, parm, env)
        if missing:
            return TOOL_MISSING, missing
        try:
            done = subprocess.run(args, env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  universal_newlines=True, timeout=TOOL_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as error:
            return -1, "cannot run %s %r: %s" % (parm, template, error)
        return done.returncode, done.stdout

    def _missing_tool(self, args, parm, env=None):
        """A message naming the farm tool when it is not installed, else ""."""
        if not args:
            return ""
        path = (env if env is not None else os.environ).get("PATH", os.defpath)
        if shutil.which(args[0], path=path) is not None:
            return ""
        return ("cannot run %s: the farm tool %r is not on PATH (install the farm's "
                "command-line tools, or change the %s parameter)" % (parm, args[0], parm))

    def _missing_tools(self):
        """One message per farm tool the commands name that is not installed."""
        messages, seen = [], set()
        for parm in TOOL_PARMS:
            try:
                words = shlex.split(self[parm].evaluateString())
            except ValueError:
                continue
            if words and words[0] not in seen:
                seen.add(words[0])
                message = self._missing_tool(words, parm)
                if message:
                    messages.append(message)
        return messages

    def _submit_static_ready(self):
        for work_item, needs in list(self.static_waiting.items()):
            if all(dep.id in self.succeeded for dep in needs):
                del self.static_waiting[work_item]
                if not self._submit(work_item):
                    self.onWorkItemFailed(work_item.id, -1)

    def _states(self, parm):
        words = self[parm].evaluateString().split(",")
        return [word.strip().lower() for word in words if word.strip()]

    def _log_path(self, work_item, local):
        return os.path.join(self.tempDir(local), "logs", work_item.name + ".log")

    def _write_log(self, work_item, text):
        # best effort: a full disk must not keep the item from being reported
        try:
            with open(self._log_path(work_item, True), "a") as log:
                log.write(text + "\n")
        except OSError as error:
            self.cookWarning("%s: log not written: %s" % (work_item.name, error))


def exit_code(found):
    """The exit code a status_regex match holds in its group named "code", or None."""
    code = found.groupdict().get("code")
    return int(code) if code else None


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


def registerTypes(type_registry):
    type_registry.registerScheduler(FarmCLIScheduler, label="Farm (command line)")
