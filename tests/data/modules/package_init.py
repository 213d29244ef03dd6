# A package's __init__.py: relative imports, __all__ and a richer
# registerTypes that registers with extra keywords.
from __future__ import annotations

from . import helpers
from .helpers import submit as _submit
import pdg
from pdg.scheduler import PyScheduler, evaluateParamOr

__all__ = ["PackagedScheduler", "registerTypes"]


class PackagedScheduler(PyScheduler):
    @classmethod
    def templateName(cls):
        return "packaged"

    @classmethod
    def templateBody(cls):
        return json.dumps({"name": cls.templateName(), "parameters": []})

    def onSchedule(self, work_item):
        retries = evaluateParamOr(self, "retries", 3)
        _submit(helpers.command(work_item), retries)
        return pdg.scheduleResult.Succeeded

    def onAcceptWorkItem(self, work_item):
        return pdg.acceptResult.Accept


import json  # imported late on purpose


def registerTypes(type_registry):
    type_registry.registerScheduler(PackagedScheduler, label="Packaged",
                                    name="packaged")
