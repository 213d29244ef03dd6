"""Two schedulers in one file; registerTypes picks the second."""
import pdg
from pdg.scheduler import PyScheduler


class BrokenDraft(PyScheduler):
    """An older attempt that was never registered."""

    def onSchedule(self, work_item):
        return pdg.scheduleResult.Failed


class QueueScheduler(PyScheduler):
    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)

    @classmethod
    def templateName(cls):
        return "queue"

    @classmethod
    def templateBody(cls):
        return '{"name": "queue", "parameters": [{"name": "pdg_workingdir", "label": "Working Directory", "type": "String", "size": 1, "value": "/tmp/queue"}, {"name": "q_ratio", "label": "Ratio", "type": "Float", "size": 1, "value": 0.25}]}'

    def onSchedule(self, work_item):
        Helper.note(work_item)
        return pdg.scheduleResult.CookSucceeded

    def transferFile(self, file_path):
        # the alias of onTransferFile: must come back under this name
        return True


class Helper(object):
    seen = []

    @classmethod
    def note(cls, work_item):
        cls.seen.append(work_item.name)


def registerTypes(type_registry):
    type_registry.registerScheduler(QueueScheduler, label="Queue")


if __name__ == "__main__":
    print("not run inside Houdini")
