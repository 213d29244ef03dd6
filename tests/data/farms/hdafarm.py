"""An HDA PythonModule-style scheduler (test data): the class only, no registerTypes
(Houdini's HDA registers it), reading two parameters its HDA defines and no
templateBody declares. Jobs run as local processes."""
import os
import subprocess
import threading

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler


class HdaFarmScheduler(CallbackServerMixin, PyScheduler):
    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, True)

    @classmethod
    def templateName(cls):
        return "hdafarm"

    def onStartCook(self, static, cook_set):
        self.pool = self["hda_pool"].evaluateString()
        self.slots = threading.Semaphore(max(1, self["hda_limit"].evaluateInt()))
        self["pdg_tickperiod"] = 0.05
        self["pdg_maxitems"] = 100
        self.startCallbackServer()
        return True

    def onSchedule(self, work_item):
        self.createJobDirsAndSerializeWorkItems(work_item)
        env = self.addCommonJobEnvVars(dict(os.environ), work_item)
        env["HDA_POOL"] = self.pool
        command = self.expandCommandTokens(work_item.command, work_item)
        threading.Thread(target=self._run, args=(work_item.id, command, env), daemon=True).start()
        return pdg.scheduleResult.Succeeded

    def _run(self, item_id, command, env):
        with self.slots:
            code = subprocess.call(command, shell=True, env=env, cwd=self.workingDir(True),
                                   stdout=subprocess.DEVNULL)
        if code == 0:
            self.onWorkItemSucceeded(item_id, -1, 0.0)
        else:
            self.onWorkItemFailed(item_id, -1)

    def onStopCook(self, cancel):
        self.stopCallbackServer()
        return True
