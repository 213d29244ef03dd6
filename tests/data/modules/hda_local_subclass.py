# An HDA-style module: no registerTypes (the HDA registers the class), and
# the scheduler derives from Houdini's own LocalScheduler.
import sys
import os

sys.path.append(os.path.expandvars("$HFS/houdini/pdg/types/schedulers"))

from local import LocalScheduler  # SideFX's local scheduler


class TweakedLocal(LocalScheduler):
	"""A LocalScheduler that logs what it schedules (tab-indented)."""

	def onSchedule(self, work_item):
		# say what we are about to do
		print("scheduling", work_item.name)
		return LocalScheduler.onSchedule(self, work_item)

	def onStartCook(self, static, cook_set):
		self.count = 0
		return LocalScheduler.onStartCook(self, static, cook_set)
