"""The static path: the whole graph goes to onScheduleStatic at once."""
from __future__ import annotations

from tests.engine.cookkit import RECORDER, cook, gen, line_of, recorder_variant, write_graph


def test_static_sample_graph(tmp_path):
    done = cook(RECORDER, "static", tmp_path, static=True)
    sched = done.scheduler
    assert done.summary["status"] == "succeeded"
    assert done.items == {"total": 14, "succeeded": 14, "failed": 0, "cancelled": 0,
                          "uncooked": 0}
    assert sched.called("onStartCook") == [(True, ["render", "process", "gather", "manifest"])]
    assert len(sched.called("onScheduleStatic")) == 1
    assert sched.called("onSchedule") == []
    assert sched.called("onStopCook") == [(False,)]
    assert "onTick" in sched.names()  # ticks go on during a static cook


def test_on_schedule_static_gets_the_dependency_dicts(tmp_path):
    done = cook(RECORDER, "static", tmp_path, static=True)
    ((dependencies, dependents, ready),) = done.scheduler.called("onScheduleStatic")
    name = lambda items: sorted(i.name for i in items)  # noqa: E731
    by_name = {item.name: item for item in dependencies}
    renders = [f"render_{i}" for i in range(1, 7)]
    processes = [f"process_{i}" for i in range(7, 13)]
    # the in-process partition (gather_13) is looked through: manifest needs the processes
    assert sorted(by_name) == sorted(renders + processes + ["manifest_14"])
    for render, process in zip(renders, processes):
        assert dependencies[by_name[render]] == []
        assert name(dependencies[by_name[process]]) == [render]
        assert name(dependents[by_name[render]]) == [process]
        assert name(dependents[by_name[process]]) == ["manifest_14"]
    assert name(dependencies[by_name["manifest_14"]]) == sorted(processes)
    assert dependents[by_name["manifest_14"]] == []
    assert name(ready) == sorted(renders)


def test_every_item_is_scheduled_when_on_schedule_static_returns(tmp_path):
    done = cook(RECORDER, "static", tmp_path, static=True, parameters={"finish": "none"},
                timeout_s=0.5, virtual_time=True)
    assert done.summary["status"] == "timeout"
    # nothing reported: the 13 job items were running and are now cancelled
    assert done.items["cancelled"] == 13 and done.items["uncooked"] == 1


def test_a_static_failure_keeps_the_partition_and_what_follows_uncooked(tmp_path):
    module = recorder_variant(tmp_path, """
        def _run(self, work_item):
            if work_item.name == "process_9":
                self.onWorkItemFailed(work_item.id, -1)
            elif all(d.state == pdg.workItemState.CookedSuccess or d.isInProcess
                     for d in work_item.dependencies):
                Recorder._run(self, work_item)
        def onScheduleStatic(self, dependencies, dependents, ready_items):
            self.record("onScheduleStatic")
            self._start(self._in_order, list(dependencies))
        def _in_order(self, items):
            import time
            for item in sorted(items, key=lambda i: i.id):
                deadline = time.monotonic() + 10
                while any(d.state < pdg.workItemState.CookedSuccess and not d.isInProcess
                          for d in item.dependencies) and time.monotonic() < deadline:
                    time.sleep(0.002)
                self._run(item)
    """)
    done = cook(module, "static", tmp_path, static=True)
    assert done.summary["status"] == "failed"
    assert done.items == {"total": 14, "succeeded": 11, "failed": 1, "cancelled": 0,
                          "uncooked": 2}


def test_a_static_cook_of_a_dynamic_graph_is_a_graph_error(tmp_path):
    done = cook(RECORDER, "wedge", tmp_path, static=True)
    assert done.summary["status"] == "error"
    assert "dynamic" in done.summary["errors"][0]["message"]
    assert done.scheduler.called("onStartCook") == []
    assert done.scheduler.called("onStopCook") == []  # the cook never started


def test_on_schedule_static_that_raises_fails_the_cook(tmp_path):
    module = recorder_variant(tmp_path, """
        def onScheduleStatic(self, dependencies, dependents, ready_items):
            raise RuntimeError("cannot submit")  # STATIC-RAISES
    """)
    graph = write_graph(tmp_path, [gen("gen", 3)])
    done = cook(module, graph, tmp_path, static=True)
    assert done.summary["status"] == "failed"
    error = done.summary["errors"][0]
    assert error["callback"] == "onScheduleStatic"
    assert error["line"] == line_of(module, "STATIC-RAISES")
    assert done.scheduler.called("onStopCook") == [(True,)]


def test_a_module_without_on_schedule_static(tmp_path):
    module = tmp_path / "dynamic_only.py"
    module.write_text(
        "import pdg\nfrom pdg.scheduler import PyScheduler\n\n"
        "class S(PyScheduler):\n"
        "    def onSchedule(self, work_item):\n"
        "        return pdg.scheduleResult.CookSucceeded\n\n"
        "def registerTypes(type_registry):\n"
        "    type_registry.registerScheduler(S)\n")
    done = cook(module, write_graph(tmp_path, [gen("gen", 2)]), tmp_path, static=True)
    assert done.summary["status"] == "failed"
    assert "no onScheduleStatic" in done.summary["errors"][0]["message"]


def test_static_items_get_their_log_and_status_uris(tmp_path):
    done = cook(RECORDER, "static", tmp_path, static=True)
    logged = sorted(item.name for (item,) in done.scheduler.called("getLogURI"))
    status = sorted(item.name for (item,) in done.scheduler.called("getStatusURI"))
    jobs = sorted(f"{node}_{i}" for node, ids in (("render", range(1, 7)),
                                                   ("process", range(7, 13)),
                                                   ("manifest", [14])) for i in ids)
    assert logged == jobs and status == jobs  # every job item, not the in-process one
