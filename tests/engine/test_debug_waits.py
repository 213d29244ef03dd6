"""A paused cook waits properly: job reports are held and applied when it goes on, the
cook timeout and the watchdog do not run during the pause, and Cancel ends the paused
cook and every process it started."""
from __future__ import annotations

import ast
import time

import psutil
import pytest

from scheduler_studio.engine.cook.events import (CallbackSlow, ItemAdded, ItemDetails, ItemState,
                                                 LogMessage)
from scheduler_studio.engine.debug.breakpoints import Breakpoint
from tests.engine import debugkit
from tests.engine.cookkit import LOCAL
from tests.engine.debugkit import DEBUGGEE, DebuggedHost, at, four_items, line_of
from tests.polling import wait_for


@pytest.fixture(autouse=True)
def _hosts_end():
    yield
    debugkit.end_all()


def _held(host: DebuggedHost, method: str) -> list[str]:
    return [e.message for e in host.run.events if isinstance(e, LogMessage)
            and e.message.startswith("held until the cook goes on: " + method)]


def test_reports_that_arrive_while_paused_are_applied_after_continue(tmp_path):
    on_schedule = line_of(LOCAL, "if not self._enqueue(work_item):")
    host = DebuggedHost(LOCAL, "frames", tmp_path,
                        [Breakpoint(str(LOCAL), on_schedule, hit_count=2)])
    host.paused()
    # the first item's job runs while the cook is paused and reports its attribute
    held = wait_for(lambda: _held(host, "set_float_attrib"), 60, "a held report")
    ref = ast.literal_eval(held[0].split("(", 1)[1].split(",", 1)[0])  # an id or a name
    first = next(e.id for e in host.run.events if isinstance(e, ItemAdded) and ref in (e.id, e.name))
    finished = [e for e in host.run.events if isinstance(e, ItemState) and e.id == first
                and e.state == "CookedSuccess"]
    assert finished == []                               # nothing applied during the pause
    host.send("breakpoints", breakpoints=[])
    host.resume()
    summary = host.finish()
    assert summary["status"] == "succeeded" and summary["items"]["succeeded"] == 41
    details = [e for e in host.run.events if isinstance(e, ItemDetails) and e.id == first]
    assert "render_seconds" in details[-1].attributes   # the held report, applied


def test_the_timeout_and_the_watchdog_stand_still_while_paused(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at("BP-START")],
                        timeout=1.0)
    host.paused()
    time.sleep(1.6)            # longer than the cook's timeout and the slow-call report
    host.resume()
    summary = host.finish()
    assert summary["status"] == "succeeded"
    assert [e for e in host.run.events if isinstance(e, CallbackSlow)] == []


def test_cancel_while_paused_ends_the_cook_and_every_process(tmp_path):
    host = DebuggedHost(DEBUGGEE, four_items(tmp_path), tmp_path, [at("BP-RETURN")],
                        parms={"spawn": "1"})
    host.paused()
    pids_file = tmp_path / "work" / "spawned-pids.txt"
    spawned = [int(p) for p in wait_for(lambda: pids_file.is_file() and
                                        pids_file.read_text().split(), 30)]
    processes = [psutil.Process(host.run.proc.pid)] + [psutil.Process(p) for p in spawned]
    assert all(p.is_running() for p in processes)
    host.run.stop()
    assert host.run.summary["status"] == "cancelled"
    stops = [e for e in host.run.events if getattr(e, "name", "") == "onStopCook"]
    assert [e.args for e in stops] == ["True"]
    _, alive = psutil.wait_procs(processes, timeout=10)
    assert [p.pid for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []


def test_a_debugged_cook_still_times_out_and_cancels_inside_a_hung_callback(tmp_path):
    import uuid
    hang = debugkit.SCHEDULERS / "hang.py"
    marker = f"schedstudio-test-{uuid.uuid4().hex}"
    timed = DebuggedHost(hang, "frames", tmp_path / "a", timeout=1.0, parms={"marker": marker})
    summary = timed.finish()
    assert summary["status"] == "timeout"
    # the hung callback is named (where it was), not reported as an error it raised
    assert [(e["callback"], "still running" in e["message"]) for e in summary["errors"]
            if e.get("callback")] == [("onSchedule", True)]
    cancelled = DebuggedHost(hang, "frames", tmp_path / "b", parms={"marker": marker})
    wait_for(lambda: any(isinstance(e, CallbackSlow) for e in cancelled.run.events), 30)
    cancelled.run.stop()
    assert cancelled.run.summary["status"] == "cancelled"
    assert [(e["callback"], "when the cook was cancelled" in e["message"])
            for e in cancelled.run.summary["errors"] if e.get("callback")] == [
        ("onSchedule", True)]
