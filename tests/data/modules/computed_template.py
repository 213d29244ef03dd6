import json

import pdg
from pdg.scheduler import PyScheduler

_PARMS = [("queue", "Queue", "String", "main"), ("limit", "Limit", "Integer", 4)]


class ComputedScheduler(PyScheduler):
    @classmethod
    def templateName(cls):
        return "computed"

    @classmethod
    def templateBody(cls):
        # built from a table: the editor must not rewrite this
        parameters = [{"name": n, "label": l, "type": t, "size": 1, "value": v}
                      for n, l, t, v in _PARMS]
        return json.dumps({"name": "computed", "parameters": parameters})

    def onSchedule(self, work_item):
        return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
    type_registry.registerScheduler(ComputedScheduler, label="Computed")
