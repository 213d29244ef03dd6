"""The Farm CLI template cooks every sample graph through `fakefarm`, a tiny farm
command-line tool the studio ships (resources/farm): submit, poll, cancel, with its
defaults; and out of the box, with no fakefarm of the user's on PATH."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from scheduler_studio.engine.codegen import new_document, render
from scheduler_studio.engine.cook.events import ItemAdded, ItemState

from .support import (FAKEFARM, SAMPLES, TEMPLATES, check_round_trip, check_sample,
                      cook, sleep_graph, wait_gone)

FARM = TEMPLATES / "farm_cli.py"
FAST = {"poll_interval": 0.1}


@pytest.fixture(scope="module")
def farm_bin(tmp_path_factory):
    """A folder holding `fakefarm`: a shell wrapper that runs the tool with this
    Python directly (a version-manager shim would add ~80 ms to every call)."""
    folder = tmp_path_factory.mktemp("farm-bin")
    wrapper = folder / "fakefarm"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -S "{FAKEFARM}" "$@"\n')
    wrapper.chmod(0o755)
    return folder


@pytest.fixture
def farm(farm_bin, tmp_path, monkeypatch, request):
    """`fakefarm` on PATH with a fresh job folder and its server running (so jobs are
    the farm's processes, not the cook's); returns a function running the tool."""
    root = tmp_path / "farm"
    monkeypatch.setenv("PATH", f"{farm_bin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKEFARM_ROOT", str(root))
    slots = str(getattr(request, "param", 0))  # jobs the farm runs at once; 0: all
    server = subprocess.Popen(["fakefarm", "serve", "--slots", slots],
                              stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not (root / "server.pid").exists():
        assert server.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)

    def run(*args: str) -> str:
        return subprocess.run(["fakefarm", *args], capture_output=True, text=True,
                              check=True).stdout
    yield run
    server.terminate()
    server.wait(10)


def _jobs(farm) -> dict[str, str]:
    """Job name -> state, from `fakefarm list`."""
    out = {}
    for line in farm("list").splitlines():
        _, state, name = line.split(" ", 2)
        out[name] = state
    return out


@pytest.mark.parametrize("graph", sorted(SAMPLES))
def test_every_sample_graph(graph, tmp_path, farm):
    static, _ = SAMPLES[graph]
    result = cook(FARM, graph, tmp_path / "work", static=static, parms=FAST)
    check_sample(result, graph)
    jobs = _jobs(farm)
    # one farm job per item that ran: partitions are done in process, and the
    # items behind a failure never run
    out_of_process = sum(1 for e in result.events
                         if isinstance(e, ItemAdded) and not e.in_process)
    assert len(jobs) == out_of_process - result.items["uncooked"]
    assert set(jobs.values()) <= {"done", "failed"}
    if graph == "failing":
        assert sorted(s for s in jobs.values() if s == "failed") == ["failed", "failed"]
    # without a status URL, the status "URI" is the command that asks the farm (none
    # yet for a static item: it is submitted only once its dependencies are done)
    assert all(e.status_uri.startswith("fakefarm status ") or (static and not e.status_uri)
               for e in result.details())


@pytest.mark.parametrize("farm", [1], indirect=True)
def test_jobs_queued_on_a_busy_farm_wait_their_turn(tmp_path, farm):
    # One slot: the farm runs the jobs one after the other; the others stay
    # "queued", a state the template does not map, so their items just wait.
    result = cook(FARM, "transfer", tmp_path / "work", parms=FAST)
    check_sample(result, "transfer")
    runs = sorted(tuple(map(float, times.read_text().split()))
                  for times in (tmp_path / "farm").glob("*/times"))
    assert len(runs) == 4
    assert all(end <= next_start for (_, end), (next_start, _) in zip(runs, runs[1:]))


def test_failing_graph_cooked_statically(tmp_path, farm):
    result = cook(FARM, "failing", tmp_path / "work", static=True, parms=FAST)
    assert result.items == SAMPLES["failing"][1]
    assert len(_jobs(farm)) == 14  # the two behind a failure were never submitted


def test_timeout_cancels_the_farm_jobs(tmp_path, farm):
    marker = f"napping-{tmp_path.name}"
    result = cook(FARM, sleep_graph(tmp_path, marker), tmp_path / "work", timeout=3,
                  parms=FAST)
    assert result.status == "timeout"
    assert result.items["cancelled"] == 3
    assert set(_jobs(farm).values()) == {"cancelled"}
    assert wait_gone(marker) == []
    assert result.leftover_warnings() == []


def test_cancel_with_sigterm_once_the_jobs_run(tmp_path, farm):
    marker = f"napping-{tmp_path.name}"

    def cooking(events):
        return sum(isinstance(e, ItemState) and e.state == "Cooking" for e in events) >= 3

    result = cook(FARM, sleep_graph(tmp_path, marker), tmp_path / "work", timeout=60,
                  parms=FAST, stop_when=cooking)
    assert result.status == "cancelled"
    assert result.items["cancelled"] == 3
    assert set(_jobs(farm).values()) == {"cancelled"}
    assert wait_gone(marker) == []


def test_one_status_call_per_job_and_a_status_url(tmp_path, farm):
    parms = dict(FAST, status_command="fakefarm status {jobid}",
                 status_regex=r"^\S+ (\w+)", status_url="https://farm.example/job/{jobid}")
    result = cook(FARM, "transfer", tmp_path / "work", parms=parms)
    check_sample(result, "transfer")
    assert all(re.fullmatch(r"https://farm\.example/job/\d+", e.status_uri)
               for e in result.details())


def test_a_farm_that_refuses_the_job(tmp_path, farm):
    result = cook(FARM, "transfer", tmp_path / "work",
                  parms=dict(FAST, submit_command="fakefarm submit --bogus-flag -- {command}"))
    assert result.items["failed"] == 4
    assert any("the farm did not take the job" in w for w in result.summary["warnings"]
               + result.warnings())
    logs = list((tmp_path / "work").glob("pdgtemp/*/logs/grade_*.log"))
    assert logs and all("submit failed" in log.read_text() for log in logs)


def test_a_farm_that_forgets_its_jobs(tmp_path, farm):
    # A status command that never mentions the job: the item fails after a few polls
    # instead of waiting for ever.
    result = cook(FARM, "transfer", tmp_path / "work",
                  parms=dict(FAST, status_command="true {jobids}"))
    assert result.items["failed"] == 4
    assert any("no longer reports" in w for w in result.warnings())


# the template's commands, with a farm tool this machine does not have
NOFARM = {"submit_command": "nofarm submit --name {name} --log {log} --cwd {cwd} -- {command}",
          "status_command": "nofarm status {jobids}", "cancel_command": "nofarm cancel {jobid}"}


def test_a_missing_farm_tool(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = cook(FARM, "transfer", tmp_path / "work", parms={**FAST, **NOFARM})
    assert result.items["failed"] == 4
    logs = list((tmp_path / "work").glob("pdgtemp/*/logs/grade_*.log"))
    assert logs and all("the farm tool 'nofarm' is not on PATH" in log.read_text()
                        for log in logs)
    said = result.summary["warnings"] + result.warnings()
    assert any("the farm tool 'nofarm' is not on PATH" in w for w in said), said
    assert not any("exit code -1" in w for w in said)


def test_template_round_trips_through_the_editor():
    check_round_trip(FARM)


def test_new_from_the_farm_template_cooks(tmp_path, farm):
    # The GUI's New uses the file's stem ("farm_cli"); `schedstudio new --template farm`
    # looks for farm.py (see the report: an engine/codegen mapping is needed).
    doc = new_document("myfarm", "My Farm", template="farm_cli")
    module = tmp_path / "myfarm.py"
    module.write_text(render(doc)[0])
    result = cook(module, "transfer", tmp_path / "work", parms=FAST)
    assert result.summary["scheduler"] == "myfarm"
    check_sample(result, "transfer")


def test_new_farm_cooks_out_of_the_box_with_the_shipped_fakefarm(tmp_path, monkeypatch,
                                                                    capsys):
    # a pipx user: no fakefarm of theirs anywhere, and `new --template farm` as the README
    # says; the cook finds the fakefarm the studio ships, and says it did
    from scheduler_studio.engine.cli import main
    monkeypatch.setenv("PATH", os.defpath)
    monkeypatch.delenv("FAKEFARM_ROOT", raising=False)
    module = tmp_path / "farm.py"
    assert main(["new", "myfarm", "--template", "farm", "-o", str(module)]) == 0
    capsys.readouterr()
    code = main(["cook", str(module), "--graph", "transfer", "--json",
                 "--parm", "poll_interval=0.1", "--workdir", str(tmp_path / "work")])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["status"]) == (0, "succeeded"), summary["errors"]
    assert summary["items"]["succeeded"] == 4
    assert any("fakefarm" in note and "ships" in note for note in summary["notes"])
    assert not (tmp_path / "fakefarm-jobs").exists()  # its jobs went with the cook
    assert not list(tmp_path.glob("*.standins"))      # nothing written beside the module


def test_docstring_says_what_to_change_for_a_real_farm():
    doc = FARM.read_text()
    for words in ("Deadline", "Tractor", "OpenCue", "Slurm", "SCHEDSTUDIO_RESULT_HOST",
                  "{jobid}", "{command_quoted}", "same path"):
        assert words in doc
