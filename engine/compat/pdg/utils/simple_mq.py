"""``pdg.utils.simple_mq``: names import; using them is not emulated."""
from engine.runtime import NotAvailableError


class MQUtility:
    def __init__(self, *args, **kwargs):
        raise NotAvailableError("pdg.utils.simple_mq.MQUtility")


class SimpleMQSchedulerMixin:
    def __init__(self, *args, **kwargs):
        pass
