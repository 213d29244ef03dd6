"""Tabs for indentation, one-line methods and a derived base class."""
import pdg
from pdg import scheduler

TYPE_NAME = "tabbed"


class Base(scheduler.PyScheduler):
	def shared(self):
		return 1


class TabbedScheduler(Base):
	"""Tab \t escapes\n and a backslash \\ in the docstring."""
	@classmethod
	def templateName(cls):
		return TYPE_NAME

	def onStart(self): return True
	def onStop(self):
		# only a comment
		pass  # no code yet
	def onSchedule(self, work_item):
		if work_item.index % 2:
			return pdg.scheduleResult.Failed
		value = (1 +
  2)
		return pdg.scheduleResult.CookSucceeded
	def getLogURI(self, work_item):
		x = 1; y = 2
		return "%d%d" % (x, y)


def registerTypes(type_registry):
	type_registry.registerScheduler(TabbedScheduler)
