"""How to start the cook host (`python -m scheduler_studio.engine.cookhost`): its command line and its
environment, for every client that runs one (the CLI, the GUI, tests, benchmarks)."""
from __future__ import annotations

import os
import sys
from typing import Iterable, Optional

from .processes import COOK_TAG, PARENT_PID_ENV


def host_command(module: str, graph: str, *, static: bool = False,
                 workdir: Optional[str] = None, timeout: Optional[float] = None,
                 tick_period: Optional[float] = None, max_items: Optional[int] = None,
                 parms: Optional[dict[str, str]] = None, type_name: Optional[str] = None,
                 source: Optional[str] = None, standins: Iterable[str] = (),
                 stubs: Iterable[str] = (), parms_file: Optional[str] = None,
                 result_server_auth: bool = True, scratch: Optional[str] = None,
                 callboard: Optional[str] = None) -> list[str]:
    """The cook host's command line. `source`: the file `module` was rendered from (its
    package and stand-ins folder count); `standins`: more stand-in folders; `stubs`:
    modules given recording stand-ins ("*": every missing import); `scratch`: the
    CLI's own folder for the cook; `callboard`: where the host says which callback runs."""
    # -P: the working folder (a user's own engine/ or scheduler_studio/) cannot shadow ours
    cmd = [sys.executable, "-P", "-m", "scheduler_studio.engine.cookhost",
           os.path.abspath(module), "--graph", graph]
    if source:
        cmd += ["--source", os.path.abspath(source)]
    for folder in standins:
        cmd += ["--standins", os.path.abspath(folder)]
    for name in stubs:
        cmd += ["--stub", name]
    if parms_file:
        cmd += ["--parms-file", os.path.abspath(parms_file)]
    if not result_server_auth:
        cmd += ["--result-server-auth", "off"]
    if static:
        cmd.append("--static")
    for flag, value in (("--workdir", workdir), ("--timeout", timeout),
                        ("--tick-period", tick_period), ("--max-items", max_items),
                        ("--type", type_name), ("--scratch", scratch),
                        ("--callboard", callboard)):
        if value is not None:
            cmd += [flag, str(value)]
    for name, value in (parms or {}).items():
        cmd += ["--parm", f"{name}={value}"]
    return cmd


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
