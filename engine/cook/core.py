"""The cook's state machine: one object fed answers and notices, returning instructions.

`CookCore` decides everything a cook decides — the ready set, ticks and the
``pdg_maxitems`` budget, what each ``scheduleResult``/``tickResult`` means, reports,
failures blocking what depends on them, cancel, the end — and does nothing itself: it
never calls user code, reads a clock or a file, or waits. It says what to do
(`scheduler_studio.engine.cook.instructions`) and goes on when the shell (`scheduler_studio.engine.cook.loop.CookLoop`)
answers its question. Time is what the shell says it is (`Answer.now`), so a test can
drive a whole cook with a fake clock.

The flow is written as generators that ``yield`` a question and receive its answer, so
it reads top to bottom like the cook it describes. `validate` checks the ledger.
"""
from __future__ import annotations

import enum
from typing import Any, Callable, Generator, Optional

from ..model.enums import FINISHED_STATES, SUCCESS_STATES, scheduleResult, tickResult
from ..model.enums import workItemState as S
from ..model.graph import JOBS_DIR, RESOURCES_DIR, Graph, GraphError, GraphSpec
from ..model.transitions import TransitionError
from ..model.workitem import WorkItem
from ..scheduler.reports import Report
from .book import RUNNING_STATES, ItemBook
from .errors import CancelInterrupt, CookAborted
from .events import CookStarted, ItemAdded, ItemState, LogMessage
from .instructions import (Answer, CancelRequested, Call, Close, CookNote, Drain, Emit,
                           EmitDetails, EndSharedServer, Exists, Finished, Generate,
                           Instruction, LogDone, Prepare, Problem, ReturnLine, SharedServers,
                           Sleep, StopResultServer, Undefined, WatchLog)
from .invoker import short_repr
from .options import CookOptions
from .results import apply_report
from .summary import UNDEFINED_PARAMETERS
from .unreported import STALL_S, STALL_SOURCE, never_reported, stall_note

OPTIONAL_CALLBACKS = ("onTick", "getLogURI", "getStatusURI", "applicationBin", "workingDir",
                      "localizePath", "onCancelWorkItems", "onAcceptWorkItem",
                      "onTransferFile", "transferFile", "onSetupCook")
_STOP_STATUSES = ("timeout", "failed", "error")
_DRAIN_AT_MOST = 10000  # messages taken in one go before the cook goes on
_SCHEDULED = {scheduleResult.Succeeded, scheduleResult.SucceededBatch}
_FINISHING = {
    scheduleResult.Failed: (S.CookedFail, "onSchedule returned Failed"),
    scheduleResult.CookSucceeded: (S.CookedSuccess, "onSchedule returned CookSucceeded"),
    scheduleResult.CookFailed: (S.CookedFail, "onSchedule returned CookFailed"),
    scheduleResult.CookCanceled: (S.CookedCancel, "onSchedule returned CookCanceled"),
}
NO_AUTH_WARNING = ("the result server accepts job reports without the cook's secret "
                   "(--result-server-auth off), as Houdini's does: any process on this "
                   "machine can report for the cook's items")


class LedgerError(AssertionError):
    """`CookCore.validate` found the ledger inconsistent (a bug in the core)."""


