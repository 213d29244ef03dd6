"""The cook core on its own, driven by a fake shell with a fake clock: no threads, no
sleeps, no user module. Each test checks the instructions the core gave and its
ledger (`validate`, also run by the autouse fixture after every cook test)."""
from __future__ import annotations

import itertools
from collections import deque
from typing import Any, Callable, Optional

import pytest

from scheduler_studio.engine.cook.core import CookCore, LedgerError, NO_AUTH_WARNING
from scheduler_studio.engine.cook.errors import CancelInterrupt
from scheduler_studio.engine.cook.events import ItemState, LogMessage
from scheduler_studio.engine.cook.instructions import (Answer, CancelRequested, Call, Close, Drain,
                                                       Emit, EmitDetails, EndSharedServer, Exists,
                                                       Finished, Generate, Prepare, Problem,
                                                       ReturnLine, SharedServers, Sleep,
                                                       StopResultServer, Undefined)
from scheduler_studio.engine.cook.options import CookOptions
from scheduler_studio.engine.model.enums import (scheduleResult as R, tickResult as T,
                                                 workItemState as S)
from scheduler_studio.engine.model.graph import Graph, ItemFormatter
from scheduler_studio.engine.scheduler.reports import Report
from tests.engine.cookkit import gen, proc, write_graph


class Param:
    def __init__(self, value: Any):
        self.value = value

    def evaluateFloat(self) -> float:
        return float(self.value)

    def evaluateInt(self) -> int:
        return int(self.value)


class FakeShell:
    """Answers the core's questions at once; `callbacks` answers `Call`s (name ->
    function of the args, returning the callback's value). `Sleep` moves the fake
    clock to the wake-up time unless a message waits in `inbox`."""

    def __init__(self, tmp_path, nodes: list[dict], callbacks: Optional[dict] = None,
                 user: tuple[str, ...] = (), params: Optional[dict] = None, **options: Any):
        self.spec = write_graph(tmp_path, nodes)
        self.graph = Graph(self.spec, itertools.count(1))
        self.params = {"pdg_tickperiod": Param(0.5), "pdg_maxitems": Param(30),
                       **{k: Param(v) for k, v in (params or {}).items()}}
        self.callbacks: dict[str, Callable] = {"onStartCook": lambda *a: True,
                                               "onSchedule": lambda item: R.CookSucceeded,
                                               **(callbacks or {})}
        self.core = CookCore(self.spec, self.graph, self.params, CookOptions(**options),
                             type_name="fake", module_file="fake.py",
                             user={name: True for name in user})
        self.now = 0.0
        self.inbox: deque = deque()
        self.calls: list[tuple[str, tuple, float]] = []
        self.instructions: list = []
        self.shared_servers: list[str] = []
        self.result_server = False
        self.fmt = ItemFormatter(lambda name, item: name, lambda path: path)
        self.existing: set[str] = set()
        self.sleeps: list[float] = []
        self.interrupt: Optional[str] = None   # a callback that a cancel breaks out of
        self.on_sleep: Optional[Callable[["FakeShell"], None]] = None

    def run(self, max_steps: int = 100000) -> "FakeShell":
        instructions = self.core.start(self.now)
        for _ in range(max_steps):
            answer = None
            for instruction in instructions:
                answer = self.carry_out(instruction)
            if self.core.waiting is None:
                self.core.validate()
                return self
            self.core.validate()
            instructions = self.core.handle(answer)
        raise AssertionError("the cook did not end")

    def carry_out(self, instruction) -> Optional[Answer]:
        self.instructions.append(instruction)
        if not instruction.question:
            if isinstance(instruction, EndSharedServer):
                self.shared_servers.remove(instruction.name)
            return None
        try:
            value = self.ask(instruction)
        except BaseException as exc:  # noqa: BLE001 - the core decides what it means
            return Answer(None, self.now, exc)
        return Answer(value, self.now)

    def ask(self, question) -> Any:
        if isinstance(question, Call):
            self.calls.append((question.name, question.args, self.now))
            if question.name == self.interrupt:
                raise CancelInterrupt()
            fn = self.callbacks.get(question.name)
            if fn is None:
                return None, None
            try:
                return fn(*question.args), None
            except Exception as exc:  # noqa: BLE001 - a callback that raised
                return None, {"message": f"{type(exc).__name__}: {exc}"}
        if isinstance(question, Prepare):
            return "/work", None
        if isinstance(question, Generate):
            return self.graph.generate(self.fmt, question.node, question.finished)
        if isinstance(question, Exists):
            return {p for p in question.paths if p in self.existing}
        if isinstance(question, Drain):
            return self.inbox.popleft() if self.inbox else None
        if isinstance(question, Sleep):
            self.sleeps.append(question.until)
            if self.on_sleep is not None:
                self.on_sleep(self)
            if self.inbox:
                return self.inbox.popleft()
            self.now = max(self.now, question.until)
            return None
        if isinstance(question, ReturnLine):
            return 7
        if isinstance(question, SharedServers):
            return list(self.shared_servers)
        if isinstance(question, StopResultServer):
            was, self.result_server = self.result_server, False
            return was
        if isinstance(question, Undefined):
            return [], 0
        raise AssertionError(f"unexpected question {question!r}")

    # -- what happened --------------------------------------------------------------------
    def names(self) -> list[str]:
        return [name for name, _, _ in self.calls]

    def called_at(self, name: str) -> list[float]:
        return [now for n, _, now in self.calls if n == name]

    def states(self) -> dict[str, str]:
        return {f"{i.node.name}[{i.index}]": i.state.name for i in self.core.book.items}

    def item(self, node: str, index: int):
        return next(i for i in self.core.book.items if i.node.name == node and i.index == index)

    def events(self, kind: type) -> list:
        return [i.event for i in self.instructions if isinstance(i, Emit)
                and isinstance(i.event, kind)]

    def logs(self, level: str) -> list[str]:
        return [e.message for e in self.events(LogMessage) if e.level == level]

    def of(self, kind: type) -> list:
        return [i for i in self.instructions if isinstance(i, kind)]

    @property
    def status(self) -> str:
        return self.core.status


