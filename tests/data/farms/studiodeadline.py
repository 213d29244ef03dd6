"""A subclass of SideFX's Deadline scheduler (test data): the test cook has no
tbdeadline, so this fails to load until it gets a stand-in."""
import os
import sys

sys.path.append(os.path.expandvars("$HFS/houdini/pdg/types/schedulers"))
from tbdeadline import DeadlineScheduler  # noqa: E402


class StudioDeadline(DeadlineScheduler):
    pass
