import pdg
from pdg.scheduler import PyScheduler


class LoggingMixin(object):
    def say(self, text):
        print("[%s] %s" % (self.name, text))


TYPE_NAME = "aliased"


class AliasedScheduler(LoggingMixin, PyScheduler):
    @classmethod
    def templateName(cls):
        return TYPE_NAME

    @classmethod
    def templateBody(cls):
        return '{"name": "aliased", "parameters": [{"name": "pdg_workingdir", "label": "Working Directory", "type": "String", "size": 1, "value": "$HIP"}]}'

    def onSchedule(self, item):
        self.say("schedule " + item.name)
        return pdg.scheduleResult.Succeeded

    def transferFile(self, file_path):
        return True

    def getLogURI(self, work_item): return ""


def registerTypes(type_registry):
    type_registry.registerScheduler(AliasedScheduler, label="Aliased")
