"""Failures: failed items stop their dependents, callbacks that raise fail what they were
doing (named with the module line) while the rest cooks, and reports the cook cannot
take are refused and logged."""
from __future__ import annotations

from scheduler_studio.engine.cook.events import ItemState
from scheduler_studio.engine.cook.options import CookOptions
from tests.engine.cookkit import (
    RECORDER, cook, gen, line_of, part, proc, recorder_variant, write_graph)


def _chain(tmp_path, count=4):
    return write_graph(tmp_path, [gen("gen", count), proc("proc", "gen"), part("coll", "proc")])


def test_a_failed_item_never_lets_its_dependents_cook(tmp_path):
    graph = _chain(tmp_path)
    done = cook(RECORDER, graph, tmp_path, parameters={"fail_index": 1})
    sched = done.scheduler
    offered = [item.name for (item,) in sched.called("onSchedule")]
    assert "gen_2" in offered and "proc_6" not in offered  # proc_6 depends on gen_2
    assert done.items == {"total": 9, "succeeded": 6, "failed": 1, "cancelled": 0,
                          "uncooked": 2}  # proc_6 and the partition
    assert done.summary["status"] == "failed"
    states = done.states()
    assert states[2] == "CookedFail" and 6 not in states and 9 not in states


def test_failure_propagates_through_several_levels(tmp_path):
    graph = write_graph(tmp_path, [gen("a", 2), proc("b", "a"), proc("c", "b"), proc("d", "c")])
    done = cook(RECORDER, graph, tmp_path, parameters={"fail_index": 0})
    # index 0 fails at every level it reaches: only a_1 does
    assert done.items == {"total": 8, "succeeded": 4, "failed": 1, "cancelled": 0,
                          "uncooked": 3}


def test_on_schedule_that_raises_fails_the_item_and_names_the_line(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            if work_item.index == 2:
                raise ValueError("no slot for %s" % work_item.name)  # RAISES-HERE
            return pdg.scheduleResult.CookSucceeded
    """)
    done = cook(module, _chain(tmp_path), tmp_path)
    assert done.items == {"total": 9, "succeeded": 6, "failed": 1, "cancelled": 0,
                          "uncooked": 2}
    (error,) = done.summary["errors"]
    assert error == {"callback": "onSchedule", "message": "ValueError: no slot for gen_3",
                     "file": str(module), "line": line_of(module, "RAISES-HERE"), "item": 3,
                     "type": "ValueError"}
    (fail,) = [e for e in done.of_type(ItemState) if e.state == "CookedFail"]
    assert fail.id == 3 and "onSchedule raised ValueError" in fail.cause


def test_the_line_is_the_deepest_one_in_the_module(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            return self._submit(work_item)
        def _submit(self, work_item):
            import json
            return json.loads("{not json")  # DEEPEST
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path)
    (error,) = done.summary["errors"]
    assert error["line"] == line_of(module, "DEEPEST") and error["file"] == str(module)


def test_uri_and_application_bin_callbacks_that_raise_do_not_stop_items(tmp_path):
    module = recorder_variant(tmp_path, """
        def getLogURI(self, work_item):
            raise KeyError("log")  # LOG-URI
        def applicationBin(self, name, work_item):
            raise RuntimeError("no python here")  # APP-BIN
    """)
    graph = write_graph(tmp_path, [gen("gen", 2, command="{python} run.py")])
    done = cook(module, graph, tmp_path)
    assert done.items["succeeded"] == 2
    by_callback = {e["callback"]: e for e in done.summary["errors"]}
    assert by_callback["getLogURI"]["line"] == line_of(module, "LOG-URI")
    assert by_callback["applicationBin"]["line"] == line_of(module, "APP-BIN")
    # PDG's own applicationBin fills the placeholder instead
    assert all(i.command == "__PDG_PYTHON__ run.py" for (i,) in done.scheduler.called("onSchedule"))


def test_on_start_cook_that_raises_fails_the_cook_before_any_item(tmp_path):
    module = recorder_variant(tmp_path, """
        def onStartCook(self, static, cook_set):
            self.record("onStartCook", static, cook_set)
            raise OSError("farm login failed")  # START-COOK
    """)
    done = cook(module, _chain(tmp_path), tmp_path)
    assert done.summary["status"] == "failed"
    assert done.scheduler.called("onSchedule") == []
    assert done.scheduler.called("onStopCook") == [(True,)]
    [error] = done.summary["errors"]   # one error, not again as "onStartCook raised: ..."
    assert error["callback"] == "onStartCook"
    assert error["line"] == line_of(module, "START-COOK")
    assert error["message"] == "OSError: farm login failed"


def test_on_start_cook_returning_false_refuses_the_cook(tmp_path):
    module = recorder_variant(tmp_path, """
        def onStartCook(self, static, cook_set):
            return False
    """)
    done = cook(module, _chain(tmp_path), tmp_path)
    assert done.summary["status"] == "failed"
    assert done.items["total"] == 0 and done.scheduler.called("onSchedule") == []
    assert "refused" in done.summary["errors"][0]["message"]


def test_a_cook_error_from_the_scheduler_fails_a_cook_whose_items_succeeded(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            self.cookError("license server said no")
            self.cookWarning("slow farm")
            return pdg.scheduleResult.CookSucceeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path)
    assert done.summary["status"] == "failed" and done.items["succeeded"] == 1
    assert done.summary["errors"][0]["message"] == "license server said no"
    assert "slow farm" in done.summary["warnings"]


def test_reports_for_unknown_or_finished_items_are_refused_and_logged(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            self.record("onSchedule", work_item)
            if work_item.index == 0:
                self.onWorkItemSucceeded(99999, -1, 1.0)
                self.onWorkItemFailed("nosuch_item", -1)
                self.onWorkItemStartCook(-4)
                self._start(self._late_reports, work_item)
                return pdg.scheduleResult.CookSucceeded
            self._start(self._run, work_item)
            return pdg.scheduleResult.Succeeded
        def _late_reports(self, work_item):
            self.onWorkItemFailed(work_item.id, -1)
            self.onWorkItemSucceeded(work_item.name, -1, 0.0)
            self.onWorkItemStartCook(work_item.id, -1)
            self.onWorkItemAddOutput(work_item.id, -1, "/tmp/late.txt")
    """)
    done = cook(module, _chain(tmp_path, 3), tmp_path)
    assert done.summary["status"] == "succeeded"
    assert done.items == {"total": 7, "succeeded": 7, "failed": 0, "cancelled": 0,
                          "uncooked": 0}
    warnings = done.summary["warnings"]
    assert any("unknown work item 99999" in w for w in warnings)
    assert any("unknown work item 'nosuch_item'" in w for w in warnings)
    assert any("unknown work item -4" in w for w in warnings)
    finished = [w for w in warnings if "gen_1" in w and "already finished" in w]
    assert sorted(w.split()[0] for w in finished) == ["failed", "output", "start", "success"]
    assert set(warnings) <= set(done.logs("warning"))
    assert "/tmp/late.txt" not in done.summary["outputs"]


