"""A client-library farm scheduler (test data): each work item becomes a job of one
block holding one task, sent through the farm's Python client (``afclient``) and polled
for its state on every tick. This machine has no ``afclient``: tests give it one."""
import json
import os

import hou
import afclient

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler


class AfarmScheduler(CallbackServerMixin, PyScheduler):
    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, False)
        self.jobs = {}

    @classmethod
    def templateName(cls):
        return "afarm"

    @classmethod
    def templateBody(cls):
        return json.dumps({"name": "afarm", "parameters": [
            {"name": "afarm_priority", "label": "Priority", "type": "Integer", "value": 50}]})

    def onStartCook(self, static, cook_set):
        self["pdg_tickperiod"] = 0.05
        self["pdg_maxitems"] = 100
        self.jobs = {}
        self.startCallbackServer()
        return True

    def onSchedule(self, work_item):
        self.createJobDirsAndSerializeWorkItems(work_item)
        scene = os.path.basename(hou.hipFile.path())
        job = afclient.Job("%s %s" % (scene, work_item.name))
        job.setPriority(self["afarm_priority"].evaluateInt())
        job.setEnv(self.addCommonJobEnvVars(dict(os.environ), work_item))
        block = afclient.Block(work_item.node.name, "generic")
        block.setWorkingDirectory(self.workingDir(False))
        task = afclient.Task(work_item.name)
        task.setCommand(self.expandCommandTokens(work_item.command, work_item))
        block.tasks.append(task)
        job.blocks.append(block)
        self.jobs[work_item.id] = job.send()
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        for item_id, job_id in list(self.jobs.items()):
            state = afclient.Cmd().getJobInfo(job_id)["state"]
            if "DON" in state:
                del self.jobs[item_id]
                self.onWorkItemSucceeded(item_id, -1, 0.0)
            elif "ERR" in state:
                del self.jobs[item_id]
                self.onWorkItemFailed(item_id, -1)
        return pdg.tickResult.SchedulerReady

    def onStopCook(self, cancel):
        for job_id in self.jobs.values():
            afclient.Cmd().deleteJob(job_id)
        self.jobs = {}
        self.stopCallbackServer()
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(AfarmScheduler, label="Afarm")
