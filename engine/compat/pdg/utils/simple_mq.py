"""``pdg.utils.simple_mq``: the message-queue polling of farm schedulers.

In Houdini a polling client relays job reports through a message queue. In the test
cook jobs report straight to the scheduler's result server, so the polling members
exist, answer that the client is running, and relay nothing.
"""
import os
import shutil

from scheduler_studio.engine.runtime import JOB_HELPER, NotAvailableError


class MQUtility:
    def __init__(self, *args, **kwargs):
        raise NotAvailableError("pdg.utils.simple_mq.MQUtility")


class _MQInfo:
    """``self.mqinfo``: where the (absent) message queue listens."""

    def __init__(self):
        self.mq_host = "127.0.0.1"
        self.mq_httpport = 0
        self.mq_port = 0
        self.client_id = ""


class SimpleMQSchedulerMixin:
    def __init__(self, *args, **kwargs):
        self.mqinfo = _MQInfo()

    def __getattr__(self, name):
        if name == "mqinfo":  # a scheduler that never called our __init__
            value = _MQInfo()
            object.__setattr__(self, "mqinfo", value)
            return value
        raise AttributeError(name)

    def startPollingClient(self, *args, **kwargs):
        self._mq_polling = True
        return True

    def checkPollingClient(self, *args, **kwargs):
        """True: the (emulated) client is alive, as reports need no relay here."""
        return True

    def stopPollingClient(self, *args, **kwargs):
        self._mq_polling = False
        return True

    def _copyJobSupportFiles(self, *args, **kwargs):
        """Copy the job helper (pdgcmd.py) into the script folder, as jobs expect."""
        scripts = self.scriptDir(True)
        os.makedirs(scripts, exist_ok=True)
        target = os.path.join(scripts, "pdgcmd.py")
        if not os.path.exists(target):
            shutil.copyfile(JOB_HELPER, target)
        return True
