"""A LocalScheduler subclass (test data), as studios extend SideFX's local scheduler:
SideFX's folder on sys.path, ``from local import LocalScheduler``, one hook rewritten."""
import os
import sys

sys.path.append(os.path.expandvars("$HFS/houdini/pdg/types/schedulers"))
from local import LocalScheduler  # noqa: E402


class StudioLocalScheduler(LocalScheduler):
    def onPreSubmitItem(self, work_item, job_env, item_command):
        job_env["STUDIO_SHOW"] = "testshow"
        self._verboseLog("submitting " + work_item.name)
        return item_command


def registerTypes(type_registry):
    type_registry.registerScheduler(StudioLocalScheduler, label="Studio local",
                                    name="studiolocal")
