import pdg
from pdg.scheduler import PyScheduler


class ClumsyScheduler(PyScheduler):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded

    def onTransferFile(self, file_path):
        return True

    def transferFile(self, file_path):
        # both spellings defined: the alias one stays an extra member
        return self.onTransferFile(file_path)

    def registerTypes(type_registry):
        # pasted into the class by mistake: never called by Houdini
        type_registry.registerScheduler(ClumsyScheduler)


def registerTypes(type_registry):
    type_registry.registerScheduler(ClumsyScheduler)
