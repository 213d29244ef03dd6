"""Every scheduler callback is called when PDG would call it, with the right arguments."""
from __future__ import annotations

import os

import pytest

from scheduler_studio.engine.cook.events import ItemAdded, ItemDetails
from scheduler_studio.engine.model.graph import RESOURCES_DIR
from scheduler_studio.engine.session import CookSession, create_scheduler, pick_type
from scheduler_studio.engine.factory import load_module
from tests.engine.cookkit import (
    RECORDER, cook, gen, part, proc, recorder_variant, write_graph)


@pytest.fixture
def chain(tmp_path):
    """gen (3 items) -> proc (one per gen item) -> coll (one partition)."""
    return write_graph(tmp_path, [
        gen("gen", 3, outputs=["__PDG_DIR__/gen/{index4}.txt"],
            command="{python} job.py --out {out}"),
        proc("proc", "gen", outputs=["__PDG_DIR__/proc/{index4}.txt"],
             command="{python} job.py --in {in} --out {out}"),
        part("coll", "proc"),
    ])


def test_life_cycle_order_and_arguments(tmp_path, chain):
    done = cook(RECORDER, chain, tmp_path)
    sched = done.scheduler
    assert done.summary["status"] == "succeeded"
    assert done.items == {"total": 7, "succeeded": 7, "failed": 0, "cancelled": 0,
                          "uncooked": 0}
    names = sched.names()
    assert names[0] == "onStart" and names[-1] == "onStop"
    assert sched.called("onStartCook") == [(False, ["gen", "proc", "coll"])]
    assert sched.called("onStopCook") == [(False,)]
    stop = names.index("onStopCook")
    assert "onSchedule" not in names[stop:] and "onTick" not in names[stop:]
    assert names.index("onStartCook") < names.index("onTick") < names.index("onSchedule")
    # every job item offered exactly once; the in-process partition never is
    offered = [args[0].name for args in sched.called("onSchedule")]
    assert sorted(offered) == sorted(f"{n}_{i}" for n, i in
                                     [("gen", 1), ("gen", 2), ("gen", 3),
                                      ("proc", 4), ("proc", 5), ("proc", 6)])
    # a processor item is offered only after the item it depends on succeeded
    for item in (args[0] for args in sched.called("onSchedule")):
        if item.node.name == "proc":
            assert item.dependencies[0].name in offered[:offered.index(item.name)]


def test_counts_in_the_summary_match_the_calls(tmp_path, chain):
    done = cook(RECORDER, chain, tmp_path)
    calls = done.summary["callbacks"]
    for name in ("onStartCook", "onStopCook", "onSchedule", "onTick", "getLogURI",
                 "getStatusURI", "applicationBin", "localizePath"):
        assert calls[name] == len(done.scheduler.called(name)), name
    # the engine asks workingDir once; base helpers (tempDir...) call it directly
    assert calls["workingDir"] == 1
    assert calls["onStart"] == 1 and "onStop" not in calls  # onStop comes after the summary
    assert "onScheduleStatic" not in calls and "onCancelWorkItems" not in calls


def test_log_and_status_uris_are_asked_per_scheduled_item(tmp_path, chain):
    done = cook(RECORDER, chain, tmp_path)
    sched = done.scheduler
    offered = [args[0] for args in sched.called("onSchedule")]
    assert [args[0] for args in sched.called("getLogURI")] == offered
    assert [args[0] for args in sched.called("getStatusURI")] == offered
    details = {e.id: e for e in done.of_type(ItemDetails) if e.log_uri}
    for item in offered:
        assert details[item.id].log_uri == f"file:///logs/{item.name}.log"
        assert details[item.id].status_uri == f"http://farm.example/status/{item.id}"


def test_application_bin_fills_the_python_placeholder(tmp_path, chain):
    done = cook(RECORDER, chain, tmp_path)
    asked = done.scheduler.called("applicationBin")
    assert {name for name, _ in asked} == {"python"}
    assert sorted(item.name for _, item in asked) == sorted(
        a[0].name for a in done.scheduler.called("onSchedule"))
    for (item,) in done.scheduler.called("onSchedule"):
        assert item.command.startswith("/opt/recorder/bin/python job.py ")


