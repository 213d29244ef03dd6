"""The cook host stops in user code: breakpoints in each kind of callback and in a
helper, conditions and hit counts, steps across a helper call, expressions evaluated in
the paused frame, post-mortem at a raise, driven over the wire as the window does."""
from __future__ import annotations

from scheduler_studio.engine.cook.events import CallbackCalled, CookFinished
from scheduler_studio.engine.debug.breakpoints import Breakpoint
import pytest

from tests.engine import debugkit
from tests.engine.debugkit import DEBUGGEE, DebuggedHost, at, four_items, marked, variable, where


@pytest.fixture(autouse=True)
def _hosts_end():
    """A failed test still ends the hosts it started."""
    yield
    debugkit.end_all()


def test_a_breakpoint_in_onschedule_stops_with_the_work_item_in_locals(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at("BP-SCHEDULE")])
    paused = host.paused()
    assert paused.reason == "breakpoint" and paused.callback == "onSchedule"
    assert where(paused) == ("onSchedule", marked("BP-SCHEDULE"))
    assert paused.stack[paused.frame]["file"] == str(DEBUGGEE) and paused.stack[0]["user"]
    assert paused.stack[-1].get("folded", 0) > 0           # the engine below, folded
    names = [node["name"] for node in paused.variables]
    assert names[:2] == ["self", "work_item"]
    item = variable(paused.variables, "work_item")
    shown = {child["name"]: child for child in item["children"]}
    assert shown["name"]["repr"].startswith("'gen_")
    assert {"command", "attributes", "outputFiles", "expectedOutputFiles", "state"} <= set(shown)
    scheduler = {c["name"]: c for c in variable(paused.variables, "self")["children"]}
    assert scheduler["parameters"]["expandable"]
    host.resume("detach")
    summary = host.finish()
    assert summary["status"] == "succeeded" and summary["items"]["succeeded"] == 4


def test_breakpoints_in_onstartcook_ontick_and_a_helper(tmp_path):
    marks = ("BP-START", "BP-TICK", "BP-HELPER")
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at(m) for m in marks])
    stops = []
    for _ in range(3):
        paused = host.paused()
        stops.append((paused.callback, where(paused)))
        # stop each place once: drop the breakpoint just hit
        marks = tuple(m for m in marks if marked(m) != where(paused)[1])
        host.send("breakpoints", breakpoints=[at(m).to_dict() for m in marks])
        host.resume()
    assert stops[0] == ("onStartCook", ("onStartCook", marked("BP-START")))
    assert stops[1] == ("onTick", ("onTick", marked("BP-TICK")))
    assert stops[2] == ("onSchedule", ("_label", marked("BP-HELPER")))
    summary = host.finish()
    assert summary["status"] == "succeeded" and len(host.pauses()) == 3


def test_a_conditional_breakpoint_stops_only_where_it_holds(tmp_path):
    bp = at("BP-SCHEDULE", condition="work_item.index == 2")
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [bp])
    paused = host.paused()
    assert host.evaluate("work_item.index", paused.frame).text == "2"
    host.resume()
    summary = host.finish()
    assert summary["status"] == "succeeded" and len(host.pauses()) == 1


def test_a_hit_count_stops_from_the_nth_time_on(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path,
                        [at("BP-AFTER-HELPER", hit_count=3)])
    paused = host.paused()
    assert host.evaluate("len(self.seen)", paused.frame).text == "2"   # the third call
    host.resume()
    assert host.evaluate("len(self.seen)", host.paused().frame).text == "3"
    host.resume()
    assert host.finish()["status"] == "succeeded" and len(host.pauses()) == 2


def test_step_into_over_and_out_across_a_helper_call(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at("BP-SCHEDULE")])
    host.paused()
    host.send("breakpoints", breakpoints=[])            # from here on: steps only
    host.resume("step_into")
    inside = host.paused()
    assert inside.reason == "step" and where(inside) == ("_label", marked("BP-HELPER"))
    assert [f["function"] for f in inside.stack if f["user"]] == ["_label", "onSchedule"]
    host.resume("step_over")
    assert where(host.paused()) == ("_label", marked("BP-HELPER-RETURN"))
    host.resume("step_out")
    assert where(host.paused()) == ("onSchedule", marked("BP-AFTER-HELPER"))
    host.resume("step_over")
    after = host.paused()
    assert where(after)[0] == "onSchedule" and where(after)[1] > marked("BP-AFTER-HELPER")
    # stepping over the helper call itself does not go into it
    host.send("breakpoints", breakpoints=[at("BP-SCHEDULE").to_dict()])
    host.resume()
    host.paused()
    host.send("breakpoints", breakpoints=[])
    host.resume("step_over")
    assert where(host.paused()) == ("onSchedule", marked("BP-AFTER-HELPER"))
    host.resume("detach")
    assert host.finish()["status"] == "succeeded"


