"""Running the cook host from a plain Python caller (the CLI, tests, benchmarks).

Reads its NDJSON events on a thread, enforces the timeout, and makes sure neither the
host nor any job it started outlives the call: TERM the host's process group, wait,
then KILL it, and end what is left of its session and every process carrying its cook
tag (`processes.COOK_TAG` in the environment: jobs that detached, then lost the host),
and every process that re-attached to the caller since the host started (a job that
cleaned its environment and left the session still lands on the subreaper).
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Iterable, Optional

from ..cook.events import CookFinished, Event, WireError, from_json
import psutil

from ..processes import COOK_TAG, PARENT_PID_ENV, adopted_since, become_subreaper, end_session

GRACE_S = 3.0


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


def _start_time(pid: int) -> float:
    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return psutil.boot_time()  # gone already (it can only be reaped by us): any


class HostRun:
    """One cook host process and the events it sent.

    The host dies with the thread that made this object (``PR_SET_PDEATHSIG``): make
    it on a thread that outlives the cook (the CLI's main thread)."""

    def __init__(self, cmd: list[str], on_event: Optional[Callable[[Event], None]] = None,
                 on_raw: Optional[Callable[[str], None]] = None):
        become_subreaper()
        self.on_event, self.on_raw = on_event, on_raw
        self.events: list[Event] = []
        self.bad_lines: list[str] = []
        self.summary: Optional[dict[str, Any]] = None
        self.tag = secrets.token_hex(8)
        self._stop_requested = threading.Event()
        self._known = {child.pid for child in psutil.Process().children(recursive=True)}
        env = host_env(self.tag)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     env=env, text=True, encoding="utf-8", errors="replace")
        self._started = _start_time(self.proc.pid)  # psutil's clock: compared with its own
        self._done = threading.Event()
        self._reader = threading.Thread(target=self._read, name="cookhost-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if not line:
                continue
            if self.on_raw:
                self.on_raw(line)
            try:
                event = from_json(line)
            except WireError:
                self.bad_lines.append(line[:200])
                continue
            self.events.append(event)
            if isinstance(event, CookFinished):
                self.summary = event.summary
            if self.on_event:
                self.on_event(event)
        self._done.set()

    def request_stop(self) -> None:
        """Have `wait` stop the host (safe from a signal handler or another thread)."""
        self._stop_requested.set()

    def wait(self, timeout: Optional[float] = None) -> Optional[str]:
        """Wait for the end; on timeout or `request_stop`, stop the host. Returns
        "timeout" or "cancelled" if it had to."""
        deadline = None if timeout is None else time.monotonic() + timeout + GRACE_S
        outcome = None
        while not self._done.wait(0.1):
            if self._stop_requested.is_set():
                outcome = "cancelled"
                self.stop()
                break
            if deadline is not None and time.monotonic() >= deadline:
                outcome = "timeout"
                self.stop()
                break
        self._finish()
        return outcome

    def stop(self, grace_s: float = GRACE_S) -> None:
        """Ask the host to cancel (TERM), then kill its whole group.

        The TERM goes to the host alone: it cancels through the scheduler, which ends
        its jobs and reports them cancelled. Jobs signalled directly would die first
        and be reported as failures."""
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
        self._finish()

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            try:
                self.proc.send_signal(sig)
            except ProcessLookupError:
                pass

    def _finish(self) -> None:
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.proc.wait()
        # jobs left behind by a host that was killed: its session, its tag, and those
        # that re-attached to us (we are a subreaper) whatever session or environment
        end_session(self.proc.pid, tag=self.tag,
                    also=adopted_since(self._started, self._known | {self.proc.pid}))
        self._reader.join(5)
        if self.proc.stdout:
            self.proc.stdout.close()

    @property
    def returncode(self) -> Optional[int]:
        return self.proc.returncode
