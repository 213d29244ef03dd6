"""A scheduler reading ten parameters its HDA defines (test data), as farm schedulers
read their submit options; none is declared in templateBody. Jobs run locally."""
import os
import subprocess

import pdg
from pdg.scheduler import PyScheduler

HDA_PARAMETERS = ("rush_verbose", "rush_cpus", "rush_ram", "rush_priority", "rush_title",
                  "rush_logdir", "rush_maxtime", "rush_retries", "rush_hosts", "rush_nice")


class RushLikeScheduler(PyScheduler):
    @classmethod
    def templateName(cls):
        return "rushlike"

    def onStartCook(self, static, cook_set):
        self.options = {
            "verbose": self["rush_verbose"].evaluateBool(),
            "cpus": self["rush_cpus"].evaluateInt(),
            "ram": self["rush_ram"].evaluateInt(),
            "priority": self["rush_priority"].evaluateInt(),
            "title": self["rush_title"].evaluateString(),
            "logdir": self["rush_logdir"].evaluateString(),
            "maxtime": self["rush_maxtime"].evaluateFloat(),
            "retries": self["rush_retries"].evaluateInt(),
            "hosts": self["rush_hosts"].evaluateString(),
            "nice": self["rush_nice"].evaluateInt(),
        }
        return True

    def onSchedule(self, work_item):
        self.createJobDirsAndSerializeWorkItems(work_item)
        env = self.addCommonJobEnvVars(dict(os.environ), work_item)
        command = self.expandCommandTokens(work_item.command, work_item)
        code = subprocess.call(command, shell=True, env=env, cwd=self.workingDir(True),
                               stdout=subprocess.DEVNULL)
        return pdg.scheduleResult.CookSucceeded if code == 0 else pdg.scheduleResult.CookFailed


def registerTypes(type_registry):
    type_registry.registerScheduler(RushLikeScheduler, label="Rush-like")
