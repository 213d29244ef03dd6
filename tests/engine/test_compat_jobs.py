"""The base helpers schedulers use to build jobs: tokens, PDG_* variables, directories,
the item data file."""
from __future__ import annotations

import json
import os
import sys

import pytest

from scheduler_studio.engine.model.graph import Graph, GraphSpec, ItemFormatter, NodeSpec
from scheduler_studio.engine.scheduler.base import PyScheduler

TOKENS = ["__PDG_DIR__", "__PDG_ITEM_NAME__", "__PDG_ITEM_ID__", "__PDG_TEMP__",
          "__PDG_SHARED_TEMP__", "__PDG_SCRIPTDIR__", "__PDG_RESULT_SERVER__", "__PDG_INDEX__",
          "__PDG_INDEX4__", "__PDG_PYTHON__", "__PDG_HYTHON__", "__PDG_HFS__",
          "__PDG_SHARED_ROOT__"]
ENV = ["PDG_RESULT_SERVER", "PDG_ITEM_NAME", "PDG_ITEM_ID", "PDG_DIR", "PDG_TEMP",
       "PDG_SHARED_TEMP", "PDG_SCRIPTDIR", "PDG_INDEX", "PDG_INDEX4", "PDG_JOBID_VAR",
       "PDG_JOBUSE_PDGNET"]


def _setup(tmp_path):
    sched = PyScheduler(None, "farm")
    sched["pdg_workingdir"] = str(tmp_path)
    sched.setWorkItemResultServerAddr("tok@127.0.0.1:4000")
    graph = Graph(GraphSpec("g", "", (NodeSpec("render", "generator", count=13,
                                               frame_start=1.0),)))
    items = graph.generate(ItemFormatter(lambda n, i: n, lambda p: p), graph.nodes["render"])
    items[12].setIntAttrib("seed", 7)
    items[12].command = "run --seed 7"
    return sched, items[12]


def test_every_token_is_expanded(tmp_path):
    sched, item = _setup(tmp_path)
    expanded = sched.expandCommandTokens(" ".join(TOKENS), item).split(" ")
    assert not [t for t in expanded if t.startswith("__PDG_")]
    temp = sched.tempDir(False)
    assert expanded[:10] == [str(tmp_path), "render_13", "13", temp, temp,
                             os.path.join(temp, "scripts"), "tok@127.0.0.1:4000", "12", "0012",
                             sys.executable]
    assert sched.expandCommandTokens("__PDG_UNKNOWN__", item) == "__PDG_UNKNOWN__"


def test_job_environment(tmp_path):
    sched, item = _setup(tmp_path)
    env = sched.addCommonJobEnvVars({"KEEP": "1"}, item)
    assert set(ENV) <= set(env) and env["KEEP"] == "1"
    assert (env["PDG_ITEM_NAME"], env["PDG_ITEM_ID"], env["PDG_INDEX4"]) == (
        "render_13", "13", "0012")
    assert env["PDG_RESULT_SERVER"] == "tok@127.0.0.1:4000" and env["PDG_JOBUSE_PDGNET"] == "0"
    assert env["PDG_JOBID_VAR"] == "PDG_JOBID"


def test_remote_directories_are_what_jobs_see(tmp_path):
    sched, item = _setup(tmp_path)
    sched.setWorkingDir(str(tmp_path), "/farm/proj")
    sched.setTempDir(str(tmp_path / "t"), "/farm/tmp")
    assert sched.expandCommandTokens("__PDG_DIR__ __PDG_TEMP__", item) == "/farm/proj /farm/tmp"
    assert sched.localizePath("__PDG_DIR__/a.txt") == f"{tmp_path}/a.txt"
    assert sched.delocalizePath(f"{tmp_path}/a.txt") == "__PDG_DIR__/a.txt"
    assert sched.addCommonJobEnvVars({}, item)["PDG_DIR"] == "/farm/proj"


def test_job_dirs_and_item_data_file(tmp_path):
    sched, item = _setup(tmp_path)
    sched.createJobDirsAndSerializeWorkItems(item)
    temp = sched.tempDir(True)
    for folder in ("scripts", "logs", "data"):
        assert os.path.isdir(os.path.join(temp, folder))
    assert os.path.isfile(os.path.join(temp, "scripts", "pdgcmd.py"))
    data = json.load(open(os.path.join(temp, "data", "render_13.json")))
    assert data["version"] == 7
    workitem = data["workitem"]
    assert {k: workitem[k] for k in ("nodeName", "schedulerName", "id", "name", "index",
                                      "frame", "hasFrame", "state")} == {
        "nodeName": "render", "schedulerName": "farm", "id": 13, "name": "render_13",
        "index": 12, "frame": 13.0, "hasFrame": True, "state": 3}
    attrs = workitem["attributes"]
    assert attrs["seed"] == {"type": 0, "flag": 0, "own": True, "concat": False, "value": [7]}
    assert attrs["__pdg_commandstring"]["value"] == ["run --seed 7"]
    sched.cleanTempDirectory()
    assert not os.path.exists(temp)


def test_shared_server_info_helpers(tmp_path):
    sched, _ = _setup(tmp_path)
    sched.setSharedServerInfo("echo", {"pid": 0, "port": 5})
    info = sched.getSharedServerInfo("echo")
    info["port"] = 6  # a copy
    assert sched.getSharedServerInfo("echo")["port"] == 5
    assert sched.getSharedServers() == ["echo"]
    sched.clearSharedServerInfo("echo")
    assert sched.getSharedServerInfo("echo") is None and sched.getSharedServers() == []



def test_job_dirs_are_worked_out_once_per_temp_dir_not_per_item(tmp_path):
    # createJobDirsAndSerializeWorkItems runs for every job: a module's scriptDir (the
    # folder the job helper goes to) is asked when the folders are made, not each time
    sched, item = _setup(tmp_path)
    asked = []

    def script_dir(local):
        asked.append(local)
        return os.path.join(PyScheduler.tempDir(sched, local), "myscripts")

    sched.scriptDir = script_dir
    for _ in range(5):
        sched.createJobDirsAndSerializeWorkItems(item)
    assert asked == [True]
    assert os.path.isfile(os.path.join(sched.tempDir(True), "myscripts", "pdgcmd.py"))
    assert os.path.isfile(os.path.join(sched.tempDir(True), "data", "render_13.json"))

def test_an_item_data_file_that_cannot_be_written_leaves_nothing(tmp_path, monkeypatch):
    # a full disk halfway through: no truncated JSON for a job to choke on
    sched, item = _setup(tmp_path)
    sched.createJobDirsAndSerializeWorkItems(item)
    data_dir = os.path.join(sched.tempDir(True), "data")
    os.remove(os.path.join(data_dir, "render_13.json"))

    def full_disk(fd, data):
        os.ftruncate(fd, 0)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        sched.createJobDirsAndSerializeWorkItems(item)
    monkeypatch.undo()
    assert os.listdir(data_dir) == []