def _one(nodes_count: int = 1) -> list[dict]:
    return [gen("gen", nodes_count)]


# -- the cook's frame ------------------------------------------------------------------------
def test_a_cook_asks_in_order_and_ends(tmp_path):
    shell = FakeShell(tmp_path, _one(2)).run()
    kinds = [type(i).__name__ for i in shell.instructions if not isinstance(i, Emit)]
    assert kinds[:3] == ["Prepare", "Call", "Generate"]   # set up, onStartCook, the items
    assert kinds[-6:] == ["Close", "Call", "SharedServers", "StopResultServer", "Undefined",
                          "Finished"]            # ... onStopCook once the cook is closed
    assert shell.names() == ["onStartCook", "onSchedule", "onSchedule", "onStopCook"]
    assert shell.status == "succeeded"
    assert shell.of(Finished) == [Finished("succeeded")]
    assert shell.states() == {"gen[0]": "CookedSuccess", "gen[1]": "CookedSuccess"}
    assert shell.core.finished


def test_on_start_cook_returning_false_fails_the_cook_before_any_item(tmp_path):
    shell = FakeShell(tmp_path, _one(2), {"onStartCook": lambda *a: False}).run()
    assert shell.status == "failed"
    assert shell.core.book.items == []
    assert "onStopCook" in shell.names() and "onSchedule" not in shell.names()
    assert any("refused to start" in m for m in shell.logs("error"))


