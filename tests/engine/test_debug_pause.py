"""Pause: the window's Pause button stops a running cook at the next line of user code —
inside a callback that loops for ever, or, between callbacks, at the next one's first
line — driven over the wire as the window does."""
from __future__ import annotations

import time

import pytest

from scheduler_studio.engine.cook.events import CallbackCalled, CallbackSlow
from tests.engine import debugkit
from tests.engine.cookkit import line_of, recorder_variant
from tests.engine.debugkit import DebuggedHost, four_items, where

SPINNER = """
spins = 0
def onSchedule(self, work_item):
    while True:                       # SPIN-LOOP
        self.spins += 1               # SPIN-BODY
        if self.spins < 0:
            break
    return pdg.scheduleResult.CookSucceeded
"""

WAITER = """
def onTick(self):
    self.record("onTick")             # TICK-FIRST
    return pdg.tickResult.SchedulerBusy
"""


@pytest.fixture(autouse=True)
def _hosts_end():
    yield
    debugkit.end_all()


def _wait_for_callback(host: DebuggedHost, name: str) -> None:
    """Until the host said `name` started (its trace event) or ran once."""
    deadline = time.monotonic() + 30
    while not any(isinstance(e, CallbackCalled) and e.name == name for e in host.run.events):
        assert time.monotonic() < deadline, f"{name} never ran"
        time.sleep(0.05)


def test_pause_stops_a_callback_that_loops_for_ever_inside_its_loop(tmp_path):
    module = recorder_variant(tmp_path, SPINNER)
    host = DebuggedHost(module, four_items(tmp_path), tmp_path)
    _wait_for_callback(host, "onStartCook")
    time.sleep(0.5)                                    # onSchedule is spinning by now
    host.send("pause")
    paused = host.paused(timeout=20)
    assert paused.reason == "pause" and paused.callback == "onSchedule"
    function, line = where(paused)
    assert function == "onSchedule"
    assert line in (line_of(module, "SPIN-LOOP"), line_of(module, "SPIN-BODY"),
                    line_of(module, "SPIN-BODY") + 1)
    spins = host.evaluate("self.spins", paused.frame)
    assert spins.ok and int(spins.text) > 0
    host.evaluate("self.spins = -10**9", paused.frame)   # break out of the loop from here
    host.resume("detach")
    summary = host.finish()
    assert summary["status"] == "succeeded"


def test_pause_between_callbacks_stops_at_the_next_ones_first_line(tmp_path):
    module = recorder_variant(tmp_path, WAITER)
    host = DebuggedHost(module, four_items(tmp_path), tmp_path, tick_period=0.2,
                        timeout=60)
    _wait_for_callback(host, "onTick")                  # busy for ever: the loop waits
    host.send("pause")
    paused = host.paused(timeout=20)
    assert paused.reason == "pause" and paused.callback == "onTick"
    assert where(paused) == ("onTick", line_of(module, "TICK-FIRST"))
    host.resume("continue")
    host.send("pause")                                  # a second pause, after continuing
    again = host.paused(timeout=20)
    assert again.reason == "pause" and where(again)[0] == "onTick"
    host.run.stop(grace_s=5.0)                          # cancel while paused
    assert host.run.summary["status"] == "cancelled"


def test_pause_while_paused_is_ignored(tmp_path):
    module = recorder_variant(tmp_path, SPINNER)
    host = DebuggedHost(module, four_items(tmp_path), tmp_path)
    _wait_for_callback(host, "onStartCook")
    time.sleep(0.3)
    host.send("pause")
    first = host.paused(timeout=20)
    host.send("pause")
    host.send("pause")
    value = host.evaluate("self.spins", first.frame)    # still the same pause, answering
    assert value.ok and len(host.pauses()) == 1
    host.evaluate("self.spins = -10**9", first.frame)
    host.resume("detach")
    assert host.finish()["status"] == "succeeded"


QUIET = """
def onTick(self):
    self.record("onTick")             # QUIET-TICK
    return pdg.tickResult.SchedulerBusy
"""


def test_a_pause_withdrawn_before_the_next_callback_does_not_stop_the_cook(tmp_path):
    """Between callbacks a pause waits for the next one (here 2.5 s away): the user who
    takes it back is not stopped there; a later pause still works."""
    module = recorder_variant(tmp_path, QUIET)
    host = DebuggedHost(module, four_items(tmp_path), tmp_path, tick_period=2.5,
                        timeout=60)
    _wait_for_callback(host, "onTick")
    ticks = sum(isinstance(e, CallbackCalled) and e.name == "onTick" for e in host.run.events)
    host.send("pause")
    time.sleep(0.3)
    host.send("unpause")
    deadline = time.monotonic() + 30
    while sum(isinstance(e, CallbackCalled) and e.name == "onTick"
              for e in host.run.events) < ticks + 2:
        assert time.monotonic() < deadline, "onTick stopped being called"
        time.sleep(0.05)
    assert host.pauses() == []                          # two ticks went by, unstopped
    host.send("pause")
    paused = host.paused(timeout=20)
    assert paused.reason == "pause" and where(paused) == ("onTick", line_of(module, "QUIET-TICK"))
    host.run.stop(grace_s=5.0)
    assert host.run.summary["status"] == "cancelled"


SLEEPER = """
def onSchedule(self, work_item):
    import time
    if work_item.index == 2:
        time.sleep(1000)              # SLEEPS
    return pdg.scheduleResult.CookSucceeded
"""


def test_a_pause_asked_of_a_call_blocked_in_c_then_a_cancel_ends_with_the_diagnosis(tmp_path):
    """The pause cannot stop a call blocked in time.sleep (no next line comes); the
    cancel then must end the cook as a plain cancel does (the call named at its line,
    onStopCook and onStop run), not stop in the debugger's own code while it detaches."""
    module = recorder_variant(tmp_path, SLEEPER)
    host = DebuggedHost(module, four_items(tmp_path), tmp_path, timeout=120)
    deadline = time.monotonic() + 30
    while not any(isinstance(e, CallbackSlow) for e in host.run.events):
        assert time.monotonic() < deadline, "the sleeping call was never reported slow"
        time.sleep(0.05)
    host.send("pause")
    time.sleep(0.5)
    host.run.stop(grace_s=10.0)                       # Cancel
    summary = host.run.summary
    assert summary is not None, "the host ended without a summary"
    assert summary["status"] == "cancelled"
    error = next(e for e in summary["errors"] if e.get("callback") == "onSchedule")
    assert error["line"] == line_of(module, "SLEEPS")
    assert summary["callbacks"].get("onStopCook") == 1 and summary["callbacks"].get("onStop") == 1
