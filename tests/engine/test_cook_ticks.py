"""Ticks throttle scheduling: onTick every pdg_tickperiod decides whether scheduling may
happen, and at most pdg_maxitems items go to onSchedule between two ticks — with the
values the scheduler sets, whenever it sets them.

Every cook here runs on virtual time (`cook.virtual_time`): its callbacks finish their
own items, so the clock can jump from tick to tick — a one-minute tick period and a
cook timeout are exact, whatever the machine's load, and take no time."""
from __future__ import annotations

import functools

from tests.engine import cookkit
from tests.engine.cookkit import gen, line_of, recorder_variant, split_by_tick, write_graph

cook = functools.partial(cookkit.cook, virtual_time=True)

INLINE = """
def onSchedule(self, work_item):
    self.record("onSchedule", work_item)
    return pdg.scheduleResult.CookSucceeded
"""


def _graph(tmp_path, count):
    return write_graph(tmp_path, [gen("gen", count)])


def test_max_items_set_in_on_start_cook_bounds_offers_per_tick(tmp_path):
    module = recorder_variant(tmp_path, INLINE + """
def onStartCook(self, static, cook_set):
    self["pdg_tickperiod"] = 0.001
    self["pdg_maxitems"] = 4
    return True
""")
    done = cook(module, _graph(tmp_path, 25), tmp_path, tick_period=None)
    counts = split_by_tick(done.scheduler.names())
    assert [c for c in counts if c] == [4] * 6 + [1]
    assert done.items["succeeded"] == 25


def test_max_items_set_in_on_tick_applies_to_that_tick(tmp_path):
    module = recorder_variant(tmp_path, INLINE + """
def onTick(self):
    self.record("onTick")
    self["pdg_maxitems"] = self.names().count("onTick")
    return pdg.tickResult.SchedulerReady
""")
    done = cook(module, _graph(tmp_path, 10), tmp_path)
    assert split_by_tick(done.scheduler.names()) == [1, 2, 3, 4]


def test_the_default_max_items_is_30(tmp_path):
    module = recorder_variant(tmp_path, INLINE)
    done = cook(module, _graph(tmp_path, 70), tmp_path)
    assert split_by_tick(done.scheduler.names()) == [30, 30, 10]


def test_per_cook_overrides_win_over_the_module(tmp_path):
    module = recorder_variant(tmp_path, INLINE + """
def onStartCook(self, static, cook_set):
    self["pdg_maxitems"] = 4
    self["pdg_tickperiod"] = 120.0
    return True
""")
    done = cook(module, _graph(tmp_path, 6), tmp_path, tick_period=0.001, max_items=2,
                timeout_s=20)
    assert done.summary["status"] == "succeeded"
    assert split_by_tick(done.scheduler.names()) == [2, 2, 2]


def test_a_tick_period_set_in_on_start_cook_is_honoured(tmp_path):
    # a one-minute tick: within the cook's 0.8 s only the first tick can happen
    # (the default 0.5 s would have ticked twice); 0.8 s of the cook's time, not ours
    module = recorder_variant(tmp_path, INLINE + """
def onStartCook(self, static, cook_set):
    self["pdg_tickperiod"] = 60.0
    self["pdg_maxitems"] = 1
    return True
""")
    done = cook(module, _graph(tmp_path, 3), tmp_path, tick_period=None, timeout_s=0.8)
    assert done.summary["status"] == "timeout"
    assert split_by_tick(done.scheduler.names()) == [1]
    assert done.clock.now() >= 0.8 and done.clock.waited < 60.0


def test_ticks_come_exactly_one_tick_period_apart(tmp_path):
    # a 1-minute tick and a cook that needs three of them: three minutes of cook time
    module = recorder_variant(tmp_path, INLINE + """
def onStartCook(self, static, cook_set):
    self["pdg_tickperiod"] = 60.0
    self["pdg_maxitems"] = 1
    return True
""")
    done = cook(module, _graph(tmp_path, 3), tmp_path, tick_period=None, timeout_s=600)
    assert done.summary["status"] == "succeeded"
    assert split_by_tick(done.scheduler.names()) == [1, 1, 1]
    assert done.clock.waited == 120.0  # two waits of a full tick between three ticks


def test_a_tick_period_shortened_during_the_cook_takes_effect_at_once(tmp_path):
    # the cook starts with a one-minute tick; the first onSchedule shortens it
    module = recorder_variant(tmp_path, INLINE.replace(
        'self.record("onSchedule", work_item)',
        'self.record("onSchedule", work_item)\n    self["pdg_tickperiod"] = 0.001') + """
def onStartCook(self, static, cook_set):
    self["pdg_tickperiod"] = 60.0
    self["pdg_maxitems"] = 1
    return True
""")
    done = cook(module, _graph(tmp_path, 3), tmp_path, tick_period=None, timeout_s=10)
    assert done.summary["status"] == "succeeded"
    assert split_by_tick(done.scheduler.names()) == [1, 1, 1]


