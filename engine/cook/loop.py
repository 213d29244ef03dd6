"""The cook loop: drives one scheduler instance through one graph.

One thread owns the loop and is the only one that changes item state; other threads
(job watchers, the result server) only post to `inbox`. The result server's hooks run
on the loop's thread too, unless it is inside a callback (see `call_on_owner`).
Each turn: tick when due (``onTick`` decides whether scheduling may happen), apply
reports, offer up to ``pdg_maxitems`` ready items per tick to ``onSchedule`` in priority
order, complete in-process items, and stop once every item is settled.
"""
from __future__ import annotations

import enum
import inspect
import os
import queue
import shutil
import tempfile
import threading
import time
from typing import Any, Callable, Optional

from ..model.enums import FINISHED_STATES, SUCCESS_STATES, scheduleResult, tickResult
from ..model.enums import workItemState as S
from ..model.graph import Graph, GraphError, GraphSpec, ItemFormatter, JOBS_DIR, RESOURCES_DIR
from ..model.transitions import TransitionError
from ..model.workitem import WorkItem
from ..scheduler.base import JOB_HELPER, PyScheduler
from ..scheduler.params import ParameterError
from .book import ItemBook
from .errors import CancelInterrupt, CookAborted
from .events import CookStarted, ItemAdded, ItemDetails, ItemState, LogMessage
from .invoker import CallbackInvoker, defined_by_user, short_repr
from .logcap import LogCaps
from .options import CookOptions
from .reports import Report
from .results import apply_report
from .summary import build_summary

OPTIONAL_CALLBACKS = ("onTick", "getLogURI", "getStatusURI", "applicationBin", "workingDir",
                      "localizePath", "onCancelWorkItems", "onAcceptWorkItem",
                      "onTransferFile", "transferFile")