def test_a_failed_set_up_ends_with_the_reason_and_calls_nothing(tmp_path):
    shell = FakeShell(tmp_path, _one(1))
    shell.ask = (lambda real: lambda q: (None, "cannot make the folder")
                 if isinstance(q, Prepare) else real(q))(shell.ask)
    shell.run()
    assert shell.status == "error"
    assert shell.names() == []          # the cook never started: no onStopCook either
    assert shell.core.cook_errors == ["cannot make the folder"]


def test_no_result_server_auth_is_a_warning_first(tmp_path):
    shell = FakeShell(tmp_path, _one(1), result_server_auth=False).run()
    assert shell.core.warnings[0] == NO_AUTH_WARNING
    assert shell.status == "succeeded"


# -- every scheduleResult -----------------------------------------------------------------
@pytest.mark.parametrize("result, state", [
    (R.CookSucceeded, "CookedSuccess"),
    (R.CookFailed, "CookedFail"),
    (R.Failed, "CookedFail"),
    (R.CookCanceled, "CookedCancel"),
    (False, "CookedFail"),
])
def test_results_that_finish_the_item(tmp_path, result, state):
    shell = FakeShell(tmp_path, _one(1), {"onSchedule": lambda item: result}).run()
    assert shell.states() == {"gen[0]": state}
    assert shell.events(ItemState)[-1].state == state
    assert len(shell.of(EmitDetails)) == 1
    assert shell.status == ("succeeded" if state == "CookedSuccess" else "failed")


@pytest.mark.parametrize("result", [R.Succeeded, R.SucceededBatch, None, True])
def test_results_that_schedule_the_item_wait_for_its_report(tmp_path, result):
    shell = FakeShell(tmp_path, _one(1), {"onSchedule": lambda item: result},
                      user=("getLogURI",), timeout_s=10.0)

    def report_once(shell):
        if not shell.inbox and shell.core.book.items[0].state == S.Scheduled:
            shell.inbox.append(Report("success", shell.core.book.items[0].id, value=0.25))

    shell.on_sleep = report_once
    shell.run()
    item = shell.core.book.items[0]
    assert item.state == S.CookedSuccess and item.cookDuration == 0.25
    states = [e.state for e in shell.events(ItemState)]
    assert states == ["Scheduled", "CookedSuccess"]
    assert "getLogURI" in shell.names()           # announced once scheduled
    assert shell.status == "succeeded"


def test_deferred_is_offered_again_in_the_same_pass_budget(tmp_path):
    answers = iter([R.Deferred, R.CookSucceeded, R.CookSucceeded])
    shell = FakeShell(tmp_path, _one(2), {"onSchedule": lambda item: next(answers)}).run()
    offered = [args[0].index for name, args, _ in shell.calls if name == "onSchedule"]
    assert offered == [0, 1, 0]   # deferred goes back in the ready set
    assert shell.status == "succeeded"


def test_full_deferred_stops_scheduling_until_the_next_tick(tmp_path):
    answers = iter([R.FullDeferred, R.CookSucceeded, R.CookSucceeded])
    shell = FakeShell(tmp_path, _one(2), {"onSchedule": lambda item: next(answers)},
                      tick_period=1.0).run()
    assert shell.called_at("onSchedule") == [0.0, 1.0, 1.0]
    assert shell.status == "succeeded"


def test_a_wrong_return_value_is_a_problem_at_its_line_and_fails_the_item(tmp_path):
    shell = FakeShell(tmp_path, _one(1), {"onSchedule": lambda item: "yes"}).run()
    problem, = shell.of(Problem)
    assert problem.callback == "onSchedule" and problem.line == 7
    assert "onSchedule returned 'yes' (line 7)" in problem.message
    assert shell.of(ReturnLine) == [ReturnLine("onSchedule", "str")]
    assert shell.states() == {"gen[0]": "CookedFail"}


def test_on_schedule_raising_fails_the_item_only(tmp_path):
    def schedule(item):
        if item.index == 0:
            raise RuntimeError("boom")
        return R.CookSucceeded
    shell = FakeShell(tmp_path, _one(2), {"onSchedule": schedule}).run()
    assert shell.states() == {"gen[0]": "CookedFail", "gen[1]": "CookedSuccess"}
    assert shell.status == "failed"


