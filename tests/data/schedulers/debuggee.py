"""A scheduler for debugger tests: a stop in each kind of callback, a helper method
between them, and comments (BP-...) that name the lines the tests stop at.

``raise_index`` makes onSchedule raise for that item; ``spawn`` makes onSchedule start a
process that sleeps (its pid written to ``spawned-pids.txt`` in the working folder), so a
test can see a cancel end it.
"""
import json
import os
import subprocess
import sys

import pdg
from pdg.scheduler import PyScheduler


class Debuggee(PyScheduler):
    @classmethod
    def templateName(cls):
        return "debuggee"

    @classmethod
    def templateBody(cls):
        return json.dumps({"name": "debuggee", "parameters": [
            {"name": "colour", "label": "Colour", "type": "String", "size": 1,
             "value": "teal"},
            {"name": "raise_index", "label": "Raise Index", "type": "Integer", "size": 1,
             "value": -1},
            {"name": "spawn", "label": "Spawn", "type": "Integer", "size": 1, "value": 0},
        ]})

    def onStartCook(self, static, cook_set):
        self.seen = []  # BP-START
        return True

    def onTick(self):
        ticks = len(self.seen)  # BP-TICK
        return pdg.tickResult.SchedulerReady if ticks >= 0 else None

    def onSchedule(self, work_item):
        label = self._label(work_item)  # BP-SCHEDULE
        self.seen.append(label)  # BP-AFTER-HELPER
        if self["spawn"].evaluateInt():
            self._spawn()
        if work_item.index == self["raise_index"].evaluateInt():
            raise RuntimeError("farm unreachable for " + work_item.name)  # BP-RAISE
        return pdg.scheduleResult.CookSucceeded  # BP-RETURN

    def _label(self, work_item):
        prefix = "item"  # BP-HELPER
        return prefix + ":" + work_item.name  # BP-HELPER-RETURN

    def _spawn(self):
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        path = os.path.join(self.workingDir(True), "spawned-pids.txt")
        with open(path, "a") as handle:
            handle.write(f"{proc.pid}\n")


def registerTypes(type_registry):
    type_registry.registerScheduler(Debuggee, label="Debuggee (tests)")
