"""``pdgutils``: PDGNet helpers. Names import; using them is not emulated."""
from scheduler_studio.engine.runtime import NotAvailableError


class PDGNetMessageType:
    TypeUnknown, TypeReply, TypeRequest = 0, 1, 2


class PDGNetMQRelay:
    def __init__(self, *args, **kwargs):
        raise NotAvailableError("pdgutils.PDGNetMQRelay")


def mqCreateMessage(*args, **kwargs):
    raise NotAvailableError("pdgutils.mqCreateMessage")


def mqGetError(*args, **kwargs):
    raise NotAvailableError("pdgutils.mqGetError")
