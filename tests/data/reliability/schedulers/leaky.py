"""A scheduler whose callbacks leave threads running that never end: a plain thread
(not a daemon) and a thread pool's worker, both started in onSchedule. Each item is
finished inline (CookSucceeded); the cook itself is fine, but Python would wait for
those threads forever when the process exits."""
import concurrent.futures
import threading

import pdg
from pdg.scheduler import PyScheduler

FOREVER = threading.Event()


class Leaky(PyScheduler):
    @classmethod
    def templateName(cls):
        return "leaky"

    def onStart(self):
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        return True

    def onSchedule(self, work_item):
        threading.Thread(target=FOREVER.wait, name="leaked-%d" % work_item.id).start()
        self.pool.submit(FOREVER.wait)
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Leaky, label="Leaky")
