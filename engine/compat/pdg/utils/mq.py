"""``pdg.utils.mq``: message-queue support. Names import; using them is not emulated."""
from scheduler_studio.engine.runtime import NotAvailableError


class _NotEmulated:
    _what = "pdg.utils.mq"

    def __init__(self, *args, **kwargs):
        raise NotAvailableError(self._what)


class MQInfo(_NotEmulated):
    _what = "pdg.utils.mq.MQInfo"


class MQSchedulerMixin:
    """Mixin of farm schedulers that relay through a message queue; inert here."""

    def __init__(self, *args, **kwargs):
        pass


class MQState:
    Disconnected, Connecting, Connected = 0, 1, 2


class MQUsage:
    Off, Local, Farm = 0, 1, 2


class MQUtility(_NotEmulated):
    _what = "pdg.utils.mq.MQUtility"
