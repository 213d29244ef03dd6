"""What every client of a child that speaks NDJSON needs, without Qt or threads: cutting
its byte stream into lines (with a cap on one line), and the cook host's stop policy.

The cook host has two clients, `scheduler_studio.engine.cli.hostrun` (a thread, for the
CLI, tests and benchmarks) and `scheduler_studio.gui.cook.host_process` (a QProcess, for
the window); the window's checker (`gui.window.lint_worker`) frames its answers the same
way. They read and wait in their own way; what a line is, how long one may be, when to
terminate, when to kill and what the end is called is decided here, once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

MAX_LINE_BYTES = 4 << 20   # an event line longer than this is dropped, never buffered
# HostRun's cap: the summary (one line) lists every output file, tens of MB for a cook of
# `model.graph.MAX_ITEMS` items, and the CLI must not lose it; the window keeps the
# tighter cap above (it is an interactive process, the CLI one cook's)
HOST_RUN_MAX_LINE_BYTES = 256 << 20
CHUNK_BYTES = 1 << 16      # bytes a client reads from the pipe at a time
GRACE_S = 3.0              # terminate → this long → kill the host's process group
EXIT_WAIT_S = 5.0          # the stream ended: this long for the host to exit, then kill

# How a cook host's run ended (CookHostProcess.sig_finished, HostRun.outcome)
EXITED = "exited"                     # it ended on its own (any exit code)
CANCELLED = "cancelled"               # it ended after it was asked to (terminate)
KILLED = "killed"                     # it had to be killed
CRASHED = "crashed"                   # it died of a signal nobody sent it
FAILED_TO_START = "failed_to_start"   # it never ran
OUTCOMES = (EXITED, CANCELLED, KILLED, CRASHED, FAILED_TO_START)
TIMEOUT = "timeout"                   # why HostRun stopped a host: its time was up


class LineFramer:
    """Bytes in, complete lines out, whatever the chunks: ``\\n`` ends a line (a ``\\r``
    before it is dropped), blank lines are skipped, a line of more than `max_line_bytes`
    is dropped as it arrives (never held: a flood cannot fill memory) and counted in
    `dropped`; `close` gives a last line that had no newline."""

    def __init__(self, max_line_bytes: int = MAX_LINE_BYTES):
        self.max_line_bytes = max_line_bytes
        self.dropped = 0
        self._parts: list[bytes] = []   # the unfinished line, in pieces (no re-copying)
        self._size = 0
        self._dropping = False          # inside an over-long line, until its newline

    def feed(self, data: bytes) -> list[bytes]:
        """The lines `data` completes, in order."""
        if not data:
            return []
        first_end = data.find(b"\n")
        if first_end < 0:
            self._hold(data)
            return []
        lines = data[first_end + 1:].split(b"\n")
        rest = lines.pop()
        if self._dropping:
            self._dropping = False      # its newline: the tail of the over-long line
        else:
            head = data[:first_end]
            if self._parts:
                head = b"".join(self._parts) + head
                self._parts, self._size = [], 0
            lines.insert(0, head)
        if rest:
            self._hold(rest)
        return self._clean(lines, b"\r" in data or bool(lines) and lines[0].endswith(b"\r"))

    def close(self) -> list[bytes]:
        """The end of the stream: the last line if it had no newline (then reset)."""
        last = [b"".join(self._parts)] if self._parts and not self._dropping else []
        self._parts, self._size, self._dropping = [], 0, False
        return self._clean(last)

    def pending_bytes(self) -> int:
        """Bytes of an unfinished line held."""
        return self._size

    def _hold(self, data: bytes) -> None:
        if self._dropping:
            return
        self._parts.append(data)
        self._size += len(data)
        if self._size > self.max_line_bytes:
            self._parts, self._size, self._dropping = [], 0, True
            self.dropped += 1

    def _clean(self, lines: list[bytes], carriage_returns: bool = True) -> list[bytes]:
        """`lines` without the over-long and blank ones, a final CR taken off (whole
        lists at a time: one event a line, hundreds of thousands a cook)."""
        cap = self.max_line_bytes
        if lines and max(map(len, lines)) > cap:
            kept = [line for line in lines if len(line) <= cap]
            self.dropped += len(lines) - len(kept)
            lines = kept
        if carriage_returns:
            lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
        return [line for line in lines if line.strip()]


# -- stopping ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One thing a client does to its host. ``kind`` is one of TERMINATE (SIGTERM to the
    host alone: it cancels through the scheduler, which ends its jobs and reports them
    cancelled; jobs signalled directly would die first and count as failures), WAIT
    (`seconds`, then call `StopPolicy.grace_over`, unless the host exited first),
    KILL_GROUP (SIGKILL the host's process group) and END_LEFTOVERS (the host is gone:
    end what is left of its session, its tagged jobs, those that re-attached to us)."""

    kind: str
    seconds: float = 0.0


TERMINATE, WAIT, KILL_GROUP, END_LEFTOVERS = "terminate", "wait", "kill_group", "end_leftovers"


class StopPolicy:
    """When to terminate, when to kill, and what the end is called, for one host run.

    It keeps no timer and sends no signal: each call returns the `Step` list the client
    carries out (a QTimer or a thread's wait for WAIT), so both clients stop the same way.
    """

    def __init__(self, grace_s: float = GRACE_S):
        self.grace_s = grace_s
        self.cancelled = False      # terminate was sent (or the run was aborted)
        self.killed = False         # the group was killed
        self.exited = False         # the host is gone
        self.crashed = False
        self.never_started = False

    @property
    def running(self) -> bool:
        return not (self.exited or self.never_started)

    def cancel(self) -> list[Step]:
        """Stop the host, letting it cancel first (Cancel, the CLI's timeout or a signal)."""
        if not self.running or self.cancelled:
            return []
        self.cancelled = True
        return [Step(TERMINATE), Step(WAIT, self.grace_s)]

    def grace_over(self) -> list[Step]:
        """The WAIT is over: a host that is still there is killed with its group."""
        if not self.running or self.killed:
            return []
        self.killed = True
        return [Step(KILL_GROUP)]

    def abort(self) -> list[Step]:
        """Kill at once, without a grace (the window closes; a host that closed its
        stream but does not exit)."""
        if not self.running or self.killed:
            return []
        self.cancelled = self.killed = True
        return [Step(KILL_GROUP)]

    def host_exited(self, crashed: bool = False) -> list[Step]:
        """The host process ended (`crashed`: of a signal or a crash)."""
        if not self.running:
            return []
        self.exited, self.crashed = True, crashed
        return [Step(END_LEFTOVERS)]

    def failed_to_start(self) -> list[Step]:
        self.never_started = True
        return []

    @property
    def outcome(self) -> Optional[str]:
        """One of OUTCOMES once the host is gone; None while it runs."""
        if self.never_started:
            return FAILED_TO_START
        if not self.exited:
            return None
        if self.killed:
            return KILLED
        if self.cancelled:
            return CANCELLED
        return CRASHED if self.crashed else EXITED
