"""The one bridge from the cook host's NDJSON stream to Qt signals.

A non-widget QObject owns the host `QProcess`, so process handling is testable without a
window; the framing, the line cap, the stop policy and the names of the outcomes are
`scheduler_studio.engine.hoststream`'s (the CLI's `HostRun` uses them too), carried out
here with QTimers. Events are read a bounded number of lines per event-loop turn (and
within a time budget that covers parsing them and handling the batch: the slots'
cost per event is learnt from the last batches), then the loop is given back: a host
that floods events cannot freeze the GUI. The host's stderr (scheduler and job prints) is forwarded in capped
batches. Stopping never blocks: terminate (the host cancels and ends its jobs) → timer →
kill the host's process group → end whatever is left in its session, and every process
carrying the host's cook tag (`scheduler_studio.engine.processes.COOK_TAG`): jobs that
left the session, then lost the host, are found by it.
"""
from __future__ import annotations

import os
import signal
import time
from collections import deque
from typing import Callable, Optional

import psutil
from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from scheduler_studio.engine import hoststream
from scheduler_studio.engine.cook.events import WireError, from_json
from scheduler_studio.engine.hoststream import (CHUNK_BYTES, END_LEFTOVERS, KILL_GROUP,
                                                MAX_LINE_BYTES, TERMINATE, WAIT,
                                                LineFramer, Step, StopPolicy)
from scheduler_studio.engine.processes import (become_subreaper, end_now, in_session,
                                               reap_adopted, tagged)
from scheduler_studio.gui.cook import turns
from scheduler_studio.gui.cook.sweeper import sweep
from scheduler_studio.gui.cook.warm_host import SpareHost, new_host_process

LINES_PER_TURN = 400          # events handled before the event loop gets a turn
TURN_BUDGET_S = 0.002         # ... or this much parsing plus handling the batch
HANDLE_GUESS_S = 0.000005     # what handling one event costs, until a batch was timed
STDERR_LINE_CHARS = 2000      # one stderr line is cut here
STDERR_BATCH_LINES = 500      # at most this many stderr lines per turn; older ones dropped
GARBAGE_PER_TURN = 50_000     # stdout lines that are not events (a job printing into the
                              # host's stream) skipped per turn: cheap, so a flood is read
                              # as fast as it comes and not left in QProcess's buffer
KILL_GRACE_MS = int(hoststream.GRACE_S * 1000)   # terminate → this long → kill
ABORT_BOUND_S = 0.5           # `abort` ends what the cook left within this (about) ...
ABORT_GRACE_S = 0.2           # ... giving each process this long after SIGTERM
SPARE_DELAY_MS = 300          # a spare host starts this long after the window is idle
_clock = time.perf_counter    # the drain's clock (tests move their own)


def _leftovers(sid: int) -> bool:
    """Whether session `sid` still has a living process or an unreaped child of ours
    (reaping those as it goes)."""
    if in_session(sid):
        return True
    zombies = []
    try:
        children = psutil.Process().children()
    except psutil.Error:
        return False
    for child in children:
        try:
            if child.pid != sid and child.status() == psutil.STATUS_ZOMBIE \
                    and os.getsid(child.pid) == sid:  # the host itself is QProcess's to reap
                zombies.append(child.pid)
        except (OSError, psutil.Error):
            pass
    reap_adopted(zombies)
    return False