def test_scheduler_busy_means_no_on_schedule_that_tick(tmp_path):
    module = recorder_variant(tmp_path, INLINE + """
def onStartCook(self, static, cook_set):
    self["pdg_maxitems"] = 2
    return True
def onTick(self):
    self.record("onTick")
    if self.names().count("onTick") in (2, 3, 5):
        return pdg.tickResult.SchedulerBusy
    return pdg.tickResult.SchedulerReady
""")
    done = cook(module, _graph(tmp_path, 7), tmp_path)
    assert split_by_tick(done.scheduler.names()) == [2, 0, 0, 2, 0, 2, 1]
    assert done.summary["status"] == "succeeded"


def test_none_from_on_tick_means_ready(tmp_path):
    module = recorder_variant(tmp_path, INLINE + """
def onTick(self):
    self.record("onTick")
""")
    done = cook(module, _graph(tmp_path, 3), tmp_path)
    assert done.summary["status"] == "succeeded" and done.summary["errors"] == []


def test_scheduler_cancel_cook_cancels_the_cook(tmp_path):
    module = recorder_variant(tmp_path, """
def onStartCook(self, static, cook_set):
    self.record("onStartCook", static, cook_set)
    self["pdg_maxitems"] = 2
    return True
def onTick(self):
    self.record("onTick")
    if self.names().count("onTick") == 3:
        return pdg.tickResult.SchedulerCancelCook
    return pdg.tickResult.SchedulerReady
def onSchedule(self, work_item):
    self.record("onSchedule", work_item)
    if work_item.index % 2:  # odd items stay running: the cancel must end them
        return pdg.scheduleResult.Succeeded
    return pdg.scheduleResult.CookSucceeded
""")
    done = cook(module, _graph(tmp_path, 8), tmp_path)
    sched = done.scheduler
    assert done.summary["status"] == "cancelled"
    assert split_by_tick(sched.names()) == [2, 2, 0]
    assert done.items == {"total": 8, "succeeded": 2, "failed": 0, "cancelled": 2,
                          "uncooked": 4}
    ((items, node),) = sched.called("onCancelWorkItems")
    assert [i.index for i in items] == [1, 3] and node.name == "gen"
    assert sched.called("onStopCook") == [(True,)]


def test_on_tick_that_raises_stops_the_cook_with_the_line(tmp_path):
    module = recorder_variant(tmp_path, INLINE + """
def onStartCook(self, static, cook_set):
    self["pdg_maxitems"] = 1
    return True
def onTick(self):
    if self.names().count("onSchedule") == 2:
        raise RuntimeError("farm unreachable")  # TICK-RAISES
    return pdg.tickResult.SchedulerReady
""")
    done = cook(module, _graph(tmp_path, 5), tmp_path)
    assert done.summary["status"] == "failed"
    assert done.items["succeeded"] == 2 and done.items["uncooked"] == 3
    (error,) = [e for e in done.summary["errors"] if e["callback"] == "onTick"]
    assert error["line"] == line_of(module, "TICK-RAISES") and "farm unreachable" in error["message"]
    assert done.scheduler.called("onStopCook") == [(True,)]


def test_a_wrong_value_from_on_tick_is_reported_once_per_tick(tmp_path):
    module = recorder_variant(tmp_path, INLINE + """
def onTick(self):
    self.record("onTick")
    return pdg.scheduleResult.Succeeded
""")
    done = cook(module, _graph(tmp_path, 2), tmp_path)
    assert done.summary["errors"] and all(e["callback"] == "onTick" for e in done.summary["errors"])
    assert done.items["succeeded"] == 2


def test_items_finished_by_reports_while_the_scheduler_is_busy_end_the_cook(tmp_path):
    # one onSchedule call reports every item done; onTick then says busy for ever
    module = recorder_variant(tmp_path, """
def onSchedule(self, work_item):
    self.record("onSchedule", work_item)
    for item in work_item.node.workItems:
        self.onWorkItemSucceeded(item.id, -1, 0.0)
    return pdg.scheduleResult.Succeeded
def onStartCook(self, static, cook_set):
    self["pdg_maxitems"] = 1
    return True
def onTick(self):
    self.record("onTick")
    if self.called("onSchedule"):
        return pdg.tickResult.SchedulerBusy
    return pdg.tickResult.SchedulerReady
""")
    done = cook(module, _graph(tmp_path, 4), tmp_path, timeout_s=5)
    assert done.summary["status"] == "succeeded"
    assert len(done.scheduler.called("onSchedule")) == 1


def test_throttles_that_are_not_numbers_fall_back_to_the_defaults(tmp_path):
    module = recorder_variant(tmp_path, INLINE + """
def onStartCook(self, static, cook_set):
    self["pdg_maxitems"] = "lots"
    self["pdg_tickperiod"] = "fast"
    return True
""")
    done = cook(module, _graph(tmp_path, 3), tmp_path, tick_period=None)
    assert done.summary["status"] == "succeeded"
    assert done.summary["warnings"] == [
        "pdg_tickperiod is 'fast', not a number: using 0.5",
        "pdg_maxitems is 'lots', not a number: using 30"]