def test_on_accept_work_item_rejecting_fails_the_item_unoffered(tmp_path):
    shell = FakeShell(tmp_path, _one(1), {"onAcceptWorkItem": lambda item: 2},
                      user=("onAcceptWorkItem",)).run()
    assert "onSchedule" not in shell.names()
    assert shell.states() == {"gen[0]": "CookedFail"}


# -- every tickResult, and the throttles -------------------------------------------------
def test_ticks_come_every_tick_period_and_bound_the_offers(tmp_path):
    shell = FakeShell(tmp_path, _one(5), {"onTick": lambda: T.SchedulerReady},
                      user=("onTick",), params={"pdg_maxitems": 2}).run()
    assert shell.called_at("onTick") == [0.0, 0.5, 1.0]
    assert shell.called_at("onSchedule") == [0.0, 0.0, 0.5, 0.5, 1.0]
    assert shell.status == "succeeded"


def test_scheduler_busy_skips_that_tick(tmp_path):
    ticks = iter([T.SchedulerBusy, T.SchedulerBusy, T.SchedulerReady])
    shell = FakeShell(tmp_path, _one(1), {"onTick": lambda: next(ticks)},
                      user=("onTick",)).run()
    assert shell.called_at("onTick") == [0.0, 0.5, 1.0]
    assert shell.called_at("onSchedule") == [1.0]


def test_scheduler_cancel_cook_cancels(tmp_path):
    shell = FakeShell(tmp_path, _one(2), {"onTick": lambda: T.SchedulerCancelCook},
                      user=("onTick",)).run()
    assert shell.status == "cancelled"
    assert "onSchedule" not in shell.names()
    assert shell.calls[-1][:2] == ("onStopCook", (True,))
    assert any("SchedulerCancelCook" in m for m in shell.logs("warning"))


def test_on_tick_raising_stops_the_cook_as_failed(tmp_path):
    shell = FakeShell(tmp_path, _one(1), {"onTick": lambda: 1 / 0}, user=("onTick",)).run()
    assert shell.status == "failed"
    assert any("onTick raised" in m for m in shell.logs("error"))


def test_on_tick_returning_something_else_is_a_problem_but_schedules(tmp_path):
    shell = FakeShell(tmp_path, _one(1), {"onTick": lambda: "ok"}, user=("onTick",)).run()
    assert [p.callback for p in shell.of(Problem)] == ["onTick"]
    assert shell.status == "succeeded"


def test_max_items_changed_in_on_tick_applies_to_that_tick(tmp_path):
    def tick():
        shell.params["pdg_maxitems"] = Param(len(shell.called_at("onTick")))
        return T.SchedulerReady
    shell = FakeShell(tmp_path, _one(6), {"onTick": tick}, user=("onTick",))
    shell.run()
    per_tick = [shell.called_at("onSchedule").count(t) for t in shell.called_at("onTick")]
    assert per_tick == [1, 2, 3]


def test_a_tick_period_that_is_not_a_number_falls_back_with_one_warning(tmp_path):
    shell = FakeShell(tmp_path, _one(3), {"onTick": lambda: T.SchedulerReady},
                      user=("onTick",), params={"pdg_tickperiod": "soon",
                                                "pdg_maxitems": 1}).run()
    assert shell.called_at("onTick") == [0.0, 0.5, 1.0]
    assert [w for w in shell.core.warnings if "pdg_tickperiod" in w] == [
        "pdg_tickperiod is 'soon', not a number: using 0.5"]


def test_the_cook_options_override_the_throttles(tmp_path):
    shell = FakeShell(tmp_path, _one(3), {"onTick": lambda: T.SchedulerReady},
                      user=("onTick",), tick_period=2.0, max_items=1).run()
    assert shell.called_at("onSchedule") == [0.0, 2.0, 4.0]


