"""A scheduler for CLI tests: onSchedule raises for the second item."""
import pdg
from pdg.scheduler import PyScheduler


class Raises(PyScheduler):
    @classmethod
    def templateName(cls):
        return "raises"

    def onSchedule(self, work_item):
        if work_item.index == 1:
            raise RuntimeError("cannot reach the farm")  # RAISES-LINE
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Raises, label="Raises (tests)")
