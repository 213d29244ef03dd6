"""The cook loop: the thin shell that carries out what the cook core decides.

`CookCore` (engine/cook/core.py) holds the cook's state and decides; this shell does
the rest, on one thread: it calls the scheduler (`_invoke`, the one place user
callbacks run during a cook), makes the items and folders, looks at files, reads the
clock, waits for messages, and answers the core. Other threads (job watchers, the
result server, signal handlers) only post to `inbox` or ask for a cancel; the result
server's hooks run on the loop's thread too, unless it is inside a callback (see
`call_on_owner`).
"""
from __future__ import annotations

import inspect
import os
import queue
import shutil
import tempfile
import threading
import time
from typing import Any, Callable, Optional

from ..model.graph import Graph, GraphSpec, ItemFormatter
from ..model.workitem import WorkItem
from ..scheduler.base import JOB_HELPER, PyScheduler
from ..scheduler.params import ParameterError
from ..scheduler.reports import Report
from .core import NO_AUTH_WARNING, OPTIONAL_CALLBACKS, CookCore, undefined_message
from .errors import CancelInterrupt
from .events import ItemDetails, LogMessage
from .instructions import (Answer, CancelRequested, Call, Close, CookNote, Drain, Emit,
                           EmitDetails, EndSharedServer, Exists, Finished, Generate,
                           LogDone, LogEnd, Prepare, Problem, ReturnLine, SharedServers,
                           Sleep, StopResultServer, Undefined, WatchLog)
from .invoker import CallbackInvoker, defined_by_user
from .logcap import LogCaps
from .options import CookOptions
from .summary import build_summary
from .virtual_time import VirtualClock

__all__ = ["CookLoop", "NO_AUTH_WARNING", "undefined_message"]

_OWNER_POLL_S = 0.05  # how soon a server thread notices the loop is inside a callback
# A report (start, success...) wakes the loop, which then lets this long pass before it
# takes it, so that reports arriving together cost one wake-up: each wake-up takes the
# interpreter lock from the threads that start jobs. Calls from the result server (jobs
# waiting for an answer) are taken at once.
_REPORT_BATCH_S = 0.005


class _Call:
    """A function another thread wants run by the loop, with its answer. It runs once,
    on whichever thread claims it first (see `CookLoop.call_on_owner`)."""

    def __init__(self, fn: Callable[[], Any]):
        self.fn, self.done, self.value, self.error = fn, threading.Event(), None, None
        self._claimed = threading.Lock()

    def run(self) -> None:
        if not self._claimed.acquire(blocking=False):
            return  # the other thread has it
        try:
            self.value = self.fn()
        except CancelInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - handed back to the calling thread
            self.error = exc
        finally:
            self.done.set()


