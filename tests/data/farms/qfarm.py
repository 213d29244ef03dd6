"""A command-line farm scheduler (test data): each work item is written to a job file
and submitted with ``qsubmit JOBFILE``; ``qstat JOBID`` says queued, running, done or
failed. This machine has neither tool: tests put stand-ins for them on PATH."""
import json
import os
import subprocess

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler


class QFarmScheduler(CallbackServerMixin, PyScheduler):
    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, False)
        self.jobs = {}

    @classmethod
    def templateName(cls):
        return "qfarm"

    def onStartCook(self, static, cook_set):
        self["pdg_tickperiod"] = 0.05
        self["pdg_maxitems"] = 100
        self.jobs = {}
        self.job_files = os.path.join(self.tempDir(True), "jobfiles")
        os.makedirs(self.job_files, exist_ok=True)
        self.startCallbackServer()
        return True

    def onSchedule(self, work_item):
        self.createJobDirsAndSerializeWorkItems(work_item)
        path = os.path.join(self.job_files, work_item.name + ".json")
        with open(path, "w") as handle:
            json.dump({"name": work_item.name,
                       "command": self.expandCommandTokens(work_item.command, work_item),
                       "cwd": self.workingDir(False),
                       "env": self.addCommonJobEnvVars(dict(os.environ), work_item)}, handle)
        done = subprocess.run(["qsubmit", path], capture_output=True, text=True, check=True)
        self.jobs[work_item.id] = done.stdout.split()[-1]
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        for item_id, job_id in list(self.jobs.items()):
            state = subprocess.run(["qstat", job_id], capture_output=True, text=True).stdout.strip()
            if state == "done":
                del self.jobs[item_id]
                self.onWorkItemSucceeded(item_id, -1, 0.0)
            elif state == "failed":
                del self.jobs[item_id]
                self.onWorkItemFailed(item_id, -1)
        return pdg.tickResult.SchedulerReady

    def onStopCook(self, cancel):
        self.stopCallbackServer()
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(QFarmScheduler, label="QFarm")