# -- failures, cancel, timeout ---------------------------------------------------------------
def test_a_failed_item_blocks_what_depends_on_it_and_the_cook_settles(tmp_path):
    def schedule(item):
        return R.CookFailed if item.node.name == "gen" and item.index == 0 \
            else R.CookSucceeded
    shell = FakeShell(tmp_path, [gen("gen", 2), proc("after", "gen")],
                      {"onSchedule": schedule}).run()
    states = shell.states()
    assert states["gen[0]"] == "CookedFail" and states["gen[1]"] == "CookedSuccess"
    assert states["after[0]"] == "Waiting" and states["after[1]"] == "CookedSuccess"
    assert shell.core.book.blocked == {shell.item("after", 0)}
    assert shell.status == "failed"


def test_cancel_cancels_what_runs_through_on_cancel_work_items(tmp_path):
    shell = FakeShell(tmp_path, _one(2), {"onSchedule": lambda item: R.Succeeded},
                      user=("onCancelWorkItems",))
    shell.on_sleep = lambda s: s.inbox.append(CancelRequested("cancelled")) \
        if not s.inbox else None
    shell.run()
    assert shell.status == "cancelled"
    cancel, = [args for name, args, _ in shell.calls if name == "onCancelWorkItems"]
    assert [i.index for i in cancel[0]] == [0, 1]
    assert set(shell.states().values()) == {"CookedCancel"}
    assert shell.calls[-1][:2] == ("onStopCook", (True,))


def test_a_cancel_notice_between_two_offers_stops_the_pass(tmp_path):
    def schedule(item):
        shell.core.handle(CancelRequested("user"))  # as the shell feeds a posted cancel
        return R.CookSucceeded
    shell = FakeShell(tmp_path, _one(3), {"onSchedule": schedule})
    shell.run()
    assert shell.names().count("onSchedule") == 1
    assert shell.status == "cancelled"


def test_a_cancel_breaking_out_of_a_callback_ends_the_cook(tmp_path):
    shell = FakeShell(tmp_path, _one(2))
    shell.interrupt = "onSchedule"
    shell.run()
    assert shell.status == "cancelled"
    assert shell.names()[-1] == "onStopCook"


def test_a_second_cancel_inside_on_stop_cook_skips_nothing_else(tmp_path):
    shell = FakeShell(tmp_path, _one(1))
    shell.interrupt = "onStopCook"
    shell.shared_servers = ["farm"]
    shell.result_server = True
    shell.run()
    assert shell.names()[-2:] == ["onStopCook", "endSharedServer"]
    assert shell.of(EndSharedServer) == [EndSharedServer("farm")]
    assert shell.core.servers_ended == ["farm"]
    assert any("onStopCook during clean-up" in m for m in shell.logs("error"))
    assert any("left its result server running" in m for m in shell.logs("info"))
    assert shell.status == "succeeded"


def test_the_timeout_is_read_off_the_fake_clock(tmp_path):
    shell = FakeShell(tmp_path, _one(1), {"onSchedule": lambda item: R.Succeeded},
                      timeout_s=3.0, tick_period=1.0).run()
    assert shell.status == "timeout"
    assert shell.now == 3.0
    assert shell.sleeps == [1.0, 2.0, 3.0]
    assert shell.states() == {"gen[0]": "CookedCancel"}


# -- reports --------------------------------------------------------------------------------
def test_reports_start_then_finish_an_item_and_refuse_a_second_end(tmp_path):
    shell = FakeShell(tmp_path, _one(1), {"onSchedule": lambda item: R.Succeeded})

    def reports(shell):
        if shell.inbox or shell.core.book.items[0].state != S.Scheduled:
            return
        item_id = shell.core.book.items[0].id
        shell.inbox.extend([Report("start", item_id), Report("output", item_id,
                            value=("/o.exr", "file/image", 0, True)),
                            Report("success", item_id), Report("failed", item_id),
                            Report("success", 999)])

    shell.on_sleep = reports
    shell.run()
    item = shell.core.book.items[0]
    assert [e.state for e in shell.events(ItemState)] == ["Scheduled", "Cooking",
                                                          "CookedSuccess"]
    assert [f.path for f in item.outputFiles] == ["/o.exr"]
    refused = [w for w in shell.core.warnings if "report" in w]
    assert len(refused) == 2
    assert "already finished" in refused[0] and "unknown work item 999" in refused[1]
    assert shell.status == "succeeded"


