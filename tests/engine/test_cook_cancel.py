"""Cancelling a cook from another thread, and the timeout: running items are cancelled
through onCancelWorkItems, the cook ends with onStopCook(True)."""
from __future__ import annotations

from tests.engine.cookkit import (
    RECORDER, cook, gen, part, proc, recorder_variant, write_graph)
from tests.polling import wait_for


def _cancel_when(count):
    def during(session):
        wait_for(lambda: session.loop and len(session.scheduler.called("onSchedule")) >= count)
        session.cancel()
    return during


def test_cancel_from_another_thread_cancels_the_running_items(tmp_path):
    graph = write_graph(tmp_path, [gen("a", 2), gen("b", 3), proc("c", "a"), part("d", "b")])
    done = cook(RECORDER, graph, tmp_path, during=_cancel_when(5),
                parameters={"finish": "none"})
    sched = done.scheduler
    assert done.summary["status"] == "cancelled"
    assert done.items == {"total": 8, "succeeded": 0, "failed": 0, "cancelled": 5,
                          "uncooked": 3}
    calls = sched.called("onCancelWorkItems")
    assert [(node.name, [i.name for i in items]) for items, node in calls] == [
        ("a", ["a_1", "a_2"]), ("b", ["b_3", "b_4", "b_5"])]
    assert sched.called("onStopCook") == [(True,)]
    names = sched.names()
    assert names.index("onCancelWorkItems") < names.index("onStopCook")
    assert set(done.states().values()) == {"CookedCancel"}


def test_the_scheduler_sees_the_cancel_in_its_context(tmp_path):
    module = recorder_variant(tmp_path, """
        def onCancelWorkItems(self, work_items, node):
            self.record("onCancelWorkItems", self.context.canceling)
        def onStopCook(self, cancel):
            self.record("onStopCook", cancel, self.context.canceling)
            return True
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 2)]), tmp_path,
                during=_cancel_when(2), parameters={"finish": "none"})
    assert done.scheduler.called("onCancelWorkItems") == [(True,)]
    assert done.scheduler.called("onStopCook") == [(True, True)]


def test_reports_after_the_cancel_are_refused(tmp_path):
    module = recorder_variant(tmp_path, """
        def onCancelWorkItems(self, work_items, node):
            for item in work_items:  # a farm that answers the cancel too late
                self.onWorkItemSucceeded(item.id, -1, 1.0)
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path,
                during=_cancel_when(3), parameters={"finish": "none"})
    assert done.items["cancelled"] == 3 and done.items["succeeded"] == 0
    assert sum("already finished (CookedCancel)" in w for w in done.summary["warnings"]) == 3


def test_cancel_with_nothing_running(tmp_path):
    module = recorder_variant(tmp_path, """
        def onTick(self):
            self.record("onTick")
            return pdg.tickResult.SchedulerBusy
    """)
    def during(session):
        wait_for(lambda: session.loop and session.scheduler.names().count("onTick") >= 3)
        session.cancel()
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path, during=during)
    assert done.summary["status"] == "cancelled"
    assert done.scheduler.called("onCancelWorkItems") == []
    assert done.items["uncooked"] == 3


def test_cancel_during_a_static_cook(tmp_path):
    def during(session):
        wait_for(lambda: session.loop and session.scheduler.called("onScheduleStatic"))
        session.cancel()
    done = cook(RECORDER, "static", tmp_path, static=True, during=during,
                parameters={"finish": "none"})
    assert done.summary["status"] == "cancelled"
    ((items, node),) = [c for c in done.scheduler.called("onCancelWorkItems")
                        if c[1].name == "render"]
    assert len(items) == 6
    assert done.items["cancelled"] == 13


def test_timeout_ends_the_cook_like_a_cancel(tmp_path):
    done = cook(RECORDER, write_graph(tmp_path, [gen("gen", 2)]), tmp_path, timeout_s=0.2,
                parameters={"finish": "none"}, virtual_time=True)
    assert done.summary["status"] == "timeout"
    assert done.items["cancelled"] == 2
    assert done.scheduler.called("onStopCook") == [(True,)]
    assert "cook timeout" in " ".join(done.logs("warning"))


def test_a_cancel_before_the_first_tick_still_ends_cleanly(tmp_path):
    module = recorder_variant(tmp_path, """
        def onStartCook(self, static, cook_set):
            self.record("onStartCook")
            self._pdg_state.loop.request_cancel()
            return True
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 2)]), tmp_path)
    assert done.summary["status"] == "cancelled"
    assert done.scheduler.called("onSchedule") == []
    assert done.scheduler.called("onStopCook") == [(True,)]
