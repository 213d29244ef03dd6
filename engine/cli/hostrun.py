"""Running the cook host from a plain Python caller (the CLI, tests, benchmarks).

Reads its NDJSON events on a thread, enforces the timeout, and makes sure neither the
host nor any job it started outlives the call: TERM the host's process group, wait,
then KILL it, and end what is left of its session and every process carrying its cook
tag (`processes.COOK_TAG` in the environment: jobs that detached, then lost the host).
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import threading
import time
from typing import Any, Callable, Optional

from ..cook.events import CookFinished, Event, WireError, from_json
from ..hostclient import host_env
from ..processes import become_subreaper, end_session

GRACE_S = 3.0


class HostRun:
    """One cook host process and the events it sent."""

    def __init__(self, cmd: list[str], on_event: Optional[Callable[[Event], None]] = None,
                 on_raw: Optional[Callable[[str], None]] = None):
        become_subreaper()
        self.on_event, self.on_raw = on_event, on_raw
        self.events: list[Event] = []
        self.bad_lines: list[str] = []
        self.summary: Optional[dict[str, Any]] = None
        self.tag = secrets.token_hex(8)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     env=host_env(self.tag), text=True, encoding="utf-8",
                                     errors="replace")
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

    def wait(self, timeout: Optional[float] = None) -> Optional[str]:
        """Wait for the end; on timeout, stop the host. Returns "timeout" if it had to."""
        deadline = None if timeout is None else time.monotonic() + timeout + GRACE_S
        outcome = None
        while not self._done.wait(0.1):
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
        end_session(self.proc.pid, tag=self.tag)  # jobs left behind by a host that was killed
        self._reader.join(5)
        if self.proc.stdout:
            self.proc.stdout.close()

    @property
    def returncode(self) -> Optional[int]:
        return self.proc.returncode