_STOP_STATUSES = ("timeout", "failed", "error")
_OWNER_POLL_S = 0.05  # how soon a server thread notices the loop is inside a callback
# A report (start, success...) wakes the loop, which then lets this long pass before it
# takes it, so that reports arriving together cost one wake-up: each wake-up takes the
# interpreter lock from the threads that start jobs. Calls from the result server (jobs
# waiting for an answer) are taken at once.
_REPORT_BATCH_S = 0.005
_SCHEDULED = {scheduleResult.Succeeded, scheduleResult.SucceededBatch}
_FINISHING = {
    scheduleResult.Failed: (S.CookedFail, "onSchedule returned Failed"),
    scheduleResult.CookSucceeded: (S.CookedSuccess, "onSchedule returned CookSucceeded"),
    scheduleResult.CookFailed: (S.CookedFail, "onSchedule returned CookFailed"),
    scheduleResult.CookCanceled: (S.CookedCancel, "onSchedule returned CookCanceled"),
}


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
                 invoker: Optional[CallbackInvoker] = None):
        self.scheduler = scheduler
        self.state = scheduler._pdg_state
        self.spec = spec
        self.options = options or CookOptions()
        self.emit = emit
        self.graph = Graph(spec, self.state.item_ids)
        self.invoker = invoker or CallbackInvoker(scheduler, module_file or self.state.module_file, emit)
        self.book = ItemBook(self._on_state_change if emit else None)
        self.inbox: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        self.canceling = False
        self.status: Optional[str] = None
        self.cook_errors: list[str] = []
        self.warnings: list[str] = []
        self.servers_ended: list[str] = []
        self.server_log: list[tuple[str, str]] = []
        self._cancel_reason: Optional[str] = None
        self._user = {n: defined_by_user(scheduler, n, PyScheduler) for n in OPTIONAL_CALLBACKS}
        self._inprocess: list[WorkItem] = []
        self._scheduling_allowed = True
        self._budget = 0
        self._last_tick = float("-inf")  # the first tick is due at once
        self._cook_started = False
        self._closed = False
        self._started = 0.0
        self._deadline: Optional[float] = None
        self._formatter = ItemFormatter(self._application_bin, self._localize)
        self.log_caps = LogCaps()

    # -- thread-safe entry points -------------------------------------------------------
    def post(self, message: Any) -> None:
        self.inbox.put(message)

    def request_cancel(self, reason: str = "cancelled") -> None:
        self._cancel_reason = self._cancel_reason or reason
        self.inbox.put(None)  # wake the loop

    def call_on_owner(self, fn: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Run `fn` on the loop's thread and return its result (the result server's calls).

        While the loop is inside a callback the calling thread runs `fn` itself, as PDG
        serves job reports while callbacks run (a callback may be waiting for the very
        job that reports). Once the cook is ending, calls are refused.
        """
        call = _Call(fn)
        self.inbox.put(call)
        deadline = time.monotonic() + timeout
        while not call.done.wait(_OWNER_POLL_S):
            if self._closed:
                raise TimeoutError("the cook is ending")
            if self.invoker.current is not None:
                call.run()
            elif time.monotonic() > deadline:
                raise TimeoutError("the cook loop is busy")
        if call.error is not None:
            raise call.error
        return call.value

    # -- the cook ----------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        self._started = time.monotonic()
        if self.options.timeout_s:
            self._deadline = self._started + self.options.timeout_s
        self.state.loop = self
        try:
            self._begin()
            if self.options.static:
                self._run_static()
            else:
                self._run_dynamic()
        except (CookAborted, GraphError) as exc:
            self.cook_errors.append(str(exc))
            self._log("error", str(exc))
            self._do_cancel(getattr(exc, "status", "error"))
        except CancelInterrupt:
            self._do_cancel(self._cancel_reason or "cancelled")
        finally:
            self._end()
        return self.summary()

    def _begin(self) -> None:
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
        if not self.options.result_server_auth:
            self.warnings.append(NO_AUTH_WARNING)
            self._log("warning", NO_AUTH_WARNING)
        try:
            params.apply_overrides(self.options.parameters)
        except ParameterError as exc:
            raise CookAborted(str(exc)) from None
        workdir = self._make_job_dirs()
        if self.emit:
            self.emit(CookStarted(self.state.type_name, self.spec.name, self.options.static,
                                  self.invoker.module_file, workdir,
                                  [{"name": n.name, "kind": n.kind} for n in self.spec.nodes]))
        if self.options.static and not self.spec.is_static:
            raise CookAborted(f"graph {self.spec.name!r} has dynamic nodes; a static cook "
                              "needs every node to be static")
        for node in self.graph.nodes.values():
            node.scheduler = self.scheduler
        self._cook_started = True
        cook_set = list(self.graph.nodes.values())
        if defined_by_user(self.scheduler, "onSetupCook", PyScheduler):
            args = (self.options.static, cook_set) if _takes_arguments(
                self.scheduler.onSetupCook) else ()
            ok, error = self.invoker.call("onSetupCook", *args)
            if error:
                raise CookAborted(f"onSetupCook raised: {error['message']}", "failed")
            if ok is False:
                raise CookAborted("onSetupCook returned False: the scheduler refused to set "
                                  "up the cook", "failed")
        ok, error = self.invoker.call("onStartCook", self.options.static, cook_set)
        if error:
            raise CookAborted(f"onStartCook raised: {error['message']}", "failed")
        if ok is False:
            raise CookAborted("onStartCook returned False: the scheduler refused to start the cook",
                              "failed")
        for node in self.graph.nodes.values():
            self._add(self.graph.generate(self._formatter, node))

    def _make_job_dirs(self) -> str:
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
            raise CookAborted(f"cannot make the cook's folders under {workdir}: {exc}") from None
        return workdir

    def _run_dynamic(self) -> None:
        while True:
            now = time.monotonic()
            if now >= self._next_tick():
                self._tick(now)
            self._drain()
            if self._check_stop():
                return
            if self._scheduling_allowed:
                self._schedule_pass()
                self._drain()
            self._run_inprocess()
            if self._check_stop():
                return
            if not self.book.running and not self._inprocess and self.book.settled():
                return
            self._wait()

    def _run_static(self) -> None:
        deps, dependents, ready = self.dependency_graph(False)
        _, error = self.invoker.call("onScheduleStatic", deps, dependents, ready)
        if error:
            raise CookAborted(f"onScheduleStatic raised: {error['message']}", "failed")
        for item in list(self.book.items):
            if item.state == S.Waiting and not item.isInProcess:
                self.book.set_state(item, S.Scheduled, "onScheduleStatic")
                self._announce_uris(item)
        while True:
            now = time.monotonic()
            if now >= self._next_tick():
                self._tick(now)
            self._drain()
            self._run_inprocess()
            if self._check_stop() or self.book.settled():
                return
            self._wait()

    def _check_stop(self) -> bool:
        if self._deadline is not None and time.monotonic() >= self._deadline:
            self._cancel_reason = self._cancel_reason or "timeout"
        if self._cancel_reason:
            self._do_cancel(self._cancel_reason)
            return True
        return False

    def _wait(self) -> None:
        self._logs_cut(self.log_caps.poll(time.monotonic()))
        timeout = max(0.0, self._next_tick() - time.monotonic())
        if self._deadline is not None:
            timeout = min(timeout, max(0.0, self._deadline - time.monotonic()))
        flush = getattr(self.emit, "flush", None)
        if flush:
            flush()
        try:
            message = self.inbox.get(timeout=timeout)
        except queue.Empty:
            return
        if isinstance(message, Report) and timeout > _REPORT_BATCH_S:
            time.sleep(_REPORT_BATCH_S)  # the rest of the batch: _drain takes it next
        self._handle(message)

    # -- ticks and scheduling ------------------------------------------------------------
    def tick_period(self) -> float:
        if self.options.tick_period is not None:
            return self.options.tick_period
        return max(0.001, self._throttle("pdg_tickperiod", "evaluateFloat", 0.5))

    def max_items(self) -> int:
        if self.options.max_items is not None:
            return self.options.max_items
        return max(1, self._throttle("pdg_maxitems", "evaluateInt", 30))

    def _throttle(self, name: str, how: str, default: Any) -> Any:
        """A throttle parameter as the scheduler set it; its default (and a warning,
        once) when the scheduler set something that is not a number."""
        try:
            return getattr(self.state.params[name], how)()
        except (TypeError, ValueError):
            message = f"{name} is {self.state.params[name].value!r}, not a number: using {default}"
            if message not in self.warnings:
                self.warnings.append(message)
                self._log("warning", message)
            return default

    def _next_tick(self) -> float:
        """When the next tick is due: read each time, so a pdg_tickperiod the scheduler
        changes applies to the tick under way."""
        return self._last_tick + self.tick_period()

    def _tick(self, now: float) -> None:
        self._last_tick = now
        self._scheduling_allowed = self._on_tick() if self._user["onTick"] else True
        self._budget = self.max_items()  # after onTick, which may have changed it

    def _on_tick(self) -> bool:
        """Call onTick; True when scheduling may happen this tick."""
        result, error = self.invoker.call("onTick")
        if error:
            self._log("error", f"onTick raised {error['message']}: the cook stops")
            self._cancel_reason = self._cancel_reason or "failed"
            return False
        if isinstance(result, tickResult):
            if result == tickResult.SchedulerCancelCook:
                self._log("warning", "onTick returned SchedulerCancelCook: cancelling the cook")
                self._cancel_reason = self._cancel_reason or "cancelled"
            return result == tickResult.SchedulerReady
        if result is not None and not isinstance(result, bool):
            self.invoker.problem("onTick", f"onTick returned {short_repr(result)}; expected a "
                                           "pdg.tickResult")
        return True

    def _schedule_pass(self) -> None:
        deferred: list[WorkItem] = []
        book = self.book
        while self._budget > 0 and not self._cancel_reason:
            item = book.pop_ready()
            if item is None:
                break
            if not item.node.transferred:
                self._transfer(item.node)
            if item.node.transfer_error:
                if item.state == S.Waiting:  # made after the transfer failed
                    self._finish(item, S.CookedFail, item.node.transfer_error)
                continue
            self._budget -= 1
            outcome = self._schedule_one(item)
            if outcome is not None:
                deferred.append(item)
                if outcome is scheduleResult.FullDeferred:
                    self._scheduling_allowed = False  # nothing more until the next tick
                    break
        for item in deferred:
            book.push_ready(item)

    def _schedule_one(self, item: WorkItem) -> Optional[scheduleResult]:
        """Offer one item; return the result when it must be offered again later."""
        if self._user["onAcceptWorkItem"]:
            accepted, error = self.invoker.call("onAcceptWorkItem", item, item=item)
            if error or (accepted is not None and int(accepted) == 2):
                self._finish(item, S.CookedFail, "onAcceptWorkItem rejected the item")
                return None
        value, error = self.invoker.call("onSchedule", item, item=item)
        if error:
            self._finish(item, S.CookedFail, f"onSchedule raised {error['message']}")
            return None
        result = self._as_schedule_result(value, item)
        if result in _SCHEDULED:
            self.book.set_state(item, S.Scheduled, "onSchedule returned Succeeded")
            self._announce_uris(item)
        elif result in _FINISHING:
            state, cause = _FINISHING[result]
            self._finish(item, state, cause)
        else:
            return result
        return None

    def _as_schedule_result(self, value: Any, item: WorkItem) -> scheduleResult:
        if value is None or value is True:
            return scheduleResult.Succeeded
        if value is False:
            return scheduleResult.Failed
        if isinstance(value, scheduleResult):
            return value
        kind = type(value).__name__
        line = _return_line(type(self.scheduler).onSchedule, kind)
        what = f"{kind}.{value.name}" if isinstance(value, enum.Enum) else short_repr(value)
        where = f" (line {line})" if line else ""
        self.invoker.problem("onSchedule", f"onSchedule returned {what}{where}; it must "
                                           "return a pdg.scheduleResult", item, line)
        return scheduleResult.Failed

    def _transfer(self, node) -> None:
        """Send the node's files before its first item is offered; when that fails,
        every item of the node fails (`node.transfer_error`), now or when it is made."""
        node.transferred = True
        for template in node.spec.transfer:
            path = template.format(resources=str(RESOURCES_DIR), jobs=str(JOBS_DIR))
            name = "transferFile" if self._user["transferFile"] else "onTransferFile" \
                if self._user["onTransferFile"] else None
            if name:
                ok, error = self.invoker.call(name, path)
            else:
                ok, error = self._direct(self.scheduler.transferFile, path)
            if error or ok is False:
                reason = error["message"] if error else f"{name or 'transferFile'} returned False"
                node.transfer_error = f"transfer of {path} failed: {reason}"
                for sibling in node.workItems:
                    if sibling.state == S.Waiting:
                        self._finish(sibling, S.CookedFail, node.transfer_error)
                return

    # -- reports and messages --------------------------------------------------------------
    def _drain(self) -> None:
        inbox = self.inbox
        for _ in range(10000):
            try:
                message = inbox.get_nowait()
            except queue.Empty:
                return
            self._handle(message)

    def _handle(self, message: Any) -> None:
        if isinstance(message, Report):
            apply_report(self, message)
        elif isinstance(message, _Call):
            message.run()

    def resolve(self, ref: Any) -> Optional[WorkItem]:
        if isinstance(ref, WorkItem):
            return ref if self.graph.items.get(ref.id) is ref else None
        return self.graph.lookup(ref)

    # -- item life cycle --------------------------------------------------------------------
    def _add(self, items: list[WorkItem]) -> None:
        for item in items:
            self.book.add(item)
            if self.emit:
                self.emit(ItemAdded(item.id, item.name, item.node.name, item.index,
                                    item.state.name, item.isStatic, item.isInProcess,
                                    item.frame if item.hasFrame else None, item.priority))
            broken = self.graph.broken.pop(item.id, None)
            if broken:
                self.warnings.append(broken)
                self._log("warning", broken)
                self._finish(item, S.CookedFail, broken)
            elif self.book.deps_done(item) and item not in self.book.blocked:
                self._make_ready(item)

    def _make_ready(self, item: WorkItem) -> None:
        if item.isInProcess:
            self._inprocess.append(item)
        elif not self.options.static:
            self.book.push_ready(item)

    def _run_inprocess(self) -> None:
        while self._inprocess:
            item = self._inprocess.pop()
            if item.state in (S.Waiting, S.Scheduled):
                for record in item.inputFiles:
                    if os.path.exists(record.path):
                        item.addOutputFile(record.path, record.tag)
                self._finish(item, S.CookedSuccess, "in-process item: all inputs done")

    def mark_cooking(self, item: WorkItem, cause: str) -> None:
        if item.state == S.Waiting:
            self.book.set_state(item, S.Scheduled, cause)
        self.book.set_state(item, S.Cooking, cause)

    def _finish(self, item: WorkItem, state: S, cause: str, duration: Optional[float] = None) -> None:
        if duration is not None:
            item.cookDuration = duration
        if state in SUCCESS_STATES and not item.outputFiles:
            for record in item.expectedOutputFiles:
                if os.path.exists(record.path):
                    item.addOutputFile(record.path, record.tag)
        if state in SUCCESS_STATES and item.node.spec.verify_outputs:
            missing = [r.path for r in item.expectedOutputFiles if not os.path.exists(r.path)]
            if missing:
                state, cause = S.CookedFail, (
                    f"{cause}, but its expected output {missing[0]} is not there: the job "
                    "did not do this item's work (was it given another item's id or "
                    "command?)")
        self.book.set_state(item, state, cause)
        if self.emit:
            self._emit_details(item)
        cut = self.log_caps.finished(item.id)
        if cut:
            self._logs_cut([cut])
        if state in SUCCESS_STATES:
            for dependent in self.book.newly_ready(item):
                self._make_ready(dependent)
        self._generate_downstream(item.node, item)

    def finish(self, item: WorkItem, state: S, cause: str, duration: Optional[float] = None) -> None:
        """Finish an item from a report; refuses (TransitionError) when it already
        finished, or a success when something it depends on failed."""
        if item.state in FINISHED_STATES:
            raise TransitionError(item.name, item.state, state, cause)
        if state in SUCCESS_STATES and item in self.book.blocked:
            raise TransitionError(item.name, item.state, state,
                                  f"{cause}, but an item it depends on did not cook")
        if item.state == S.Waiting and state in SUCCESS_STATES:
            self.book.set_state(item, S.Scheduled, cause)
        self._finish(item, state, cause, duration)

    def _generate_downstream(self, node, finished: Optional[WorkItem] = None) -> None:
        for child in node.downstream:
            if child.generated_all:
                continue
            made = self.graph.generate(self._formatter, child, finished)
            if made:
                self._add(made)
            if child.generated_all:
                self._generate_downstream(child)

    # -- cancel and end ---------------------------------------------------------------------
    def _do_cancel(self, reason: str) -> None:
        """Stop the cook: cancel what runs. `reason` "timeout", "failed" (the scheduler
        cannot go on) and "error" (the graph cannot be cooked) are also the status;
        anything else is a cancel."""
        if self.canceling:
            return
        self.canceling = True
        self.status = reason if reason in _STOP_STATUSES else "cancelled"
        running = sorted(self.book.running, key=lambda i: i.id)
        if running and self._user["onCancelWorkItems"]:
            by_node: dict[Any, list[WorkItem]] = {}
            for item in running:
                by_node.setdefault(item.node, []).append(item)
            for node, items in by_node.items():
                self._guarded_call("onCancelWorkItems", items, node)
        for item in running:
            if item.state not in FINISHED_STATES:
                self._finish(item, S.CookedCancel, f"cook {reason}")
        self._log("warning", f"cook {reason}")

    def _end(self) -> None:
        self._guarded(self._drain)
        self._logs_cut(self.log_caps.finish_all())
        self._closed = True  # from now on the result server's calls are refused
        if self._cook_started:  # a cook that stopped early is a cancelled one for the module
            self._guarded_call("onStopCook", self.canceling)
        for name in list(self.state.shared_servers):
            self._guarded_call("endSharedServer", name)
            self.state.shared_servers.pop(name, None)
            self.servers_ended.append(name)
        server = self.state.result_server
        if server is not None:
            self._log("info", "the scheduler left its result server running; stopped it")
            self._guarded(server.stop)
            self.state.result_server = None
        self.state.loop = None
        undefined = list(self.state.params.undefined)
        if undefined:
            self.cook_error(undefined_message(undefined))
        if self.status is None:
            failed = any(i.state not in SUCCESS_STATES for i in self.book.items)
            # a callback that raised is a failed cook, even when every item cooked
            failed = failed or bool(self.cook_errors) or bool(self.invoker.errors)
            self.status = "failed" if failed else "succeeded"

    def _guarded(self, fn: Callable, *args: Any, what: str = "") -> Any:
        """Run an end-of-cook step; a second cancel or a crash must not skip the others."""
        try:
            return fn(*args)
        except (CancelInterrupt, Exception) as exc:  # noqa: BLE001
            self._log("error", f"{what or getattr(fn, '__name__', fn)} during clean-up: "
                               f"{exc!r}")
            return None

    def _guarded_call(self, name: str, *args: Any) -> Any:
        """A callback as an end-of-cook step (a second cancel breaks out of it)."""
        return self._guarded(self.invoker.call, name, *args, what=name)

    def summary(self) -> dict[str, Any]:
        return build_summary(self, time.monotonic() - self._started)

    # -- services for the scheduler base class ------------------------------------------
    def cook_error(self, message: str) -> None:
        self.cook_errors.append(message)
        self._log("error", message, "scheduler")

    def cook_warning(self, message: str) -> None:
        self.warnings.append(message)
        self._log("warning", message, "scheduler")

    def dependency_graph(self, expand_partitions: bool = False):
        """(dependencies, dependents, ready) over the items a scheduler must run;
        in-process items are looked through to what they wait on."""
        def real_deps(item: WorkItem) -> list[WorkItem]:
            out = []
            for dep in item.dependencies:
                out.extend(real_deps(dep) if dep.isInProcess else [dep])
            return out

        jobs = [i for i in self.book.items if not i.isInProcess and i.state not in FINISHED_STATES]
        dependencies = {item: real_deps(item) for item in jobs}
        dependents: dict[WorkItem, list[WorkItem]] = {item: [] for item in jobs}
        for item, deps in dependencies.items():
            for dep in deps:
                dependents.setdefault(dep, []).append(item)
        ready = [item for item, deps in dependencies.items() if not deps]
        return dependencies, dependents, ready

    # -- helpers ---------------------------------------------------------------------------------
    def _optional(self, name: str, *args: Any, item: Any = None) -> Any:
        """Call a callback the module may define; None when it does not or it failed."""
        if not self._user.get(name):
            return None
        value, error = self.invoker.call(name, *args, item=item)
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

    def _announce_uris(self, item: WorkItem) -> None:
        log_uri = self._optional("getLogURI", item, item=item)
        status_uri = self._optional("getStatusURI", item, item=item)
        if isinstance(log_uri, str):
            self.log_caps.watch(item.id, log_uri)
        if self.emit:
            self._emit_details(item, str(log_uri or ""), str(status_uri or ""))

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

    def _logs_cut(self, paths: list[str]) -> None:
        for path in paths:
            message = (f"a job log passed {self.log_caps.cap:,} bytes and was cut there "
                       f"(the rest dropped): {path}")
            self.warnings.append(message)
            self._log("warning", message)

    def _on_state_change(self, item: WorkItem, state: S, cause: str) -> None:
        self.emit(ItemState(item.id, state.name, cause))

    def post_log(self, level: str, message: str) -> None:
        """Log from another thread (the result server); the emitter is thread-safe."""
        self.server_log.append((level, message))
        self._log(level, message, "resultserver")

    def log_from_scheduler(self, level: str, message: str) -> None:
        """A line the scheduler logs (``_verboseLog``), from any thread."""
        self._log(level, message, "scheduler")

    def _log(self, level: str, message: str, source: str = "engine") -> None:
        if self.emit:
            self.emit(LogMessage(level, message, source))


NO_AUTH_WARNING = ("the result server accepts job reports without the cook's secret "
                   "(--result-server-auth off), as Houdini's does: any process on this "
                   "machine can report for the cook's items")


def undefined_message(names: list[str]) -> str:
    return (f"the scheduler read {len(names)} parameter(s) nobody defined: "
            f"{', '.join(names)}. Its HDA would provide them: give them values for the "
            "test cook with --parm NAME=VALUE, --parms-file FILE.json or the cook options")


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
