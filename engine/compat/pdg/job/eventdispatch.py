"""``pdg.job.eventdispatch``: event forwarding to a farm (a marker here)."""


class EventDispatchMixin:
    def __init__(self, *args, **kwargs):
        pass

    def dispatchEvent(self, *args, **kwargs):
        return None
