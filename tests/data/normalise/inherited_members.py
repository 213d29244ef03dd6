# Studio farm schedulers: a base class builds the parameters in code,
# the registered scheduler adds only its own scheduling.

import json

import pdg
from pdg.scheduler import PyScheduler

QUEUE_PARMS = [{"name": n, "label": n.capitalize(), "type": "String", "size": 1,
                "value": v} for n, v in (("pool", "render"), ("group", "all"))]


class _StudioBase(PyScheduler):
	def __init__(self, scheduler, name):
		PyScheduler.__init__(self, scheduler, name)
		self.submitted = []

	@classmethod
	def templateName(cls):
		return "studiobase"

	@classmethod
	def templateBody(cls):
		return json.dumps({"name": cls.templateName(), "parameters": QUEUE_PARMS})


class ShotScheduler(_StudioBase):
	def onSchedule(self, work_item):
		self.submitted.append((self["pool"].evaluateString(), work_item.name))
		if work_item.index % 7 == 3:
			self.onWorkItemFailed(work_item.id, -1)
		else:
			self.onWorkItemSucceeded(work_item.id, -1, 0.0)
		return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
	type_registry.registerScheduler(ShotScheduler, label="Shots")