def test_working_dir_and_localize_path(tmp_path, chain):
    done = cook(RECORDER, chain, tmp_path)
    work = str(tmp_path / "work")
    assert done.scheduler.called("workingDir")[0] == (True,)
    asked = [path for (path,) in done.scheduler.called("localizePath")]
    assert "__PDG_DIR__/gen/0000.txt" in asked and "__PDG_DIR__/proc/0002.txt" in asked
    assert sorted(done.summary["outputs"])[:1] == [os.path.join(work, "gen", "0000.txt")]
    # the partition's outputs are the files of the items it gathered
    assert sum(p.startswith(os.path.join(work, "proc")) for p in done.summary["outputs"]) == 6


def test_a_module_localize_path_is_what_items_get(tmp_path, chain):
    module = recorder_variant(tmp_path, """
        def localizePath(self, deferred_path):
            self.record("localizePath", deferred_path)
            return deferred_path.replace("__PDG_DIR__", "/mnt/farm")
        def _run(self, work_item):
            self.onWorkItemSucceeded(work_item.id, -1, 0.0)
    """)
    done = cook(module, chain, tmp_path)
    added = [e for e in done.of_type(ItemDetails) if e.expected_outputs]
    assert added and all(p.startswith("/mnt/farm/") for e in added for p in e.expected_outputs)
    assert "--out /mnt/farm/gen/0001.txt" in done.scheduler.called("onSchedule")[1][0].command


def test_on_tick_runs_every_tick_of_the_cook(tmp_path, chain):
    done = cook(RECORDER, chain, tmp_path)
    names = done.scheduler.names()
    ticks = names.count("onTick")
    assert ticks >= 2 and done.summary["callbacks"]["onTick"] == ticks


def test_end_shared_server_for_every_server_started(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            self.record("onSchedule", work_item)
            self.setSharedServerInfo("srv%d" % work_item.index, {"pid": 0})
            return pdg.scheduleResult.CookSucceeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path)
    assert [args for args in done.scheduler.called("endSharedServer")] == [
        ("srv0",), ("srv1",), ("srv2",)]
    assert done.summary["shared_servers_ended"] == ["srv0", "srv1", "srv2"]
    names = done.scheduler.names()
    assert names.index("onStopCook") < names.index("endSharedServer")
    assert done.scheduler.getSharedServers() == []


def test_a_server_the_scheduler_ended_itself_is_not_ended_again(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            self.setSharedServerInfo("mine", {"pid": 0})
            self.clearSharedServerInfo("mine")
            return pdg.scheduleResult.CookSucceeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path)
    assert done.scheduler.called("endSharedServer") == []
    assert done.summary["shared_servers_ended"] == []


def test_transfer_file_is_called_once_per_node_before_its_items(tmp_path):
    lut = RESOURCES_DIR / "graphs" / "data" / "lut.txt"
    graph = write_graph(tmp_path, [gen("grade", 3, transfer=["{resources}/graphs/data/lut.txt"])])
    done = cook(RECORDER, graph, tmp_path)
    sched = done.scheduler
    assert sched.called("onTransferFile") == [(str(lut),)]
    assert sched.names().index("onTransferFile") < sched.names().index("onSchedule")
    copied = tmp_path / "work" / "lut.txt"
    assert copied.read_text() == lut.read_text()
    assert done.items["succeeded"] == 3


def test_a_module_transfer_file_wins_over_on_transfer_file(tmp_path):
    module = recorder_variant(tmp_path, """
        def transferFile(self, file_path):
            self.record("transferFile", file_path)
            return True
    """)
    graph = write_graph(tmp_path, [gen("grade", 2, transfer=["{jobs}/render.py"])])
    done = cook(module, graph, tmp_path)
    assert [os.path.basename(p) for (p,) in done.scheduler.called("transferFile")] == ["render.py"]
    assert done.scheduler.called("onTransferFile") == []
    assert done.summary["status"] == "succeeded"


