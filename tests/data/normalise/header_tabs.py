#!/usr/bin/env hython
# Render-queue scheduler for the layout department.
# Lives in an HDA's PythonModule, so it has no registerTypes of its own.

import time

import pdg
from pdg.scheduler import PyScheduler


# -- bookkeeping shared with the other department schedulers --------------
class SpoolMixin(object):
	"""Remembers what was spooled, and when."""

	def _spool_reset(self):
		self.spooled = {}

	def _spool(self, work_item):
		self.spooled[work_item.id] = time.time()


class LayoutQueueScheduler(SpoolMixin, PyScheduler):
	"""One spool entry per work item; every item succeeds at once."""

	def __init__(self, scheduler, name):
		PyScheduler.__init__(self, scheduler, name)
		self._spool_reset()

	def onStartCook(self, static, cook_set):
		self._spool_reset()
		return True

	def onSchedule(self, work_item):
		self._spool(work_item)
		for attempt in range(2):
			if attempt:
				self.onWorkItemSucceeded(work_item.id, -1, 0.0)
		return pdg.scheduleResult.Succeeded

	def onStopCook(self, cancel):
		return len(self.spooled) >= 0
