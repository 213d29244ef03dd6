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
import threading
import time
from typing import Any, Callable, Optional

import psutil

from ..cook.events import CookFinished, Event, WireError, from_json
from ..hostclient import host_env
from ..processes import adopted_since, become_subreaper, end_session

GRACE_S = 3.0


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
                 on_raw: Optional[Callable[[str], None]] = None, *, stdin: Any = None,
                 pass_fds: tuple[int, ...] = ()):
        """`stdin`: what the host reads (the debugger's commands; default nothing);
        `pass_fds`: descriptors the host keeps (the terminal debugger's output)."""
        become_subreaper()
        self.on_event, self.on_raw = on_event, on_raw
        self.events: list[Event] = []
        self.bad_lines: list[str] = []
        self.summary: Optional[dict[str, Any]] = None
        self.tag = secrets.token_hex(8)
        self._stop_requested = threading.Event()
        self._known = {child.pid for child in psutil.Process().children(recursive=True)}
        env = host_env(self.tag)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL if stdin is None else stdin,
                                     pass_fds=pass_fds, env=env, text=True, encoding="utf-8",
                                     errors="replace")
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
