"""How to start the cook host (`python -m scheduler_studio.engine.cookhost`): its command line and its
environment, for every client that runs one (the CLI, the GUI, tests, benchmarks)."""
from __future__ import annotations

import os
import sys
from typing import Any, Optional

from .cook.options import CookOptions, cook_option_values, option_argv
from .processes import COOK_TAG, PARENT_PID_ENV


def host_command(module: str, graph: str, options: Optional[CookOptions] = None,
                 **values: Any) -> list[str]:
    """The cook host's command line: `options` (a `CookOptions`) and `values` (names of
    `cook.options.HOST_OPTIONS`, which win) written as that table says. Among them:
    `source`, the file `module` was rendered from (its package and stand-ins folder
    count); `standins`, more stand-in folders; `stubs`, modules given recording stand-ins
    ("*": every missing import); `scratch`, the CLI's own folder for the cook;
    `callboard`, where the host says which callback runs."""
    given = cook_option_values(options) if options is not None else {}
    given.update(values, graph=graph)
    # -P: the working folder (a user's own engine/ or scheduler_studio/) cannot shadow ours
    return [sys.executable, "-P", "-m", "scheduler_studio.engine.cookhost",
            os.path.abspath(module), *option_argv(given)]


def host_env(tag: str = "") -> dict[str, str]:
    """The cook host's environment; `tag` marks it and every process it starts
    (`processes.COOK_TAG`), so they can be found even if the host is killed.

    ``PYTHONPATH`` stays the caller's: the host finds our package where this Python
    does, and the jobs it starts (hython, farm jobs) get none of our folders."""
    env = dict(os.environ)
    if tag:
        env[COOK_TAG] = tag
    env[PARENT_PID_ENV] = str(os.getpid())  # the host (and its jobs) die with its caller
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env