def test_stepping_out_of_a_callback_goes_on_in_the_next_one(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at("BP-RETURN")])
    first = host.paused()
    host.send("breakpoints", breakpoints=[])
    host.resume("step_out")
    following = host.paused()
    assert following.reason == "step" and following.stack[0]["user"]
    assert (following.callback, following.item) != (first.callback, first.item)
    host.resume("detach")
    assert host.finish()["status"] == "succeeded"


def test_expressions_are_evaluated_in_the_chosen_frame(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at("BP-HELPER-RETURN")])
    paused = host.paused()
    helper, caller = paused.frame, paused.frame + 1
    assert host.evaluate("prefix", helper).text == "'item'"
    missing = host.evaluate("label", caller)            # not assigned yet
    assert not missing.ok and "NameError" in missing.text
    assert host.evaluate("self['colour'].evaluateString()", caller).text == "'teal'"
    assert host.evaluate("work_item.name", caller).text.startswith("'gen_")
    assert host.evaluate("1/0", caller).text.startswith("ZeroDivisionError")
    frame = host.frame(caller)
    assert [n["name"] for n in frame.variables][:2] == ["self", "work_item"]
    value = host.evaluate("{'a': [1, 2]}", caller)
    assert value.ok and [c["name"] for c in value.children] == ["'a'"]
    host.resume("detach")
    assert host.finish()["status"] == "succeeded"


def test_post_mortem_pauses_where_a_callback_raised(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, post_mortem=True,
                        parms={"raise_index": "1"})
    paused = host.paused()
    assert paused.reason == "exception" and "farm unreachable" in paused.message
    assert where(paused) == ("onSchedule", marked("BP-RAISE"))
    assert host.evaluate("work_item.index", paused.frame).text == "1"
    host.resume()
    summary = host.finish()
    assert summary["status"] == "failed"
    assert [e["line"] for e in summary["errors"]] == [marked("BP-RAISE")]
    raised = [e for e in host.run.events if isinstance(e, CallbackCalled) and e.error]
    assert len(raised) == 1 and len(host.pauses()) == 1


def test_breakpoint_in_the_module_stops_there(tmp_path):
    module = tmp_path / "calls_breakpoint.py"
    module.write_text(DEBUGGEE.read_text().replace(
        "        self.seen = []  # BP-START",
        "        self.seen = []  # BP-START\n        breakpoint()\n        marker = 1  # AFTER"))
    host = DebuggedHost(module, four_items(tmp_path), tmp_path)
    paused = host.paused()
    assert paused.reason == "breakpoint()" and paused.callback == "onStartCook"
    assert where(paused) == ("onStartCook", marked("# AFTER", module))
    host.resume()
    assert host.finish()["status"] == "succeeded"


def test_a_bad_command_is_refused_and_the_cook_goes_on(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at("BP-START")])
    host.paused()
    host.run.proc.stdin.write('{"v": 1, "cmd": "exec", "code": "import os"}\nnot json\n')
    host.run.proc.stdin.flush()
    host.resume()
    summary = host.finish()
    assert summary["status"] == "succeeded"
    refused = [e.message for e in host.run.events if getattr(e, "source", "") == "debugger"]
    assert any("unknown command 'exec'" in m for m in refused)
    assert any("not JSON" in m for m in refused)


def test_no_debugger_means_breakpoint_is_passed_over(tmp_path):
    from scheduler_studio.engine.cli.hostrun import HostRun
    from scheduler_studio.engine.hostclient import host_command
    module = tmp_path / "calls_breakpoint.py"
    module.write_text(DEBUGGEE.read_text().replace(
        "        self.seen = []  # BP-START", "        self.seen = []\n        breakpoint()"))
    run = HostRun(host_command(str(module), four_items(tmp_path),
                               workdir=str(tmp_path / "w"), tick_period=0.01))
    assert run.wait(60) is None and run.summary["status"] == "succeeded"
    assert any("breakpoint() at" in getattr(e, "message", "") for e in run.events)
    assert isinstance(run.events[-1], CookFinished)


def test_a_breakpoint_on_a_comment_line_stops_at_the_next_statement(tmp_path):
    module = tmp_path / "commented.py"
    module.write_text(DEBUGGEE.read_text().replace(
        "        prefix = \"item\"  # BP-HELPER",
        "        # COMMENT\n\n        prefix = \"item\"  # BP-HELPER"))
    host = DebuggedHost(module, four_items(tmp_path), tmp_path,
                        [Breakpoint(str(module), marked("# COMMENT", module))])
    assert where(host.paused()) == ("_label", marked("BP-HELPER", module))
    host.resume("detach")
    assert host.finish()["status"] == "succeeded"


def test_run_to_a_line_stops_there_once(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at("BP-START")])
    host.paused()
    host.send("breakpoints", breakpoints=[])
    host.resume("run_to", file=str(DEBUGGEE), line=marked("BP-HELPER"))
    reached = host.paused()
    assert reached.reason == "breakpoint" and where(reached) == ("_label", marked("BP-HELPER"))
    host.resume()
    summary = host.finish()
    assert summary["status"] == "succeeded" and len(host.pauses()) == 2   # it was one-time