def test_without_transfer_callbacks_the_base_copies_into_the_working_dir(tmp_path):
    module = tmp_path / "plain.py"
    module.write_text(
        "import pdg\nfrom pdg.scheduler import PyScheduler\n\n"
        "class Plain(PyScheduler):\n"
        "    def onSchedule(self, work_item):\n"
        "        return pdg.scheduleResult.CookSucceeded\n\n"
        "def registerTypes(type_registry):\n"
        "    type_registry.registerScheduler(Plain)\n")
    graph = write_graph(tmp_path, [gen("grade", 2, transfer=["{resources}/graphs/data/lut.txt"])])
    done = cook(module, graph, tmp_path)
    assert (tmp_path / "work" / "lut.txt").is_file()
    assert done.summary["status"] == "succeeded"


@pytest.mark.parametrize("body, reason", [
    ("return False", "onTransferFile returned False"),
    ("raise IOError('disk full')", "disk full"),
])
def test_a_failed_transfer_fails_the_nodes_items(tmp_path, body, reason):
    module = recorder_variant(tmp_path, f"""
        def onTransferFile(self, file_path):
            self.record("onTransferFile", file_path)
            {body}
    """)
    graph = write_graph(tmp_path, [
        gen("grade", 3, transfer=["{resources}/graphs/data/lut.txt"]),
        proc("after", "grade"),
        gen("other", 2),
    ])
    done = cook(module, graph, tmp_path)
    sched = done.scheduler
    assert len(sched.called("onTransferFile")) == 1
    assert {a[0].node.name for a in sched.called("onSchedule")} == {"other"}
    assert done.items == {"total": 8, "succeeded": 2, "failed": 3, "cancelled": 0,
                          "uncooked": 3}
    failed = [e for e in done.events if getattr(e, "state", "") == "CookedFail"]
    assert all(reason in e.cause for e in failed)


def test_result_server_address_from_the_mixin(tmp_path):
    module = tmp_path / "mixin.py"
    module.write_text(
        "import pdg\n"
        "from pdg.job.callbackserver import CallbackServerMixin\n"
        "from pdg.scheduler import PyScheduler\n\n"
        "class Farm(CallbackServerMixin, PyScheduler):\n"
        "    def __init__(self, scheduler, name):\n"
        "        PyScheduler.__init__(self, scheduler, name)\n"
        "        CallbackServerMixin.__init__(self, False)\n"
        "        self.seen = []\n"
        "    def onStartCook(self, static, cook_set):\n"
        "        self.startCallbackServer()\n"
        "        return True\n"
        "    def onSchedule(self, work_item):\n"
        "        env = self.addCommonJobEnvVars({}, work_item)\n"
        "        self.seen.append((self.workItemResultServerAddr(), env['PDG_RESULT_SERVER'],\n"
        "            self.expandCommandTokens('__PDG_RESULT_SERVER__', work_item)))\n"
        "        return pdg.scheduleResult.CookSucceeded\n"
        "    def onStopCook(self, cancel):\n"
        "        self.stopCallbackServer()\n"
        "        return True\n\n"
        "def registerTypes(type_registry):\n"
        "    type_registry.registerScheduler(Farm)\n")
    done = cook(module, write_graph(tmp_path, [gen("gen", 2)]), tmp_path)
    (addr, env, token), _ = done.scheduler.seen
    assert addr == env == token
    secret, _, hostport = addr.partition("@")
    host, port = hostport.split(":")
    assert secret and ":" not in secret and host == "127.0.0.1" and int(port) > 0
    assert not done.scheduler.isCallbackServerRunning()