def test_reports_made_outside_a_cook_are_never_applied_and_do_not_pile_up(tmp_path):
    from scheduler_studio.engine.scheduler.state import LATE_REPORTS_KEPT
    from scheduler_studio.engine.session import CookSession
    with CookSession(str(RECORDER)) as session:
        state = session.scheduler._pdg_state
        session.scheduler.onWorkItemSucceeded(1, -1, 0.0)
        assert [r.kind for r in state.reports_outside_a_cook] == ["success"]
        for _ in range(LATE_REPORTS_KEPT * 5):  # a job thread left over from a cook
            session.scheduler.onWorkItemFailed(2, -1)
        assert len(state.reports_outside_a_cook) == LATE_REPORTS_KEPT
        done = session.cook(_chain(tmp_path, 1).path, CookOptions(workdir=str(tmp_path)))
        assert done["items"]["succeeded"] == done["items"]["total"]  # none applied


def test_a_report_with_a_bad_value_is_refused_and_the_cook_goes_on(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            self.onWorkItemSetIntAttrib(work_item.id, -1, "frames", "many")
            self.onWorkItemSetCookPercent(work_item.id, -1, 50)
            self.onWorkItemAddOutput(work_item.id, -1, "/tmp/x.txt")
            self.onWorkItemSetFloatAttrib(work_item.id, -1, "t", 1.5)
            self.onWorkItemSucceeded(work_item.id, -1, 0.0)
            return pdg.scheduleResult.Succeeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 2)]), tmp_path)
    assert done.summary["status"] == "succeeded" and done.items["succeeded"] == 2
    bad = [w for w in done.summary["warnings"] if "bad value" in w]
    assert len(bad) == 2 and all("attrib report" in w and "'many'" in w for w in bad)
    assert done.summary["outputs"] == ["/tmp/x.txt", "/tmp/x.txt"]


def test_success_for_an_item_whose_dependency_failed_is_refused(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            if work_item.index == 0:
                for item in work_item.dependents:  # "it ran anyway"
                    self.onWorkItemSucceeded(item.id, -1, 0.0)
                return pdg.scheduleResult.CookFailed
            return pdg.scheduleResult.CookSucceeded
    """)
    done = cook(module, _chain(tmp_path, 2), tmp_path)
    assert done.items == {"total": 5, "succeeded": 2, "failed": 1, "cancelled": 0,
                          "uncooked": 2}
    (refused,) = done.summary["warnings"]
    assert refused.startswith("success report refused: proc_3: ")
    assert "an item it depends on did not cook" in refused


def test_a_late_report_from_an_earlier_cook_never_lands_on_a_new_item(tmp_path):
    from scheduler_studio.engine.cook.virtual_time import VirtualClock
    from scheduler_studio.engine.session import CookSession
    from tests.engine.cookkit import options
    module = recorder_variant(tmp_path, """
        late = []
        def onStartCook(self, static, cook_set):
            for item_id in self.late:  # the farm answers for the first cook's items now
                self.onWorkItemFailed(item_id, -1)
            return True
    """)
    graph = _chain(tmp_path, 2)
    with CookSession(str(module)) as session:
        session.scheduler["finish"] = "none"
        first = session.cook(graph, options(tmp_path, tick_period=0.001, timeout_s=0.3),
                             virtual=VirtualClock())  # nothing reports: a virtual timeout
        session.scheduler.late = [i.id for (i,) in session.scheduler.called("onSchedule")]
        session.scheduler["finish"] = "inline"
        second = session.cook(graph, options(tmp_path, tick_period=0.001))
    assert first["status"] == "timeout" and session.scheduler.late == [1, 2]
    assert second["status"] == "succeeded" and second["items"]["succeeded"] == 5
    assert second["warnings"] == ["failed report for unknown work item 1",
                                  "failed report for unknown work item 2"]


def test_sys_exit_and_cook_error_in_a_callback_fail_only_the_item(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            if work_item.index == 0:
                import sys
                sys.exit(3)
            if work_item.index == 1:
                raise pdg.CookError("quota exceeded")
            return pdg.scheduleResult.CookSucceeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path)
    assert done.items == {"total": 3, "succeeded": 1, "failed": 2, "cancelled": 0,
                          "uncooked": 0}
    assert [e["message"] for e in done.summary["errors"]] == ["SystemExit: 3",
                                                               "CookError: quota exceeded"]
