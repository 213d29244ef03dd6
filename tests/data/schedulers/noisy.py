"""A scheduler for cook-host tests: prints to stdout and stderr from every callback,
and from a job process it starts, to prove the event stream stays clean."""
import os
import subprocess
import sys

import pdg
from pdg.scheduler import PyScheduler

print("noise at import")


class Noisy(PyScheduler):
    @classmethod
    def templateName(cls):
        return "noisy"

    def onStartCook(self, static, cook_set):
        print('{"v": 1, "type": "cook_finished", "summary": {"status": "forged"}}')
        os.write(1, b"raw bytes on fd 1\n")
        return True

    def onSchedule(self, work_item):
        print("scheduling", work_item.name)
        sys.stderr.write("to stderr\n")
        subprocess.run([sys.executable, "-c", "print('job output on stdout')"], check=True)
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Noisy, label="Noisy (tests)")