def test_a_module_result_server_address_reaches_the_jobs(tmp_path):
    module = recorder_variant(tmp_path, """
        def workItemResultServerAddr(self):
            self.record("workItemResultServerAddr")
            return "relay.example:4000"
        def onSchedule(self, work_item):
            self.env = self.addCommonJobEnvVars({}, work_item)
            return pdg.scheduleResult.CookSucceeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path)
    assert done.scheduler.env["PDG_RESULT_SERVER"] == "relay.example:4000"
    assert done.scheduler.called("workItemResultServerAddr")


def test_submit_as_job_through_the_api(tmp_path):
    _, registry = load_module(RECORDER)
    sched = create_scheduler(pick_type(registry.schedulers, None))
    assert sched.submitAsJob("/tmp/scene.hip", "/obj/topnet1") == ("http://farm.example/job/7", "7")
    assert sched.called("submitAsJob") == [("/tmp/scene.hip", "/obj/topnet1")]


@pytest.mark.parametrize("returns, expected", [
    ('("http://farm/job/3", "3")', {"status_uri": "http://farm/job/3", "job_id": "3"}),
    ('"http://farm/job/4"', {"status_uri": "http://farm/job/4", "job_id": ""}),
    ("None", {"status_uri": "", "job_id": ""}),
])
def test_session_submit_as_job_accepts_every_return_form(tmp_path, returns, expected):
    module = recorder_variant(tmp_path, f"""
        def submitAsJob(self, graph_file, node_path):
            self.record("submitAsJob", graph_file, node_path)
            return {returns}
    """)
    with CookSession(str(module)) as session:
        answer = session.submit_as_job("/tmp/g.hip", "/obj/topnet1/out")
    assert answer == {**expected, "error": None}
    assert session.scheduler.called("submitAsJob") == [("/tmp/g.hip", "/obj/topnet1/out")]


def test_session_submit_as_job_without_the_callback_is_an_error(tmp_path):
    module = tmp_path / "nosubmit.py"
    module.write_text(
        "from pdg.scheduler import PyScheduler\n"
        "class S(PyScheduler):\n"
        "    pass\n"
        "def registerTypes(type_registry):\n"
        "    type_registry.registerScheduler(S)\n")
    with CookSession(str(module)) as session:
        answer = session.submit_as_job("/tmp/g.hip", "/obj/topnet1")
    assert answer["status_uri"] == "" and "submitAsJob" in answer["error"]["message"]


def test_on_start_once_per_session_and_on_stop_at_close(tmp_path):
    graph = write_graph(tmp_path, [gen("gen", 2)])
    with CookSession(str(RECORDER)) as session:
        session.scheduler["finish"] = "inline"
        from tests.engine.cookkit import options
        first = session.cook(graph, options(tmp_path, tick_period=0.001))
        second = session.cook(graph, options(tmp_path, tick_period=0.001))
        names = session.scheduler.names()
        assert names.count("onStart") == 1 and "onStop" not in names
    assert session.scheduler.names()[-1] == "onStop"
    assert names.count("onStartCook") == 2 and names.count("onStopCook") == 2
    assert first["status"] == second["status"] == "succeeded"
    assert second["callbacks"]["onSchedule"] == 2  # counts are per cook


def test_items_are_announced_before_they_are_offered(tmp_path, chain):
    done = cook(RECORDER, chain, tmp_path)
    added = [e.id for e in done.of_type(ItemAdded)]
    assert sorted(added) == list(range(1, 8))
    kinds = [(type(e).__name__, e.id) for e in done.events if isinstance(e, (ItemAdded, ItemDetails))
             or type(e).__name__ == "ItemState"]
    for item_id in added:
        assert kinds.index(("ItemAdded", item_id)) < kinds.index(("ItemState", item_id))


def test_parameters_from_template_body_and_per_cook_values(tmp_path):
    module = recorder_variant(tmp_path, """
        @classmethod
        def templateBody(cls):
            return json.dumps({"name": "variant", "parameters": [
                {"name": "finish", "type": "string", "value": "inline"},
                {"name": "retries", "label": "Retries", "type": "int", "value": 2,
                 "tag": ["pdg::scheduler"]},
                {"name": "ratio", "type": "float", "size": 1, "value": 0.25},
                {"name": "gpu", "type": "bool", "value": 0},
            ]})
        def onStartCook(self, static, cook_set):
            self.seen = (self["retries"].evaluateInt(), self["ratio"].evaluateFloat(),
                         self["gpu"].evaluateBool(), self["retries"].hasTag("pdg::scheduler"))
            return True
    """)
    graph = write_graph(tmp_path, [gen("gen", 1)])
    assert cook(module, graph, tmp_path).scheduler.seen == (2, 0.25, False, True)
    done = cook(module, graph, tmp_path, parameters={"retries": "5", "gpu": "on"})
    assert done.scheduler.seen == (5, 0.25, True, True)


@pytest.mark.parametrize("values, message", [
    ({"fail_index": "abc"}, "cannot set 'fail_index' to 'abc': its type is Integer"),
])
def test_a_bad_per_cook_value_is_an_error_before_the_cook(tmp_path, values, message):
    done = cook(RECORDER, write_graph(tmp_path, [gen("gen", 1)]), tmp_path, parameters=values)
    assert done.summary["status"] == "error"
    assert done.summary["errors"][-1]["message"] == message
    assert done.scheduler.called("onStartCook") == []


@pytest.mark.parametrize("answer, state", [
    ("pdg.acceptResult.Accept", "CookedSuccess"), ("pdg.acceptResult.Default", "CookedSuccess"),
    ("None", "CookedSuccess"), ("pdg.acceptResult.Reject", "CookedFail"),
])
def test_on_accept_work_item(tmp_path, answer, state):
    module = recorder_variant(tmp_path, f"""
        def onAcceptWorkItem(self, work_item):
            self.record("onAcceptWorkItem", work_item)
            return {answer}
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 2)]), tmp_path)
    assert len(done.scheduler.called("onAcceptWorkItem")) == 2
    assert set(done.states().values()) == {state}
    if state == "CookedFail":
        assert done.scheduler.called("onSchedule") == []