def test_expected_outputs_found_on_success_and_verified(tmp_path):
    nodes = [gen("gen", 1, outputs=["/out/{index}.txt"], verify_outputs=True)]
    shell = FakeShell(tmp_path, nodes).run()
    assert shell.of(Exists) == [Exists(("/out/0.txt",))]
    assert shell.states() == {"gen[0]": "CookedFail"}   # verify_outputs: it is not there
    shell = FakeShell(tmp_path, nodes)
    shell.existing = {"/out/0.txt"}
    shell.run()
    assert shell.states() == {"gen[0]": "CookedSuccess"}
    assert [f.path for f in shell.core.book.items[0].outputFiles] == ["/out/0.txt"]


# -- the ledger's own check -------------------------------------------------------------------
def test_validate_finds_a_ledger_that_disagrees_with_the_items(tmp_path):
    shell = FakeShell(tmp_path, _one(2)).run()
    shell.core.validate()
    item = shell.core.book.items[0]
    item.state = S.Waiting      # changed behind the book's back
    with pytest.raises(LedgerError, match="counted"):
        shell.core.validate()
    item.state = S.CookedSuccess


def test_validate_finds_a_cook_that_ended_with_running_items(tmp_path):
    # (only a static cook may end with scheduled items: those behind a failure)
    shell = FakeShell(tmp_path, _one(1)).run()
    item = shell.core.book.items[0]
    shell.core.book.running.add(item)
    with pytest.raises(LedgerError, match="running"):
        shell.core.validate()
    shell.core.book.running.discard(item)


def test_the_core_refuses_an_answer_it_did_not_ask_for(tmp_path):
    shell = FakeShell(tmp_path, _one(1)).run()
    with pytest.raises(RuntimeError, match="asked nothing"):
        shell.core.handle(Answer(None, 0.0))
    assert isinstance(shell.of(Close)[0], Close)


def test_reports_that_came_while_a_callback_hung_are_applied_before_the_cancel(tmp_path):
    # onSchedule reports its items done at once; on the fourth it hangs until the timeout
    # breaks out of it: the three reports wait in the inbox all that time
    def schedule(item):
        if item.index == 3:
            shell.core.handle(CancelRequested("timeout"))  # as the shell feeds the cancel
            raise CancelInterrupt("timeout")
        shell.inbox.append(Report("success", item.id))
        return R.Succeeded
    shell = FakeShell(tmp_path, _one(6), {"onSchedule": schedule}, tick_period=1.0)
    shell.run()
    assert shell.status == "timeout"
    states = shell.states()
    assert [states[f"gen[{i}]"] for i in range(3)] == ["CookedSuccess"] * 3
    assert states["gen[3]"] == "Waiting"  # never left onSchedule: uncooked, not cancelled
    assert not [w for w in shell.core.warnings if "already finished" in w]


def test_a_scheduler_that_did_not_start_cooks_nothing(tmp_path):
    shell = FakeShell(tmp_path, _one(2))
    shell.core = CookCore(shell.spec, shell.graph, shell.params, CookOptions(),
                          type_name="fake", module_file="fake.py",
                          not_started="onStart raised RuntimeError: no")
    shell.run()
    assert shell.status == "failed"
    assert shell.names() == []  # not even onStartCook, nor onStopCook
    assert "did not start (onStart raised RuntimeError: no)" in shell.core.cook_errors[0]
