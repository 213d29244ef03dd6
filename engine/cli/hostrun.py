"""Running the cook host from a plain Python caller (the CLI, tests, benchmarks).

Reads its NDJSON events on a thread, enforces the timeout, and makes sure neither the
host nor any job it started outlives the call. The framing, the line cap and the stop
policy (TERM the host, wait, KILL its process group, end what is left) are
`scheduler_studio.engine.hoststream`'s, the window's client's too; here they are carried
out with blocking waits. What is left: its session, every process carrying its cook tag
(`processes.COOK_TAG` in the environment: jobs that detached, then lost the host), and
every process that re-attached to the caller since the host started (a job that cleaned
its environment and left the session still lands on the subreaper).
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
from ..hoststream import (CANCELLED, CHUNK_BYTES, END_LEFTOVERS, EXIT_WAIT_S, GRACE_S,
                          HOST_RUN_MAX_LINE_BYTES, KILL_GROUP, TERMINATE, TIMEOUT, WAIT,
                          LineFramer, Step, StopPolicy)
from ..processes import adopted_since, become_subreaper, end_session

__all__ = ["HostRun"]


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
        self.policy = StopPolicy()
        self._policy_lock = threading.Lock()  # stop() may come from another thread
        self._stop_requested = threading.Event()
        self._known = {child.pid for child in psutil.Process().children(recursive=True)}
        env = host_env(self.tag)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL if stdin is None else stdin,
                                     pass_fds=pass_fds, env=env, text=True, encoding="utf-8",
                                     errors="replace")  # stdout is read as bytes (_read)
        self._started = _start_time(self.proc.pid)  # psutil's clock: compared with its own
        self._done = threading.Event()
        self._reader = threading.Thread(target=self._read, name="cookhost-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        framer = LineFramer(HOST_RUN_MAX_LINE_BYTES)
        fd = self.proc.stdout.fileno()  # its bytes as they come, not the text wrapper's
        try:
            while True:
                data = os.read(fd, CHUNK_BYTES)
                lines = framer.feed(data) if data else framer.close()
                for line in lines:
                    self._take(line.decode("utf-8", "replace"))
                if framer.dropped:
                    self.bad_lines += [f"[a line over {framer.max_line_bytes} bytes "
                                       "dropped]"] * framer.dropped
                    framer.dropped = 0
                if not data:
                    break
        except OSError:  # closed under us (the caller gave up on the host)
            pass
        self._done.set()

    def _take(self, line: str) -> None:
        if self.on_raw:
            self.on_raw(line)
        try:
            event = from_json(line)
        except WireError:
            self.bad_lines.append(line[:200])
            return
        self.events.append(event)
        if isinstance(event, CookFinished):
            self.summary = event.summary
        if self.on_event:
            self.on_event(event)

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
                outcome = CANCELLED
                self.stop()
                break
            if deadline is not None and time.monotonic() >= deadline:
                outcome = TIMEOUT
                self.stop()
                break
        self._finish()
        return outcome

    def stop(self, grace_s: float = GRACE_S) -> None:
        """Ask the host to cancel (TERM, to the host alone: it cancels through the
        scheduler), then kill its whole group if it is still there after `grace_s`."""
        if self.proc.poll() is None:
            with self._policy_lock:
                self.policy.grace_s = grace_s
                steps = self.policy.cancel()
            self._carry_out(steps)
        self._finish()

    @property
    def outcome(self) -> Optional[str]:
        """How the run ended (`hoststream.OUTCOMES`), once `wait` or `stop` returned."""
        return self.policy.outcome

    def _carry_out(self, steps: list[Step]) -> None:
        for step in steps:
            if step.kind == TERMINATE:
                try:
                    self.proc.send_signal(signal.SIGTERM)
                except ProcessLookupError:
                    pass
            elif step.kind == WAIT:
                try:
                    self.proc.wait(step.seconds)
                except subprocess.TimeoutExpired:
                    with self._policy_lock:
                        more = self.policy.grace_over()
                    self._carry_out(more)
            elif step.kind == KILL_GROUP:
                self._signal_group(signal.SIGKILL)
            elif step.kind == END_LEFTOVERS:
                # jobs left behind by a host that was killed: its session, its tag, and
                # those that re-attached to us (we are a subreaper) whatever session or
                # environment
                end_session(self.proc.pid, tag=self.tag,
                            also=adopted_since(self._started, self._known | {self.proc.pid}))

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
            self.proc.wait(EXIT_WAIT_S)
        except subprocess.TimeoutExpired:
            with self._policy_lock:
                steps = self.policy.abort()
            self._carry_out(steps)
            self.proc.wait()
        with self._policy_lock:
            steps = self.policy.host_exited(crashed=self.proc.returncode < 0)
        # every call ends what is left: a job may re-attach to us after the first one
        self._carry_out(steps or [Step(END_LEFTOVERS)])
        self._reader.join(5)
        if self.proc.stdout:
            self.proc.stdout.close()

    @property
    def returncode(self) -> Optional[int]:
        return self.proc.returncode