class CookLoop:
    def __init__(self, scheduler: PyScheduler, spec: GraphSpec,
                 options: Optional[CookOptions] = None,
                 emit: Optional[Callable[[Any], None]] = None, module_file: str = "",
                 invoker: Optional[CallbackInvoker] = None,
                 clock: Optional[Callable[[], float]] = None,
                 virtual: Optional[VirtualClock] = None, not_started: Optional[str] = None):
        """`clock`: the cook's time (a debugger's stands still during a pause);
        `virtual`: time that jumps to the next tick instead of sleeping (`virtual_time`);
        `not_started`: why the scheduler did not start (its onStart failed): the cook
        then ends at once, failed."""
        self.scheduler = scheduler
        self.state = scheduler._pdg_state
        self.spec = spec
        self.options = options or CookOptions()
        self.emit = emit
        # the cook's time: a debugger's clock stands still while it holds the cook, so
        # neither the ticks nor the timeout run during a pause
        self.virtual = virtual
        self.clock: Callable[[], float] = virtual.now if virtual else clock or time.monotonic
        self._held_thread: Optional[int] = None  # running a report held during a pause
        self._front: list = []  # what that report posted: taken before the inbox
        self.graph = Graph(spec, self.state.item_ids)
        self.invoker = invoker or CallbackInvoker(scheduler, module_file or self.state.module_file, emit)
        user = {n: defined_by_user(scheduler, n, PyScheduler) for n in OPTIONAL_CALLBACKS}
        self.core = CookCore(spec, self.graph, self.state.params, self.options,
                             type_name=self.state.type_name, module_file=self.invoker.module_file,
                             user=user, setup_takes_arguments=user["onSetupCook"]
                             and _takes_arguments(scheduler.onSetupCook),
                             emitting=emit is not None, not_started=not_started)
        self.inbox: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        self.server_log: list[tuple[str, str]] = []
        self._owner: Optional[int] = None
        self._cancel_asked: Optional[str] = None
        self._formatter = ItemFormatter(self._application_bin, self._localize)
        self.log_caps = LogCaps()
        self._answers = self._answer_table()

    # -- what the core owns, as the scheduler base class and the summary read it ---------
    @property
    def book(self):
        return self.core.book

    @property
    def canceling(self) -> bool:
        return self.core.canceling

    @property
    def status(self) -> Optional[str]:
        return self.core.status

    @property
    def warnings(self) -> list[str]:
        return self.core.warnings

    @property
    def cook_errors(self) -> list[str]:
        return self.core.cook_errors

    @property
    def servers_ended(self) -> list[str]:
        return self.core.servers_ended

    @property
    def fail_causes(self) -> dict[int, str]:
        return self.core.fail_causes

    def resolve(self, ref: Any) -> Optional[WorkItem]:
        return self.core.resolve(ref)

    def dependency_graph(self, expand_partitions: bool = False):
        return self.core.dependency_graph(expand_partitions)

    def tick_period(self) -> float:
        return self.core.tick_period()

    def max_items(self) -> int:
        return self.core.max_items()

    # -- thread-safe entry points -------------------------------------------------------
    def post(self, message: Any) -> None:
        if self._held_thread is not None and threading.get_ident() == self._held_thread:
            self._front.append(message)  # a held report's own reports: in its place, not last
            return
        self.inbox.put(message)

    def request_cancel(self, reason: str = "cancelled") -> None:
        self._cancel_asked = self._cancel_asked or reason
        self.inbox.put(None)  # wake the loop

    def call_on_owner(self, fn: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Run `fn` on the loop's thread and return its result (the result server's calls).

        While the loop is inside a callback the calling thread runs `fn` itself, as PDG
        serves job reports while callbacks run (a callback may be waiting for the very
        job that reports). Once the cook is ending, calls are refused. While a debugger
        holds the cook, nothing runs (see `hold_call`) and the wait has no deadline.
        """
        call = _Call(fn)
        self.inbox.put(call)
        deadline = self.clock() + timeout
        while not call.done.wait(_OWNER_POLL_S):
            if self.core.closed:
                raise TimeoutError("the cook is ending")
            if self.invoker.current is not None and not self.invoker.paused:
                call.run()
            elif self.clock() > deadline:
                raise TimeoutError("the cook loop is busy")
        if call.error is not None:
            raise call.error
        return call.value

    def hold_call(self, fn: Callable[[], Any], what: str) -> None:
        """A job's report while a debugger holds the cook: the job gets its answer now,
        and the report waits in the inbox, in the order it came, for the loop to take
        it once the cook goes on (no scheduler code runs during the pause)."""
        def held() -> None:
            self._held_thread = threading.get_ident()
            try:
                fn()
            except Exception as exc:  # noqa: BLE001 - refused now, where a job saw True
                self._log("warning", f"a job's report held during a pause was refused: "
                                     f"{exc}", "resultserver")
            finally:
                self._held_thread = None
        self.inbox.put(_Call(held))
        self._log("info", f"held until the cook goes on: {what}", "resultserver")

    def apply_received(self, why: str) -> int:
        """The host is ending inside a callback (`why`: "os._exit(3)"): apply the
        reports already received (jobs were told they were taken) and put out their
        events, so those items end as their jobs said. Only on the loop's own thread,
        where the core is waiting on that callback (elsewhere the loop may be in the
        middle of a step): how many reports it applied."""
        if threading.get_ident() != self._owner or self.core.closed:
            return 0
        messages, self._front = self._front, []
        while True:
            try:
                message = self.inbox.get_nowait()
            except queue.Empty:
                break
            if isinstance(message, (Report, CookNote)):  # not calls no job got an answer to
                messages.append(message)
        # no user code: not the next node's items (nothing would cook them)
        answers = {kind: self._answers[kind] for kind in (Exists, LogEnd)}
        reports = 0
        for message in messages:
            for instruction in self.core.apply_in_passing(message, answers):
                if type(instruction) in (Emit, EmitDetails):
                    self._carry_out(instruction)
            reports += isinstance(message, Report)
        if reports:
            self._log("warning", f"the cook host is ending ({why}) inside a callback: "
                                 f"applied the {reports} job report(s) it had received")
        return reports

    # -- the cook ----------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        self._owner = threading.get_ident()
        self.state.loop = self
        core = self.core
        try:
            instructions = core.start(self.clock())
            while True:
                answer = None
                try:
                    for instruction in instructions:
                        answer = self._carry_out(instruction)
                    if self._cancel_asked and core.cancel_reason is None:
                        self._execute_all(core.handle(CancelRequested(self._cancel_asked)))
                except CancelInterrupt as exc:  # a signal between two callbacks
                    answer = Answer(None, self.clock(), exc)
                if core.waiting is None:
                    break
                instructions = core.handle(answer)
        finally:
            self.state.loop = None
        return self.summary()

    def _execute_all(self, instructions) -> None:
        for instruction in instructions:
            self._carry_out(instruction)

    def _carry_out(self, instruction) -> Optional[Answer]:
        """Do one instruction; a question's answer (what it raised, too) for the core."""
        kind = type(instruction)
        if kind is Emit:
            self.emit(instruction.event)
            return None
        if not instruction.question:
            self._one_way(instruction)
            return None
        try:
            value = self._answers[kind](instruction)  # Call: `_invoke`
        except (CancelInterrupt, Exception) as exc:  # noqa: BLE001 - the core decides
            return Answer(None, self.clock(), exc)
        return Answer(value, self.clock())

    def _one_way(self, instruction) -> None:
        kind = type(instruction)
        if kind is EmitDetails:
            self._emit_details(instruction.item, instruction.log_uri, instruction.status_uri)
        elif kind is Problem:
            self.invoker.problem(instruction.callback, instruction.message, instruction.item,
                                 instruction.line)
        elif kind is WatchLog:
            self.log_caps.watch(instruction.item_id, instruction.uri)
        elif kind is LogDone:
            if instruction.item_id is None:
                self._logs_cut(self.log_caps.finish_all())
            else:
                cut = self.log_caps.finished(instruction.item_id)
                if cut:
                    self._logs_cut([cut])
        elif kind is EndSharedServer:
            self.state.shared_servers.pop(instruction.name, None)
        elif kind not in (Close, Finished):  # the core's `closed` is what the server reads
            raise TypeError(f"unknown instruction {instruction!r}")

    def _answer_table(self) -> dict[type, Callable[[Any], Any]]:
        """How each question is answered."""
        return {
            Call: self._invoke,
            Drain: lambda q: self._next_message(None),
            Sleep: lambda q: self._sleep(q.until),
            Generate: lambda q: self.graph.generate(self._formatter, q.node, q.finished),
            Exists: lambda q: {path for path in q.paths if os.path.exists(path)},
            LogEnd: lambda q: self._without_secret(self.log_caps.last_line(q.item_id)),
            Prepare: lambda q: self._prepare(),
            ReturnLine: lambda q: _return_line(getattr(type(self.scheduler), q.callback),
                                               q.needle),
            SharedServers: lambda q: list(self.state.shared_servers),
            StopResultServer: lambda q: self._stop_result_server(),
            Undefined: lambda q: (list(self.state.params.undefined),
                                  len(self.invoker.errors)),
        }

    def _invoke(self, call: Call) -> tuple[Any, Optional[dict]]:
        """The one place the cook calls into the scheduler: (value, error record)."""
        if call.base:
            return self._direct(getattr(PyScheduler, call.name), self.scheduler, *call.args)
        return self.invoker.call(call.name, *call.args, item=call.item)

    # -- messages ------------------------------------------------------------------------
    def _next_message(self, timeout: Optional[float]) -> Any:
        """The next report or note for the core (None: none came); the result server's
        calls are run here as they come, in order."""
        inbox = self.inbox
        while True:
            if self._front:
                return self._front.pop(0)
            try:
                message = inbox.get_nowait() if timeout is None else inbox.get(timeout=timeout)
            except queue.Empty:
                return None
            if isinstance(message, _Call):
                message.run()
                if timeout is not None:
                    return None  # woken: the core looks again
                continue
            if message is None:  # a wake-up (cancel)
                if timeout is not None:
                    return None
                continue
            return message

    def _sleep(self, until: Optional[float]) -> Any:
        self._logs_cut(self.log_caps.poll(self.clock()))
        timeout = None if until is None else max(0.0, until - self.clock())
        flush = getattr(self.emit, "flush", None)
        if flush:
            flush()
        if self.virtual is not None and until is not None:
            message = self._next_message(None)
            if message is None:
                self.virtual.advance_to(until)
            return message
        message = self._next_message(timeout if timeout is not None else 3600.0)
        if isinstance(message, Report) and timeout is not None and timeout > _REPORT_BATCH_S:
            time.sleep(_REPORT_BATCH_S)  # the rest of the batch: the core drains it next
        return message

    # -- the cook's set-up ---------------------------------------------------------------
    def _prepare(self) -> tuple[Optional[str], Optional[str]]:
        params = self.state.params
        if self.options.workdir:
            params["pdg_workingdir"] = self.options.workdir
        else:
            raw = params["pdg_workingdir"].evaluateRawString()
            if not raw or ("$HIP" in raw and "HIP" not in os.environ):
                # No Houdini scene here: $HIP (or nothing) means a fresh folder for this
                # cook, never whatever folder the studio was started from.
                fresh = tempfile.mkdtemp(prefix="schedstudio-cook-")
                params["pdg_workingdir"] = raw.replace("$HIP", fresh) if raw else fresh
        self.state.result_server_auth = self.options.result_server_auth
        if self.state.result_server is not None:
            self.state.result_server.require_auth = self.options.result_server_auth
        try:
            params.apply_overrides(self.options.parameters)
        except ParameterError as exc:
            return None, str(exc)
        workdir, why = self._make_job_dirs()
        if why is None:
            for node in self.graph.nodes.values():
                node.scheduler = self.scheduler
        return workdir, why

    def _make_job_dirs(self) -> tuple[str, Optional[str]]:
        """The working, temp and script folders (job helper included); their paths come
        from the module, so a folder that cannot be made ends the cook with the reason."""
        workdir = self._optional("workingDir", True)
        if not isinstance(workdir, str) or not workdir:
            workdir = PyScheduler.workingDir(self.scheduler, True)
        try:
            temp, scripts = self.scheduler.tempDir(True), self.scheduler.scriptDir(True)
            for folder in (workdir, temp, scripts, os.path.join(temp, "logs"),
                           os.path.join(temp, "data")):
                os.makedirs(folder, exist_ok=True)
            if os.path.exists(JOB_HELPER):
                shutil.copyfile(JOB_HELPER, os.path.join(scripts, "pdgcmd.py"))
        except (OSError, TypeError, ValueError) as exc:
            return workdir, f"cannot make the cook's folders under {workdir}: {exc}"
        return workdir, None

    def _stop_result_server(self) -> bool:
        server = self.state.result_server
        if server is None:
            return False
        self.state.result_server = None
        server.stop()
        return True

    def summary(self) -> dict[str, Any]:
        return build_summary(self, self.clock() - self.core.started_at)

    # -- services for the scheduler base class ------------------------------------------
    def cook_error(self, message: str) -> None:
        self._note("error", message)

    def cook_warning(self, message: str) -> None:
        self._note("warning", message)

    def _note(self, level: str, message: str) -> None:
        """On the loop's thread (inside a callback) the core takes it at once; another
        thread posts it."""
        if threading.get_ident() == self._owner or self._owner is None:
            self._execute_all(self.core.handle(CookNote(level, message)))
        else:
            self.inbox.put(CookNote(level, message))

    def post_log(self, level: str, message: str) -> None:
        """Log from another thread (the result server); the emitter is thread-safe."""
        self.server_log.append((level, message))
        self._log(level, message, "resultserver")

    def log_from_scheduler(self, level: str, message: str) -> None:
        """A line the scheduler logs (``_verboseLog``), from any thread."""
        self._log(level, message, "scheduler")

    def _logs_cut(self, paths: list[str]) -> None:
        for path in paths:
            message = (f"a job log passed {self.log_caps.cap:,} bytes and was cut there "
                       f"(the rest dropped): {path}")
            self._execute_all(self.core.handle(CookNote("warning", message, "engine")))

    def _log(self, level: str, message: str, source: str = "engine") -> None:
        if self.emit:
            self.emit(LogMessage(level, message, source))

    # -- helpers ---------------------------------------------------------------------------------
    def _optional(self, name: str, *args: Any, item: Any = None) -> Any:
        """Call a callback the module may define; None when it does not or it failed."""
        if not self.core.user.get(name):
            return None
        value, error = self._invoke(Call(name, args, item))
        return None if error else value

    def _direct(self, fn: Callable, *args: Any):
        try:
            return fn(*args), None
        except CancelInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - base helpers may hit user code
            return None, self.invoker.error_record(getattr(fn, "__name__", "?"), exc, None)

    def _application_bin(self, name: str, item: WorkItem) -> str:
        value = self._optional("applicationBin", name, item, item=item)
        return value if isinstance(value, str) and value else \
            PyScheduler.applicationBin(self.scheduler, name, item)

    def _localize(self, path: str) -> str:
        value = self._optional("localizePath", path)
        if isinstance(value, str) and value:
            return value
        # the module's localizePath failed or gave nothing: PDG's own behaviour
        value, _ = self._direct(PyScheduler.localizePath, self.scheduler, path)
        return value if isinstance(value, str) and value else path

    def _emit_details(self, item: WorkItem, log_uri: str = "", status_uri: str = "") -> None:
        # PDG's own token expansion (not a module override: no user code runs unasked)
        expanded, _ = self._direct(PyScheduler.expandCommandTokens, self.scheduler,
                                   item.command, item)
        shown = self._without_secret(expanded or item.command)
        self.emit(ItemDetails(item.id, item.command, item.attributes_plain(),
                              [f.path for f in item.inputFiles],
                              [f.path for f in item.expectedOutputFiles],
                              [f.path for f in item.outputFiles], item.cookDuration,
                              log_uri, status_uri, shown))

    def _without_secret(self, text: str) -> str:
        """`text` with the result server's token masked (``__PDG_RESULT_SERVER__``
        expands to it): events reach the GUI, logs and transcripts."""
        server = self.state.result_server
        token = server.token if server is not None else ""
        return text.replace(token, "[token]") if token and isinstance(text, str) else text


def _takes_arguments(method: Any) -> bool:
    """Whether a bound method accepts (static, cook_set): ``onSetupCook`` is seen both ways."""
    try:
        params = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


def _return_line(method: Any, needle: str) -> Optional[int]:
    """The line of the first ``return`` in `method` that mentions `needle`."""
    try:
        lines, start = inspect.getsourcelines(method)
    except (OSError, TypeError):
        return None
    for offset, text in enumerate(lines):
        if "return" in text and needle in text:
            return start + offset
    return None