class CookCore:
    """One cook of one graph. `user`: which optional callbacks the module defines;
    `setup_takes_arguments`: its ``onSetupCook`` takes ``(static, cook_set)``;
    `params`: the scheduler's parameters (the throttles are read from them)."""

    def __init__(self, spec: GraphSpec, graph: Graph, params: Any,
                 options: Optional[CookOptions] = None, *, type_name: str = "",
                 module_file: str = "", user: Optional[dict[str, bool]] = None,
                 setup_takes_arguments: bool = True, emitting: bool = True,
                 not_started: Optional[str] = None):
        self.spec, self.graph, self.params = spec, graph, params
        self.options = options or CookOptions()
        self.type_name, self.module_file = type_name, module_file
        self.user = {name: bool((user or {}).get(name)) for name in OPTIONAL_CALLBACKS}
        self.setup_takes_arguments = setup_takes_arguments
        self.not_started = not_started  # why the scheduler's onStart failed, if it did
        self.emitting = emitting
        self.book = ItemBook(self._on_state_change)
        self.out: list[Instruction] = []
        self.log_appended: dict[int, int] = {}  # item id -> characters of append_log shown
        self.now = 0.0
        self.canceling = False
        self.status: Optional[str] = None
        self.closed = False
        self.cook_errors: list[str] = []
        self.cook_error_types: dict[int, str] = {}   # index in cook_errors -> its "type"
        self.warnings: list[str] = []
        self.servers_ended: list[str] = []
        self.cancel_reason: Optional[str] = None
        self.cook_started = False
        self.started_at = 0.0
        self.deadline: Optional[float] = None
        self.waiting: Optional[Instruction] = None   # the question being answered
        self._inprocess: list[WorkItem] = []
        self._watched: set[int] = set()   # items whose job log the shell keeps capped
        self._scheduling_allowed = True
        self._budget = 0
        self._last_tick = float("-inf")  # the first tick is due at once
        self._flow: Optional[Generator] = None
        self._quiet_since = 0.0   # the last report or state change (`unreported`)
        self._stall_noted = False
        self._reported: set[int] = set()  # items any report named
        self.fail_causes: dict[int, str] = {}  # failed item id -> why (the summary's)

    # -- driving ---------------------------------------------------------------------------
    def start(self, now: float) -> list[Instruction]:
        """Begin the cook at `now`; the instructions up to the first question."""
        if self._flow is not None:
            raise RuntimeError("the cook has started already")
        self.now = self.started_at = self._quiet_since = now
        if self.options.timeout_s:
            self.deadline = now + self.options.timeout_s
        self._flow = self._cook()
        return self._advance(None, None)

    def handle(self, event: Any) -> list[Instruction]:
        """Take an `Answer` to the last question, or a notice (a cancel, a cook note),
        which never waits for the question being answered."""
        if type(event) is Answer:
            if self.waiting is None:
                raise RuntimeError("an answer, but the core asked nothing")
            if event.now > self.now:
                self.now = event.now
            return self._advance(event.value, event.error)
        if isinstance(event, CancelRequested):
            self.cancel_reason = self.cancel_reason or event.reason
            return self._take()
        if isinstance(event, CookNote):
            self.note(event.level, event.message, event.source)
            return self._take()
        raise TypeError(f"the cook core takes answers and notices, not {event!r}")

    @property
    def finished(self) -> bool:
        return self.status is not None and self.waiting is None and self._flow is None

    def _advance(self, value: Any, error: Optional[BaseException]) -> list[Instruction]:
        flow = self._flow
        self.waiting = None
        try:
            question = flow.throw(error) if error is not None else flow.send(value)
        except StopIteration:
            self._flow = None
            question = None
        out, self.out = self.out, []
        if question is not None:
            self.waiting = question
            out.append(question)
        return out

    def _take(self) -> list[Instruction]:
        out, self.out = self.out, []
        return out

    # -- the cook --------------------------------------------------------------------------
    def _cook(self) -> Generator:
        failure: Optional[BaseException] = None
        try:
            yield from self._begin()
            if self.options.static:
                yield from self._run_static()
            else:
                yield from self._run_dynamic()
        except (CookAborted, GraphError) as exc:
            self.cook_errors.append(str(exc))
            self._log("error", str(exc))
            yield from self._do_cancel(getattr(exc, "status", "error"))
        except CancelInterrupt:
            yield from self._do_cancel(self.cancel_reason or "cancelled")
        except Exception as exc:  # a bug: the cook still ends properly, then it is raised
            failure = exc
        yield from self._end()
        self.out.append(Finished(self.status or "error"))
        if failure is not None:
            raise failure

    def _begin(self) -> Generator:
        if not self.options.result_server_auth:
            self.warnings.append(NO_AUTH_WARNING)
            self._log("warning", NO_AUTH_WARNING)
        workdir, why = yield Prepare()
        if why:
            raise CookAborted(why)
        if self.emitting:
            self.out.append(Emit(CookStarted(
                self.type_name, self.spec.name, self.options.static, self.module_file,
                workdir, [{"name": n.name, "kind": n.kind} for n in self.spec.nodes])))
        if self.not_started:  # as PDG: a scheduler that did not start cooks nothing
            raise CookAborted(f"the scheduler did not start ({self.not_started}): "
                              "nothing was cooked", "failed")
        if self.options.static and not self.spec.is_static:
            raise CookAborted(f"graph {self.spec.name!r} has dynamic nodes; a static cook "
                              "needs every node to be static")
        self.cook_started = True
        static, cook_set = self.options.static, list(self.graph.nodes.values())
        if self.user["onSetupCook"]:
            args = (static, cook_set) if self.setup_takes_arguments else ()
            ok, error = yield self._call("onSetupCook", *args)
            if error:
                raise CookAborted(f"onSetupCook raised: {error['message']}", "failed")
            if ok is False:
                raise CookAborted("onSetupCook returned False: the scheduler refused to set "
                                  "up the cook", "failed")
        ok, error = yield self._call("onStartCook", static, cook_set)
        if error:
            raise CookAborted(f"onStartCook raised: {error['message']}", "failed")
        if ok is False:
            raise CookAborted("onStartCook returned False: the scheduler refused to start the "
                              "cook", "failed")
        for node in self.graph.nodes.values():
            yield from self._add((yield Generate(node)))

    def _run_dynamic(self) -> Generator:
        book = self.book
        while True:
            if self.now >= self.next_tick():
                yield from self._tick()
            yield from self._drain()
            if (yield from self._check_stop()):
                return
            if self._scheduling_allowed:
                yield from self._schedule_pass()
                yield from self._drain()
            yield from self._run_inprocess()
            if (yield from self._check_stop()):
                return
            if not book.running and not self._inprocess and book.settled():
                return
            self._check_stall()
            yield from self._wait()

    def _run_static(self) -> Generator:
        deps, dependents, ready = self.dependency_graph(False)
        _, error = yield self._call("onScheduleStatic", deps, dependents, ready)
        if error:
            raise CookAborted(f"onScheduleStatic raised: {error['message']}", "failed")
        for item in list(self.book.items):
            if item.state == S.Waiting and not item.isInProcess:
                self.book.set_state(item, S.Scheduled, "onScheduleStatic")
                yield from self._announce_uris(item)
        while True:
            if self.now >= self.next_tick():
                yield from self._tick()
            yield from self._drain()
            yield from self._run_inprocess()
            if (yield from self._check_stop()) or self.book.settled():
                return
            self._check_stall()
            yield from self._wait()

    def _check_stop(self) -> Generator:
        if self.deadline is not None and self.now >= self.deadline:
            self.cancel_reason = self.cancel_reason or "timeout"
        if self.cancel_reason:
            yield from self._do_cancel(self.cancel_reason)
            return True
        return False

    def _wait(self) -> Generator:
        until = self.next_tick()
        if self.deadline is not None:
            until = min(until, self.deadline)
        message = yield Sleep(until)
        if message is not None:
            yield from self._apply(message)

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
            return getattr(self.params[name], how)()
        except (TypeError, ValueError):
            message = f"{name} is {self.params[name].value!r}, not a number: using {default}"
            if message not in self.warnings:
                self.warnings.append(message)
                self._log("warning", message)
            return default

    def next_tick(self) -> float:
        """When the next tick is due: read each time, so a pdg_tickperiod the scheduler
        changes applies to the tick under way."""
        return self._last_tick + self.tick_period()

    def _tick(self) -> Generator:
        self._last_tick = self.now
        self._scheduling_allowed = (yield from self._on_tick()) if self.user["onTick"] else True
        self._budget = self.max_items()  # after onTick, which may have changed it

    def _on_tick(self) -> Generator:
        """Call onTick; True when scheduling may happen this tick."""
        result, error = yield self._call("onTick")
        if error:
            self._log("error", f"onTick raised {error['message']}: the cook stops")
            self.cancel_reason = self.cancel_reason or "failed"
            return False
        if isinstance(result, tickResult):
            if result == tickResult.SchedulerCancelCook:
                self._log("warning", "onTick returned SchedulerCancelCook: cancelling the cook")
                self.cancel_reason = self.cancel_reason or "cancelled"
            return result == tickResult.SchedulerReady
        if result is not None and not isinstance(result, bool):
            self.out.append(Problem("onTick", f"onTick returned {short_repr(result)}; "
                                              "expected a pdg.tickResult"))
        return True

    def _schedule_pass(self) -> Generator:
        deferred: list[WorkItem] = []
        book = self.book
        while self._budget > 0 and not self.cancel_reason:
            item = book.pop_ready()
            if item is None:
                break
            if not item.node.transferred:
                yield from self._transfer(item.node)
            if item.node.transfer_error:
                if item.state == S.Waiting:  # made after the transfer failed
                    yield from self._finish(item, S.CookedFail, item.node.transfer_error)
                continue
            self._budget -= 1
            outcome = yield from self._schedule_one(item)
            if outcome is not None:
                deferred.append(item)
                if outcome is scheduleResult.FullDeferred:
                    self._scheduling_allowed = False  # nothing more until the next tick
                    break
        for item in deferred:
            book.push_ready(item)

    def _schedule_one(self, item: WorkItem) -> Generator:
        """Offer one item; return the result when it must be offered again later."""
        if self.user["onAcceptWorkItem"]:
            accepted, error = yield self._call("onAcceptWorkItem", item, item=item)
            if error or (accepted is not None and int(accepted) == 2):
                yield from self._finish(item, S.CookedFail, "onAcceptWorkItem rejected the item")
                return None
        value, error = yield self._call("onSchedule", item, item=item)
        if error:
            yield from self._finish(item, S.CookedFail, f"onSchedule raised {error['message']}")
            return None
        if type(value) is scheduleResult:  # the usual answer, without a generator
            result = value
        else:
            result = yield from self._as_schedule_result(value, item)
        if result in _SCHEDULED:
            self.book.set_state(item, S.Scheduled, "onSchedule returned Succeeded")
            yield from self._announce_uris(item)
        elif result in _FINISHING:
            state, cause = _FINISHING[result]
            yield from self._finish(item, state, cause)
        else:
            return result
        return None

    def _as_schedule_result(self, value: Any, item: WorkItem) -> Generator:
        if value is None or value is True:
            return scheduleResult.Succeeded
        if value is False:
            return scheduleResult.Failed
        if isinstance(value, scheduleResult):
            return value
        kind = type(value).__name__
        line = yield ReturnLine("onSchedule", kind)
        what = f"{kind}.{value.name}" if isinstance(value, enum.Enum) else short_repr(value)
        where = f" (line {line})" if line else ""
        self.out.append(Problem("onSchedule", f"onSchedule returned {what}{where}; it must "
                                              "return a pdg.scheduleResult", item, line))
        return scheduleResult.Failed

    def _transfer(self, node) -> Generator:
        """Send the node's files before its first item is offered; when that fails,
        every item of the node fails (`node.transfer_error`), now or when it is made."""
        node.transferred = True
        for template in node.spec.transfer:
            path = template.format(resources=str(RESOURCES_DIR), jobs=str(JOBS_DIR))
            name = "transferFile" if self.user["transferFile"] else "onTransferFile" \
                if self.user["onTransferFile"] else None
            if name:
                ok, error = yield self._call(name, path)
            else:
                ok, error = yield Call("transferFile", (path,), base=True)
            if error or ok is False:
                reason = error["message"] if error else f"{name or 'transferFile'} returned False"
                node.transfer_error = f"transfer of {path} failed: {reason}"
                for sibling in node.workItems:
                    if sibling.state == S.Waiting:
                        yield from self._finish(sibling, S.CookedFail, node.transfer_error)
                return

    # -- reports and messages --------------------------------------------------------------
    def _drain(self) -> Generator:
        for _ in range(_DRAIN_AT_MOST):
            message = yield Drain()
            if message is None:
                return
            yield from self._apply(message)

    def _apply(self, message: Any) -> Generator:
        if isinstance(message, Report):
            self._quiet_since, self._stall_noted = self.now, False
            item = self.resolve(message.ref)
            if item is not None:
                self._reported.add(item.id)
            yield from apply_report(self, message)
        elif isinstance(message, CookNote):
            self.note(message.level, message.message, message.source)
        elif isinstance(message, CancelRequested):
            self.cancel_reason = self.cancel_reason or message.reason

    def apply_in_passing(self, message: Any,
                         answers: dict[type, Callable[[Any], Any]]) -> list[Instruction]:
        """Apply a report (or note) while the cook waits on a callback: the host is
        ending inside it (``os._exit``), and what jobs reported must still count.
        `answers` answers the questions it may ask (`Exists`, `LogEnd`); at any other
        (the next node's items: nothing would cook them) it stops there. The
        instructions it gave, to carry out."""
        flow = self._apply(message)
        value: Any = None
        try:
            while True:
                question = flow.send(value)
                answer = answers.get(type(question))
                if answer is None:
                    break
                value = answer(question)
        except StopIteration:
            pass
        finally:
            flow.close()
        return self._take()

    def resolve(self, ref: Any) -> Optional[WorkItem]:
        if isinstance(ref, WorkItem):
            return ref if self.graph.items.get(ref.id) is ref else None
        return self.graph.lookup(ref)

    # -- item life cycle --------------------------------------------------------------------
    def _add(self, items: list[WorkItem]) -> Generator:
        book, emitting = self.book, self.emitting
        for item in items:
            book.add(item)
            if emitting:
                self.out.append(Emit(ItemAdded(
                    item.id, item.name, item.node.name, item.index, item.state.name,
                    item.isStatic, item.isInProcess, item.frame if item.hasFrame else None,
                    item.priority)))
            broken = self.graph.broken.pop(item.id, None)
            if broken:
                self.warnings.append(broken)
                self._log("warning", broken)
                yield from self._finish(item, S.CookedFail, broken)
            elif book.deps_done(item) and item not in book.blocked:
                self._make_ready(item)

    def _make_ready(self, item: WorkItem) -> None:
        if item.isInProcess:
            self._inprocess.append(item)
        elif not self.options.static:
            self.book.push_ready(item)

    def _run_inprocess(self) -> Generator:
        while self._inprocess:
            item = self._inprocess.pop()
            if item.state in (S.Waiting, S.Scheduled):
                records = list(item.inputFiles)
                found = (yield Exists(tuple(r.path for r in records))) if records else ()
                for record in records:
                    if record.path in found:
                        item.addOutputFile(record.path, record.tag)
                yield from self._finish(item, S.CookedSuccess, "in-process item: all inputs done")

    def mark_cooking(self, item: WorkItem, cause: str) -> None:
        if item.state == S.Waiting:
            self.book.set_state(item, S.Scheduled, cause)
        self.book.set_state(item, S.Cooking, cause)

    def _finish(self, item: WorkItem, state: S, cause: str,
                duration: Optional[float] = None) -> Generator:
        if duration is not None:
            item.cookDuration = duration
        verify = item.node.spec.verify_outputs
        if state in SUCCESS_STATES and (verify or not item.outputFiles):
            expected = list(item.expectedOutputFiles)
            found = (yield Exists(tuple(r.path for r in expected))) if expected else ()
            if not item.outputFiles:
                for record in expected:
                    if record.path in found:
                        item.addOutputFile(record.path, record.tag)
            missing = [r.path for r in expected if r.path not in found] if verify else []
            if missing:
                state, cause = S.CookedFail, (
                    f"{cause}, but its expected output {missing[0]} is not there: the job "
                    "did not do this item's work (was it given another item's id or "
                    "command?)")
        self.book.set_state(item, state, cause)
        if self.emitting:
            self.out.append(EmitDetails(item))
        if item.id in self._watched:
            self._watched.discard(item.id)
            self.out.append(LogDone(item.id))
        if state in SUCCESS_STATES:
            for dependent in self.book.newly_ready(item):
                self._make_ready(dependent)
        if item.node.downstream:
            yield from self._generate_downstream(item.node, item)

    def finish(self, item: WorkItem, state: S, cause: str,
               duration: Optional[float] = None) -> Generator:
        """Finish an item from a report; refuses (TransitionError) when it already
        finished, or a success when something it depends on failed."""
        if item.state in FINISHED_STATES:
            raise TransitionError(item.name, item.state, state, cause)
        if state in SUCCESS_STATES and item in self.book.blocked:
            raise TransitionError(item.name, item.state, state,
                                  f"{cause}, but an item it depends on did not cook")
        if item.state == S.Waiting and state in SUCCESS_STATES:
            self.book.set_state(item, S.Scheduled, cause)
        yield from self._finish(item, state, cause, duration)

    def _generate_downstream(self, node, finished: Optional[WorkItem] = None) -> Generator:
        for child in node.downstream:
            if child.generated_all:
                continue
            made = yield Generate(child, finished)
            if made:
                yield from self._add(made)
            if child.generated_all:
                yield from self._generate_downstream(child)

    # -- cancel and end ---------------------------------------------------------------------
    def _do_cancel(self, reason: str) -> Generator:
        """Stop the cook: cancel what runs. `reason` "timeout", "failed" (the scheduler
        cannot go on) and "error" (the graph cannot be cooked) are also the status;
        anything else is a cancel."""
        if self.canceling:
            return
        self.canceling = True
        self.status = reason if reason in _STOP_STATUSES else "cancelled"
        # reports that came while a callback ran (or hung until this cancel broke out of
        # it) are older than the cancel: an item whose job said it succeeded did
        try:
            yield from self._drain()
        except (CancelInterrupt, Exception) as exc:  # noqa: BLE001 - the cancel goes on
            self._log("error", f"_drain before the cancel: {exc!r}")
        running = sorted(self.book.running, key=lambda i: i.id)
        self._say_never_reported(running)
        if running and self.user["onCancelWorkItems"]:
            by_node: dict[Any, list[WorkItem]] = {}
            for item in running:
                by_node.setdefault(item.node, []).append(item)
            for node, items in by_node.items():
                yield from self._guarded(self._call("onCancelWorkItems", items, node,
                                                    guarded=True))
        for item in running:
            if item.state not in FINISHED_STATES:
                yield from self._finish(item, S.CookedCancel, f"cook {reason}")
        self._log("warning", f"cook {reason}")

    def _end(self) -> Generator:
        try:
            yield from self._drain()
        except (CancelInterrupt, Exception) as exc:  # noqa: BLE001
            self._log("error", f"_drain during clean-up: {exc!r}")
        self._watched.clear()
        self.out.append(LogDone(None))
        self.closed = True
        self.out.append(Close())  # from now on the result server's calls are refused
        if self.cook_started:  # a cook that stopped early is a cancelled one for the module
            yield from self._guarded(self._call("onStopCook", self.canceling, guarded=True))
        for name in (yield SharedServers()):
            yield from self._guarded(self._call("endSharedServer", name, guarded=True))
            self.out.append(EndSharedServer(name))
            self.servers_ended.append(name)
        try:
            stopped = yield StopResultServer()
        except (CancelInterrupt, Exception) as exc:  # noqa: BLE001
            self._log("info", "the scheduler left its result server running; stopped it")
            self._log("error", f"stop during clean-up: {exc!r}")
        else:
            if stopped:
                self._log("info", "the scheduler left its result server running; stopped it")
        undefined, callback_errors = yield Undefined()
        if undefined:
            self.cook_error(undefined_message(undefined), kind=UNDEFINED_PARAMETERS)
        if self.status is None:
            failed = any(i.state not in SUCCESS_STATES for i in self.book.items)
            # a callback that raised is a failed cook, even when every item cooked
            failed = failed or bool(self.cook_errors) or bool(callback_errors)
            self.status = "failed" if failed else "succeeded"

    def _guarded(self, question: Call) -> Generator:
        """An end-of-cook step: a second cancel or a crash must not skip the others."""
        try:
            return (yield question)
        except (CancelInterrupt, Exception) as exc:  # noqa: BLE001
            self._log("error", f"{question.name} during clean-up: {exc!r}")
            return None

    def _call(self, name: str, *args: Any, item: Any = None, guarded: bool = False) -> Call:
        return Call(name, args, item, False, guarded)

    # -- notes from the scheduler, and what it may ask ---------------------------------------
    def note(self, level: str, message: str, source: str = "scheduler") -> None:
        if level == "error":
            self.cook_error(message, source)
        else:
            self.cook_warning(message, source)

    def cook_error(self, message: str, source: str = "scheduler",
                   kind: Optional[str] = None) -> None:
        """`kind`: the summary error's "type" (e.g. UNDEFINED_PARAMETERS)."""
        if kind:
            self.cook_error_types[len(self.cook_errors)] = kind
        self.cook_errors.append(message)
        self._log("error", message, source)

    def cook_warning(self, message: str, source: str = "scheduler") -> None:
        self.warnings.append(message)
        self._log("warning", message, source)

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

    def _announce_uris(self, item: WorkItem) -> Generator:
        log_uri = yield from self._optional("getLogURI", item, item=item)
        status_uri = yield from self._optional("getStatusURI", item, item=item)
        if isinstance(log_uri, str):
            self._watched.add(item.id)
            self.out.append(WatchLog(item.id, log_uri))
        if self.emitting:
            self.out.append(EmitDetails(item, str(log_uri or ""), str(status_uri or "")))

    def log_watched(self, item: WorkItem) -> bool:
        """Whether the item's job log (``getLogURI``) is a file the shell watches."""
        return item.id in self._watched

    def _optional(self, name: str, *args: Any, item: Any = None) -> Generator:
        """Call a callback the module may define; None when it does not or it failed."""
        if not self.user.get(name):
            return None
        value, error = yield self._call(name, *args, item=item)
        return None if error else value

    def _on_state_change(self, item: WorkItem, state: S, cause: str) -> None:
        self._quiet_since, self._stall_noted = self.now, False
        if state == S.CookedFail:
            self.fail_causes[item.id] = cause
        if self.emitting:
            self.out.append(Emit(ItemState(item.id, state.name, cause)))

    # -- items scheduled and never reported (`unreported`) ----------------------------------
    def _check_stall(self) -> None:
        """Once a quiet stretch: items wait on reports and nothing came for STALL_S."""
        if self._stall_noted or not self.book.running or \
                self.now - self._quiet_since < STALL_S:
            return
        self._stall_noted = True
        waiting = sorted(self.book.running, key=lambda i: i.id)
        self._log("warning", stall_note([i.name for i in waiting], STALL_S), STALL_SOURCE)

    def _say_never_reported(self, running: list[WorkItem]) -> None:
        """At a timeout or a cancel: the items onSchedule took that no report ended."""
        if self.status not in ("timeout", "cancelled"):
            return
        if not running:
            return
        heard = sum(1 for i in running if i.id in self._reported)
        message = never_reported([i.name for i in running], self.status, heard)
        if self.status == "timeout":
            self.cook_error(message, "engine")
        else:
            self.cook_warning(message, "engine")

    def _log(self, level: str, message: str, source: str = "engine") -> None:
        if self.emitting:
            self.out.append(Emit(LogMessage(level, message, source)))

    # -- the ledger's invariants -------------------------------------------------------------
    def validate(self) -> None:
        """Raise `LedgerError` unless the counts, the running and blocked sets and the
        items' states agree with each other (and, once the cook is over, with its end)."""
        book, problems = self.book, []
        items = book.items
        if len({i.id for i in items}) != len(items):
            problems.append("an item is in the ledger twice")
        for state in S:
            have = sum(1 for i in items if i.state == state)
            if book.counts[state] != have:
                problems.append(f"{book.counts[state]} counted {state.name}, {have} are")
        running = {i for i in items if i.state in RUNNING_STATES}
        if book.running != running:
            problems.append(f"running set {_names(book.running)} but running items "
                            f"{_names(running)}")
        unfinished = sum(1 for i in items if i.state not in FINISHED_STATES)
        if book.unfinished != unfinished:
            problems.append(f"{book.unfinished} counted unfinished, {unfinished} are")
        failed = {S.CookedFail, S.CookedCancel}
        for item in items:
            behind_failure = any(d.state in failed or d in book.blocked
                                 for d in item.dependencies)
            if item in book.blocked and (item.state in FINISHED_STATES or not behind_failure):
                problems.append(f"{item.name} is blocked but nothing it needs failed")
            if item not in book.blocked and item.state not in FINISHED_STATES \
                    and behind_failure:
                problems.append(f"{item.name} waits on a failed item but is not blocked")
            if item.state in SUCCESS_STATES and not all(
                    d.state in SUCCESS_STATES for d in item.dependencies):
                problems.append(f"{item.name} succeeded before what it depends on")
            if self.graph.items.get(item.id) is not item:
                problems.append(f"{item.name} is not an item of the graph")
        if self._budget < 0:
            problems.append(f"the tick's budget went below zero ({self._budget})")
        if self._flow is None and self.status is not None:
            if self.waiting is not None:
                problems.append("the cook ended with a question unanswered")
            # (a static cook schedules everything first: what waits on a failure stays so)
            if book.running - book.blocked:
                problems.append(f"the cook ended with {_names(book.running - book.blocked)} "
                                "running")
            if self.status == "succeeded" and any(i.state not in SUCCESS_STATES for i in items):
                problems.append("the cook succeeded with items that did not")
            if not self.closed:
                problems.append("the cook ended without closing")
        if problems:
            raise LedgerError("; ".join(problems))


def _names(items) -> str:
    return "{" + ", ".join(sorted(i.name for i in items)) + "}"


def undefined_message(names: list[str]) -> str:
    return (f"the scheduler read {len(names)} parameter(s) nobody defined: "
            f"{', '.join(names)}. Its HDA would provide them: give them values for the "
            "test cook with --parm NAME=VALUE, --parms-file FILE.json or the cook options")


__all__ = ["CookCore", "LedgerError", "NO_AUTH_WARNING", "OPTIONAL_CALLBACKS",
           "undefined_message"]
