"""Graph shapes through the cook loop: dynamic generation (the wedge sample),
partitions, thread reports at scale, and items that cannot be generated."""
from __future__ import annotations

import os

from scheduler_studio.engine.cook.events import ItemAdded, ItemDetails, ItemState
from tests.engine.cookkit import RECORDER, cook, gen, part, recorder_variant, write_graph


def test_wedge_sample_generates_dynamic_items_from_what_each_item_produced(tmp_path):
    done = cook(RECORDER, "wedge", tmp_path)
    assert done.summary["status"] == "succeeded"
    assert done.items == {"total": 18, "succeeded": 18, "failed": 0, "cancelled": 0,
                          "uncooked": 0}
    added = {e.id: e for e in done.of_type(ItemAdded)}
    measure = [e for e in added.values() if e.node == "measure"]
    assert len(measure) == 8 and not any(e.static for e in measure)
    # each measure item appears only once its own sim item succeeded
    order = [(type(e).__name__, e.id, getattr(e, "state", "")) for e in done.events
             if isinstance(e, (ItemAdded, ItemState))]
    items = {i.id: i for (i,) in done.scheduler.called("onSchedule")}
    for event in measure:
        (sim,) = items[event.id].dependencies
        assert order.index(("ItemState", sim.id, "CookedSuccess")) < \
            order.index(("ItemAdded", event.id, "Waiting"))


def test_dynamic_items_take_their_inputs_and_attributes_from_the_upstream_item(tmp_path):
    done = cook(RECORDER, "wedge", tmp_path)
    offered = {i.name: i for (i,) in done.scheduler.called("onSchedule")}
    measures = [i for i in offered.values() if i.node.name == "measure"]
    for item in measures:
        (sim,) = item.dependencies
        assert [f.path for f in item.inputFiles] == [f.path for f in sim.outputFiles]
        assert item.attribValue("variant") == sim.attribValue("variant")
        assert item.attribValue("seed") == sim.attribValue("seed")
        assert f"--in {sim.outputFiles[0].path}" in item.command
    sims = sorted((i for i in offered.values() if i.node.name == "sim"), key=lambda i: i.index)
    assert [i.attribValue("variant") for i in sims] == ["soft", "hard"] * 4
    assert sims[0].attribValue("seed") == 0.0 and sims[-1].attribValue("seed") == 1.0


def test_partition_by_attribute_waits_for_its_whole_group(tmp_path):
    done = cook(RECORDER, "wedge", tmp_path)
    added = [e for e in done.of_type(ItemAdded) if e.node == "by_variant"]
    assert len(added) == 2 and all(e.in_process for e in added)
    offered = [i.node.name for (i,) in done.scheduler.called("onSchedule")]
    assert "by_variant" not in offered  # partitions never go to the scheduler
    partitions = [d for (i,) in done.scheduler.called("onSchedule") for d in i.dependents
                  if d.node.name == "by_variant"]
    groups = {p.attribValue("variant"): sorted(d.index for d in p.dependencies)
              for p in partitions}
    assert groups == {"soft": [0, 2, 4, 6], "hard": [1, 3, 5, 7]}
    for p in set(partitions):
        assert len(p.outputFiles) == 4  # the files of the items it gathered


def test_a_partition_cooks_only_after_every_member(tmp_path):
    graph = write_graph(tmp_path, [gen("gen", 5), part("all", "gen")])
    done = cook(RECORDER, graph, tmp_path)
    states = [(e.id, e.state) for e in done.of_type(ItemState)]
    partition_done = states.index((6, "CookedSuccess"))
    members = [states.index((i, "CookedSuccess")) for i in range(1, 6)]
    assert max(members) < partition_done


def test_a_partition_with_a_failed_member_never_cooks(tmp_path):
    graph = write_graph(tmp_path, [gen("gen", 5), part("all", "gen")])
    done = cook(RECORDER, graph, tmp_path, parameters={"fail_index": 3})
    assert done.items == {"total": 6, "succeeded": 4, "failed": 1, "cancelled": 0,
                          "uncooked": 1}


def test_priority_orders_the_offers(tmp_path):
    graph = write_graph(tmp_path, [gen("gen", 6, priority="index")])
    done = cook(RECORDER, graph, tmp_path, parameters={"finish": "inline"})
    assert [i.index for (i,) in done.scheduler.called("onSchedule")] == [5, 4, 3, 2, 1, 0]


def test_large_sample_with_reports_from_threads(tmp_path):
    done = cook(RECORDER, "large", tmp_path)
    assert done.summary["status"] == "succeeded"
    assert done.items["succeeded"] == 10_000
    assert done.summary["callbacks"]["onSchedule"] == 10_000


def test_a_dynamic_item_that_cannot_be_built_fails_and_the_cook_goes_on(tmp_path):
    # inline items produce no files, so "{in}" has nothing to name for dynamic items
    done = cook(RECORDER, "wedge", tmp_path, parameters={"finish": "inline"})
    assert done.summary["status"] == "failed"
    assert done.items == {"total": 18, "succeeded": 8, "failed": 8, "cancelled": 0,
                          "uncooked": 2}
    failed = [e for e in done.of_type(ItemState) if e.state == "CookedFail"]
    assert len(failed) == 8
    assert all("cannot build measure_" in e.cause and "no input file" in e.cause for e in failed)
    assert [e.cause for e in failed] == done.summary["warnings"]


def test_a_bad_placeholder_in_a_static_node_is_a_graph_error(tmp_path):
    graph = write_graph(tmp_path, [gen("gen", 2, command="run {nosuch}")])
    done = cook(RECORDER, graph, tmp_path)
    assert done.summary["status"] == "error"
    assert "nosuch" in done.summary["errors"][0]["message"]
    assert done.scheduler.called("onStopCook") == [(True,)]


def test_expected_outputs_that_exist_become_outputs_on_success(tmp_path):
    module = recorder_variant(tmp_path, """
        def _run(self, work_item):
            path = work_item.expectedOutputFiles[0].path
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").close()
            self.onWorkItemSucceeded(work_item.id, -1, 0.0)
    """)
    graph = write_graph(tmp_path, [gen("gen", 2, outputs=["__PDG_DIR__/o/{index}.txt"])])
    done = cook(module, graph, tmp_path)
    work = str(tmp_path / "work")
    assert sorted(done.summary["outputs"]) == [os.path.join(work, "o", f"{i}.txt") for i in (0, 1)]


def test_item_details_carry_the_command_as_the_job_gets_it(tmp_path):
    graph = write_graph(tmp_path, [gen("g", 2, command="echo __PDG_ITEM_NAME__ __PDG_DIR__")])
    done = cook(RECORDER, graph, tmp_path)
    details = {e.id: e for e in done.of_type(ItemDetails)}
    workdir = done.scheduler.workingDir(False)
    for item_id, event in details.items():
        assert event.command == "echo __PDG_ITEM_NAME__ __PDG_DIR__"
        assert event.command_expanded == f"echo g_{item_id} {workdir}"
