"""Per-instance runtime state: what a `PyScheduler` object is attached to.

In Houdini the first argument of ``PyScheduler.__init__`` is the C++ scheduler; here it
is a `SchedulerState`, which holds parameters, directories, shared servers and the cook
currently running (if any). The base class delegates to it so user subclasses keep all
the attribute names free.
"""
from __future__ import annotations

import itertools
import os
from typing import Any, Optional

from .params import ParameterSet


class SchedulerState:
    def __init__(self, type_name: str = "pythonscheduler", module_file: str = "") -> None:
        self.type_name = type_name
        self.module_file = module_file
        self.params = ParameterSet()
        self.dir_overrides: dict[str, tuple[str, str]] = {}
        self.shared_servers: dict[str, dict] = {}
        self.result_server: Any = None
        self.result_server_addr_override: Optional[str] = None
        self.loop: Any = None          # the CookLoop while a cook runs
        self.temp_id = str(os.getpid())
        self.pending_reports: list = []  # reports made when no cook is running
        self.job_dirs_made: set[str] = set()
        self.item_ids = itertools.count(1)  # work item ids, unique over all its cooks

    @property
    def cooking(self) -> bool:
        return self.loop is not None

    def post(self, report) -> None:
        loop = self.loop
        if loop is None:
            self.pending_reports.append(report)
        else:
            loop.post(report)
