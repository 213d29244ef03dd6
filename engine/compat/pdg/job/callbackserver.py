"""``pdg.job.callbackserver``: the result server mixin, and the server class behind it."""
from scheduler_studio.engine.runtime import CallbackServerMixin, NotAvailableError  # noqa: F401


class CallbackServer:
    """Houdini's XML-RPC server class. In the test cook the server is started through
    the mixin (``startCallbackServer``); one made directly is not emulated."""

    def __init__(self, *args, **kwargs):
        raise NotAvailableError("pdg.job.callbackserver.CallbackServer() (use "
                                "CallbackServerMixin.startCallbackServer)")
