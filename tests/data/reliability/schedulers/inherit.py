"""A naive scheduler, as many hand-written ones are: each item's command runs on a
thread with the cook host's own stdout/stderr (no log file), and the exit code is
reported. What the jobs print reaches whoever reads the host's output."""
import shlex
import subprocess
import threading

import pdg
from pdg.scheduler import PyScheduler


class Inherit(PyScheduler):
    @classmethod
    def templateName(cls):
        return "inherit"

    def onSchedule(self, work_item):
        command = self.expandCommandTokens(work_item.command, work_item)
        env = self.addCommonJobEnvVars({}, work_item)
        threading.Thread(target=self._run, args=(work_item.id, command, env),
                         daemon=True).start()
        return pdg.scheduleResult.Succeeded

    def _run(self, item_id, command, env):
        import os
        self.onWorkItemStartCook(item_id, -1)
        code = subprocess.call(shlex.split(command), env=dict(os.environ, **env),
                               stdin=subprocess.DEVNULL)
        if code == 0:
            self.onWorkItemSucceeded(item_id, -1, 0.0)
        else:
            self.onWorkItemFailed(item_id, -1)


def registerTypes(type_registry):
    type_registry.registerScheduler(Inherit, label="Inherit")
