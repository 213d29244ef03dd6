"""A queue farm scheduler (test data): jobs go on a Redis list that the farm's workers
pop; each worker writes the job's state into a Redis hash the scheduler polls. This
machine has no ``redis`` client (nor server): tests give a stand-in for it."""
import json
import os

import redis
from six.moves.urllib.parse import quote

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler


class QueueFarmScheduler(CallbackServerMixin, PyScheduler):
    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, False)
        self.pending = set()

    @classmethod
    def templateName(cls):
        return "queuefarm"

    @classmethod
    def templateBody(cls):
        return json.dumps({"name": "queuefarm", "parameters": [
            {"name": "queue_host", "type": "String", "value": "localhost"},
            {"name": "queue_name", "type": "String", "value": "pdg jobs"}]})

    def onStartCook(self, static, cook_set):
        self["pdg_tickperiod"] = 0.05
        self["pdg_maxitems"] = 100
        self.db = redis.Redis(host=self["queue_host"].evaluateString(), port=6379)
        self.db.ping()
        self.queue = quote(self["queue_name"].evaluateString())
        self.pending = set()
        self.startCallbackServer()
        return True

    def onSchedule(self, work_item):
        self.createJobDirsAndSerializeWorkItems(work_item)
        self.db.hset(self.queue + ":state", str(work_item.id), "queued")
        self.db.rpush(self.queue, json.dumps({
            "id": work_item.id, "cwd": self.workingDir(False),
            "command": self.expandCommandTokens(work_item.command, work_item),
            "env": self.addCommonJobEnvVars(dict(os.environ), work_item)}))
        self.pending.add(work_item.id)
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        for item_id in sorted(self.pending):
            state = self.db.hget(self.queue + ":state", str(item_id))
            if state == b"done":
                self.pending.discard(item_id)
                self.onWorkItemSucceeded(item_id, -1, 0.0)
            elif state == b"failed":
                self.pending.discard(item_id)
                self.onWorkItemFailed(item_id, -1)
        return pdg.tickResult.SchedulerReady

    def onStopCook(self, cancel):
        self.stopCallbackServer()
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(QueueFarmScheduler, label="Queue farm")
