"""``pdg.job.mqrelay``: message-queue relay. Imports work; use is not emulated."""
from scheduler_studio.engine.runtime import NotAvailableError


class MQRelay:
    def __init__(self, *args, **kwargs):
        raise NotAvailableError("pdg.job.mqrelay.MQRelay")