class CookHostProcess(QObject):
    """Runs one cook host at a time and re-emits what it says as signals."""

    sig_started = Signal(int)
    """The host process is running (its pid, which is also its session id)."""
    sig_events = Signal(list)
    """A batch of `scheduler_studio.engine.cook.events` records, in stream order."""
    sig_output = Signal(list)
    """A batch of text lines the host printed on stderr (or sent garbled on stdout)."""
    sig_finished = Signal(str, int)
    """The host is gone and every event was delivered: (outcome, exit code). Outcome is
    "exited", "cancelled" (ended after terminate), "killed" (had to be killed),
    "crashed" or "failed_to_start" (`hoststream.OUTCOMES`)."""

    def __init__(self, parent: Optional[QObject] = None, kill_grace_ms: int = KILL_GRACE_MS):
        super().__init__(parent)
        self._proc: Optional[QProcess] = None
        self._pid = 0
        self._tag = ""
        self._pending: deque = deque()       # complete lines read but not yet handled
        self._framer = LineFramer(MAX_LINE_BYTES)
        self._drain_scheduled = False
        self._exit: Optional[tuple[int, QProcess.ExitStatus]] = None
        self._policy = StopPolicy(kill_grace_ms / 1000)
        self._end_steps: list[Step] = []     # what to do once every event was delivered
        self._sweep: Optional[QObject] = None    # the end's sweep, while it runs
        self._outcome = hoststream.EXITED
        self.events_read = 0
        self.bad_lines = 0
        self.handle_s = HANDLE_GUESS_S      # the slots' cost per event (recent batches)
        self._kill_timer = QTimer(self, singleShot=True, interval=kill_grace_ms)
        self._kill_timer.timeout.connect(self._on_kill_timeout)
        # a zero timer, not a posted call: posted calls run before due timers (a view's
        # frame, a heartbeat), so a drain re-posting itself would run turn after turn
        self._drain_timer = QTimer(self, singleShot=True, interval=0)
        self._drain_timer.timeout.connect(self._drain)
        self._spare: Optional[SpareHost] = None     # a host waiting for the next cook
        self._spare_env: Optional[Callable[[], dict]] = None
        self.warm_start = False                     # the running cook took the spare

    # -- control ---------------------------------------------------------------------------
    @property
    def pid(self) -> int:
        return self._pid

    def set_kill_grace_ms(self, ms: int) -> None:
        """How long Cancel waits for the host to stop before killing it."""
        self._kill_timer.setInterval(ms)
        self._policy.grace_s = ms / 1000

    def is_running(self) -> bool:
        """True from `start` until `sig_finished` was emitted."""
        return self._proc is not None

    def start(self, cmd: list[str], env: Optional[dict[str, str]] = None,
              keep_stdin: bool = False) -> None:
        """`keep_stdin`: the host reads commands (the debugger's) on its stdin;
        `write_command` sends them."""
        if self._proc is not None:
            raise RuntimeError("a cook host is already running")
        become_subreaper()  # jobs orphaned by a killed host re-attach to us, not init
        self._reset()
        env = dict(os.environ) if env is None else env
        taken = self._spare.take(cmd, env) if self._spare is not None else None
        if taken is not None:  # the waiting host becomes this cook's (see warm_host)
            proc, self._tag = taken
            proc.setParent(self)
        else:
            proc, self._tag = new_host_process(self, env)
        self.warm_start = taken is not None
        proc.readyReadStandardOutput.connect(self._schedule_drain)
        proc.readyReadStandardError.connect(self._on_stderr)
        proc.finished.connect(self._on_finished)
        proc.errorOccurred.connect(self._on_error)
        proc.started.connect(self._on_started)
        self._proc = proc
        if taken is None:
            proc.start(cmd[0], cmd[1:])
        else:
            self._on_started()
        if not keep_stdin:
            proc.closeWriteChannel()

    def write_command(self, line: str) -> bool:
        """Send one line to the host's stdin; False when no host is there to read it."""
        if self._proc is None or self._exit is not None:
            return False
        return self._proc.write(line.encode("utf-8")) >= 0

    def cancel(self) -> None:
        """Ask the host to cancel (SIGTERM); kill its process group if it lingers."""
        if self._proc is None or self._exit is not None:
            return
        self._carry_out(self._policy.cancel())

    def keep_warm(self, env: Optional[Callable[[], dict]]) -> None:
        """Keep a host waiting for the next cook (`warm_host`), started with `env()`,
        the environment cooks are given; None: no spare (the one waiting ends)."""
        self._spare_env = env
        if env is None:
            if self._spare is not None:
                self._spare.discard()
            return
        if self._spare is None:
            self._spare = SpareHost(self)
        if self._proc is None:
            QTimer.singleShot(SPARE_DELAY_MS, self, self._prepare_spare)

    def spare_ready(self) -> bool:
        return self._spare is not None and self._spare.is_ready()

    def _prepare_spare(self) -> None:
        if self._spare_env is not None and self._spare is not None and self._proc is None:
            self._spare.prepare(self._spare_env())

    def abort(self, bound_s: float = ABORT_BOUND_S) -> None:
        """Kill at once (window closing, panel deleted, the app quitting): the host's
        group, then, right here, what is left of its session and every process carrying
        its cook tag (jobs that detached), taking at most about `bound_s` (0: one look,
        SIGKILL without a grace). At quit the end's sweep never runs: no event loop
        delivers `finished`, and its thread dies with the interpreter. `sig_finished`
        still follows, while an event loop runs."""
        self._spare_env = None  # and no spare after this
        if self._spare is not None:
            self._spare.discard(wait=True)
        if self._proc is None:
            return
        if self._exit is None:
            self._carry_out(self._policy.abort())
        if self._pid:
            end_now(self._pid, self._tag, bound_s, min(ABORT_GRACE_S, bound_s), spare=[self._pid])

    # -- reading ---------------------------------------------------------------------------
    def _schedule_drain(self) -> None:
        if not self._drain_scheduled:
            self._drain_scheduled = True
            self._drain_timer.start(0)

    def _drain(self) -> None:
        """Handle at most LINES_PER_TURN lines, then give the event loop its turn."""
        self._drain_scheduled = False
        proc = self._proc
        if proc is None:
            return
        # the frame is full, or a refresh's (`turns`); asking room for half a drain
        # keeps the stretches short and costs little of the events/s (the bench)
        wait_ms = turns.drain_wait_ms(TURN_BUDGET_S / 2)
        if wait_ms is not None:
            self._drain_scheduled = True
            self._drain_timer.start(wait_ms)
            return
        batch, parsed, garbage = [], 0, 0
        bad: deque = deque(maxlen=STDERR_BATCH_LINES)   # the newest are the ones shown
        deadline = _clock() + TURN_BUDGET_S
        handle_s = self.handle_s
        while parsed < LINES_PER_TURN and garbage < GARBAGE_PER_TURN:
            if not self._pending and not self._fill(proc):
                break
            line = self._pending.popleft()
            if not line.startswith(b"{"):   # not an event: no parse (our events are objects)
                garbage += 1
                bad.append(line)
                if garbage % 512 == 0 and _clock() > deadline:
                    break
                continue
            parsed += 1
            try:
                batch.append(from_json(line))
            except (WireError, UnicodeDecodeError):
                garbage += 1
                bad.append(line)
            if _clock() + len(batch) * handle_s > deadline:
                break   # parsing more would leave no time to handle the batch
        self.events_read += len(batch)
        self.bad_lines += garbage
        if bad:
            shown = ["[not an event] " + line[:200].decode("utf-8", "replace") for line in bad]
            if garbage > len(shown):
                shown.insert(0, f"[{garbage - len(shown)} more lines that are not events "
                                "not shown]")
            bad = shown
        if batch:
            started = _clock()
            self.sig_events.emit(batch)
            self._learn(len(batch), _clock() - started)
        if bad:
            self.sig_output.emit(bad)
        turns.drained()
        if self._proc is None:          # a slot restarted or tore us down
            return
        if self._pending or proc.bytesAvailable() > 0:
            self._schedule_drain()
        elif self._exit is not None:
            if self._fill(proc):     # a last line with no newline, left when the budget ran out
                self._schedule_drain()
            else:
                self._finish()

    def _learn(self, events: int, seconds: float) -> None:
        """Fold a batch's handling time into `handle_s` (half the weight to the latest:
        a cook's mix of events shifts as it goes)."""
        self.handle_s = (self.handle_s + seconds / events) / 2

    def _fill(self, proc: QProcess) -> bool:
        """Move the next chunk of stdout into `_pending`; False when nothing is left."""
        framer = self._framer
        while not self._pending:
            data = bytes(proc.read(CHUNK_BYTES))
            if data:
                self._pending.extend(framer.feed(data))
            elif self._exit is not None:
                self._pending.extend(framer.close())   # the last line, with no newline
            self.bad_lines += framer.dropped           # over-long lines count as bad
            framer.dropped = 0
            if not data:
                return bool(self._pending)
        return True

    def _on_stderr(self) -> None:
        if self._proc is None:
            return
        data = self._stderr_rest + self._proc.readAllStandardError().data()
        # a line cut between two pieces is one line: its start waits for its end (or
        # the host's exit; a line past the cap goes out anyway, cut there)
        cut = data.rfind(b"\n") + 1
        if self._exit is None and len(data) - cut < STDERR_LINE_CHARS * 4:
            data, self._stderr_rest = data[:cut], data[cut:]
        else:
            self._stderr_rest = b""
        # a flood comes in big pieces: only the tail shown is decoded and split (the
        # rest is counted), so a 50 MB piece costs 50 MB, not four times that
        start, shown = len(data), 0
        while shown <= STDERR_BATCH_LINES and start > 0:
            start = data.rfind(b"\n", 0, start - 1) + 1 if start > 1 else 0
            shown += 1
        dropped = data.count(b"\n", 0, start) if start else 0
        text = data[start:].decode("utf-8", "replace")
        del data
        lines = [line[:STDERR_LINE_CHARS] for line in text.splitlines() if line.strip()]
        if len(lines) > STDERR_BATCH_LINES:
            dropped += len(lines) - STDERR_BATCH_LINES
            lines = lines[-STDERR_BATCH_LINES:]
        if dropped:
            lines = [f"[{dropped} lines of output dropped]"] + lines
        if lines:
            self.sig_output.emit(lines)

    # -- process life ----------------------------------------------------------------------
    def _on_started(self) -> None:
        self._pid = int(self._proc.processId())
        self.sig_started.emit(self._pid)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._proc is not None:
            message = self._proc.errorString()
            self.sig_output.emit([f"could not start the cook host: {message}"])
            self._exit = (-1, QProcess.ExitStatus.CrashExit)
            self._policy.failed_to_start()
            self._finish()

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._kill_timer.stop()
        self._exit = (code, status)
        self._end_steps = self._policy.host_exited(
            crashed=status == QProcess.ExitStatus.CrashExit)   # carried out by _finish
        self._on_stderr()
        self._schedule_drain()          # deliver the tail of the stream, then _finish

    def _on_kill_timeout(self) -> None:
        if self._proc is not None and self._exit is None:
            steps = self._policy.grace_over()
            if steps:
                self.sig_output.emit(["the cook host did not stop in time: killing it"])
            self._carry_out(steps)

    def _carry_out(self, steps: list[Step]) -> None:
        """Do what the stop policy says while the host runs (what it says once the host
        is gone is `_finish`'s, after the last event was delivered)."""
        for step in steps:
            if step.kind == TERMINATE:
                self._proc.terminate()
            elif step.kind == WAIT:
                self._kill_timer.start(max(0, round(step.seconds * 1000)))
            elif step.kind == KILL_GROUP:
                self._kill_group()

    def _kill_group(self) -> None:
        if self._pid:
            try:
                os.killpg(self._pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._proc.kill()

    def _finish(self) -> None:
        """End anything left in the host's session (the policy's END_LEFTOVERS; on a
        thread: `sweeper`), then report the end."""
        if self._sweep is not None or self._proc is None:
            return
        self._outcome = self._policy.outcome or hoststream.EXITED
        leftovers = any(step.kind == END_LEFTOVERS for step in self._end_steps)
        self._sweep = sweep(self, self._pid if leftovers else 0, self._tag, self._left,
                            self._swept)

    def _swept(self, victims: list[int]) -> None:
        self._sweep = None
        if victims:
            self.sig_output.emit([f"ended {len(victims)} process(es) left by the "
                                  f"cook host: {', '.join(map(str, victims))}"])
        self._report_end()

    def _left(self, victims: list[int]) -> bool:
        """Whether a process of the cook still lives or waits to be reaped by us (run on
        the sweep's thread)."""
        reap_adopted(victims)  # tagged jobs from other sessions re-attached to us
        return _leftovers(self._pid) or bool(tagged(self._tag))

    def _report_end(self) -> None:
        proc, code = self._proc, self._exit[0] if self._exit else -1
        self._proc = None
        if proc is not None:
            proc.deleteLater()
        if self._spare_env is not None:  # the next cook's host, once this one is shown
            QTimer.singleShot(SPARE_DELAY_MS, self, self._prepare_spare)
        self.sig_finished.emit(self._outcome, code)

    def _reset(self) -> None:
        self._pid = 0
        self._pending.clear()
        self._framer = LineFramer(MAX_LINE_BYTES)
        self._stderr_rest = b""      # a line the last stderr piece ended inside of
        self._exit = None
        self._end_steps = []
        self._policy = StopPolicy(self._kill_timer.interval() / 1000)
        self._outcome = hoststream.EXITED
        self.events_read = self.bad_lines = 0
