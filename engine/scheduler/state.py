"""Per-instance runtime state: what a `PyScheduler` object is attached to.

In Houdini the first argument of ``PyScheduler.__init__`` is the C++ scheduler; here it
is a `SchedulerState`, which holds parameters, directories, shared servers and the cook
currently running (if any). The base class delegates to it so user subclasses keep all
the attribute names free.
"""
from __future__ import annotations

import itertools
import os
from collections import deque
from typing import Any, Optional

from .params import ParameterSet

LATE_REPORTS_KEPT = 100


class SchedulerState:
    def __init__(self, type_name: str = "pythonscheduler", module_file: str = "") -> None:
        self.type_name = type_name
        self.module_file = module_file
        self.params = ParameterSet()
        self.notes: list[str] = []      # how the module loaded, for the cook summary
        self.dir_overrides: dict[str, tuple[str, str]] = {}
        self.shared_servers: dict[str, dict] = {}
        self.result_server: Any = None
        self.result_server_addr_override: Optional[str] = None
        self.result_server_auth = True  # False: reports without the secret pass (cook option)
        self.loop: Any = None          # the CookLoop while a cook runs
        self.temp_id = str(os.getpid())
        # reports made when no cook is running: never applied (there is nothing to apply
        # them to), the last few kept to tell; bounded, as a job thread left behind by
        # an earlier cook may go on reporting for the whole session
        self.reports_outside_a_cook: deque = deque(maxlen=LATE_REPORTS_KEPT)
        self.job_dirs_made: set[str] = set()
        self.item_ids = itertools.count(1)  # work item ids, unique over all its cooks

    @property
    def cooking(self) -> bool:
        return self.loop is not None

    def post(self, report) -> None:
        loop = self.loop
        if loop is None:
            self.reports_outside_a_cook.append(report)
        else:
            loop.post(report)