def test_on_start_that_raises_is_reported_in_the_first_cook(tmp_path):
    module = recorder_variant(tmp_path, """
        def onStart(self):
            raise RuntimeError("no licence")
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path)
    assert done.summary["errors"][0]["callback"] == "onStart"


def test_choosing_among_several_registered_types(tmp_path):
    module = tmp_path / "two.py"
    module.write_text(RECORDER.read_text() + (
        "\n\nclass Other(Recorder):\n    pass\n\n\n"
        "def registerTypes(type_registry):\n"
        "    type_registry.registerScheduler(Recorder)\n"
        "    type_registry.registerScheduler(Other, name='other')\n"))
    with CookSession(str(module), type_name="other") as session:
        assert type(session.scheduler).__name__ == "Other"
    from scheduler_studio.engine.factory import ModuleLoadError
    with pytest.raises(ModuleLoadError, match="no scheduler type 'third'.*recorder, other"):
        CookSession(str(module), type_name="third")


def test_a_failed_transfer_also_fails_items_the_node_makes_later(tmp_path):
    module = recorder_variant(tmp_path, """
        def onTransferFile(self, file_path):
            self.record("onTransferFile", file_path)
            return False
    """)
    graph = write_graph(tmp_path, [
        gen("a", 3, outputs=["__PDG_DIR__/a/{index}.txt"]),
        proc("b", "a", mode="dynamic", transfer=["{jobs}/render.py"], command="x {in}",
             priority=10),  # a b item is offered as soon as there is one
    ])
    done = cook(module, graph, tmp_path, max_items=1)
    assert {i.node.name for (i,) in done.scheduler.called("onSchedule")} == {"a"}
    assert len(done.scheduler.called("onTransferFile")) == 1
    assert done.items == {"total": 6, "succeeded": 3, "failed": 3, "cancelled": 0,
                          "uncooked": 0}


@pytest.mark.parametrize("returns, reason", [
    ('"/proc/no/such/folder"', "under /proc/no/such/folder"),
    ("42", "not int"),  # tempDir builds on it too
])
def test_a_working_dir_that_cannot_be_used_ends_the_cook_with_the_reason(tmp_path, returns,
                                                                          reason):
    module = recorder_variant(tmp_path, f"""
        def workingDir(self, local):
            return {returns}
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path)
    assert done.summary["status"] == "error"
    message = done.summary["errors"][-1]["message"]
    assert message.startswith("cannot make the cook's folders") and reason in message
    assert done.scheduler.called("onStartCook") == []
