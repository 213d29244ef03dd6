"""A scheduler for cook-host tests: starts job processes, then hangs in onSchedule.

Each offered item starts two processes whose command line carries the ``marker``
parameter: an ordinary child, and one that detaches (its own session, double fork),
as careless farm wrappers do; their pids go to ``hang-pids.txt`` in the working
directory. Then onSchedule never returns. Nothing may outlive the cook host.
"""
import json
import os
import subprocess
import sys

import pdg
from pdg.scheduler import PyScheduler

SLEEPER = "import sys, time; time.sleep(120)"
DETACHER = ("import subprocess, sys; print(subprocess.Popen([sys.executable, '-c', %r, "
            "sys.argv[1]], start_new_session=True, stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL).pid)" % SLEEPER)


class Hang(PyScheduler):
    @classmethod
    def templateName(cls):
        return "hang"

    @classmethod
    def templateBody(cls):
        return json.dumps({"name": "hang", "parameters": [
            {"name": "marker", "label": "Marker", "type": "String", "size": 1, "value": ""},
            {"name": "hang_in", "label": "Hang In", "type": "String", "size": 1,
             "value": "onSchedule"},
        ]})

    def onSchedule(self, work_item):
        marker = self["marker"].evaluateString()
        child = subprocess.Popen([sys.executable, "-c", SLEEPER, marker])
        detached = subprocess.run([sys.executable, "-c", DETACHER, marker], check=True,
                                  capture_output=True, text=True).stdout.strip()
        with open(os.path.join(self.workingDir(True), "hang-pids.txt"), "w") as pids:
            pids.write("%d %s\n" % (child.pid, detached))
        if self["hang_in"].evaluateString() == "onSchedule":
            while True:
                pass
        return pdg.scheduleResult.Succeeded

    def onStopCook(self, cancel):
        if self["hang_in"].evaluateString() == "onStopCook":
            while True:
                pass
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(Hang, label="Hang (tests)")
