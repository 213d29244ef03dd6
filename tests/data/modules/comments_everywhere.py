# comment before anything
import pdg  # trailing comment on an import
# comment between imports
from pdg.scheduler import PyScheduler

# comment before the class


class Commented(PyScheduler):  # comment on the class line
    # comment as the first thing in the class

    @classmethod  # comment on a decorator
    # comment between decorator and def
    def templateName(cls):
        # comment inside templateName
        return "commented"

    def onSchedule(self, work_item):  # comment on the def line
        # leading comment

        x = 1  # trailing comment

        # comment at body level after code
    # comment at class level between methods
    def onTick(self):
        return pdg.tickResult.SchedulerReady
            # an over-indented comment
# a column-0 comment inside the class
    def onStop(self):
        # nothing but comments
        # in this body
        pass

    # last comment in the class
# comment after the class


def registerTypes(type_registry):  # comment on registerTypes
    type_registry.registerScheduler(Commented, label="Commented")
# comment at the end of the file
