"""Faults during a cook run by the cook host (`schedstudio cook` / `HostRun`): a job
killed with SIGKILL, the host itself killed, a job flooding its log, callbacks that
leave threads running, and a working directory on a disk that fills up.

Each time the cook ends (or the caller says why it could not), the summary and events
say what happened, and no process of the cook survives (checked by a marker string in
the jobs' command lines, and by the suite's leftover-process check).
"""
from __future__ import annotations

import json
import signal
import threading
import uuid
from pathlib import Path

import psutil
import pytest

from scheduler_studio.engine import cli
from scheduler_studio.engine.cli.hostrun import HostRun
from scheduler_studio.engine.hostclient import host_command
from scheduler_studio.engine.cook.events import ItemAdded, ItemState, LogMessage
from scheduler_studio.engine.cook.logcap import LOG_CAP_BYTES, NOTE
from tests.polling import wait_for
from tests.reliability.support import DATA, LOCAL, with_marker

JOBS = DATA / "jobs"
SCHEDULERS = DATA / "schedulers"


def write_graph(folder: Path, nodes: list[dict], name: str = "g") -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"name": name, "nodes": nodes}), encoding="utf-8")
    return path


def job(script: str, *args: str) -> str:
    return " ".join(["{python}", str(JOBS / script), *args])


def run_host(module: Path, graph: Path, workdir: Path, **options) -> HostRun:
    options.setdefault("timeout", 120)
    return HostRun(host_command(str(module), str(graph), workdir=str(workdir), **options))


def final_states(events: list) -> dict[str, str]:
    names = {e.id: e.name for e in events if isinstance(e, ItemAdded)}
    states = {names[e.id]: e.state for e in events if isinstance(e, ItemAdded)}
    for event in events:
        if isinstance(event, ItemState):
            states[names[event.id]] = event.state
    return states


def of_node(states: dict[str, str], node: str) -> list[str]:
    """The states of a node's items (names are NODE_ID)."""
    return [state for name, state in sorted(states.items()) if name.rsplit("_", 1)[0] == node]


def item_log(workdir: Path, name: str) -> str:
    [path] = workdir.glob(f"pdgtemp/*/logs/{name}.log")
    return path.read_text(errors="replace")


@pytest.fixture
def marker():
    mark = f"schedstudio-reliability-{uuid.uuid4().hex}"
    yield mark
    assert with_marker(mark) == [], "a job of the cook survived the test"


# -- a job killed ----------------------------------------------------------------------------

def test_a_job_killed_with_sigkill_fails_its_item_and_the_cook_goes_on(tmp_path, marker):
    graph = write_graph(tmp_path, [
        {"name": "victim", "kind": "generator", "count": 1, "command": job("sleeper.py", marker)},
        {"name": "after", "kind": "processor", "input": "victim", "command": "true"},
        {"name": "render", "kind": "generator", "count": 3, "frame_start": 1,
         "outputs": ["__PDG_DIR__/render/{index}.txt"],
         "command": "{python} {jobs}/render.py --frame {frame} --out {out}"},
    ])
    workdir = tmp_path / "work"
    run = run_host(LOCAL, graph, workdir, parms={"max_jobs": "2"})
    try:
        [victim] = wait_for(lambda: with_marker(marker), 60, "the victim job")
        wait_for(lambda: "sleeping" in "".join(
            p.read_text() for p in workdir.glob("pdgtemp/*/logs/victim_*.log")), 60,
            "the victim running")
        victim.send_signal(signal.SIGKILL)
        assert run.wait(120) is None
    finally:
        run.stop()
    summary = run.summary
    assert summary["status"] == "failed" and run.returncode == 1
    states = final_states(run.events)
    assert of_node(states, "victim") == ["CookedFail"]
    assert of_node(states, "render") == ["CookedSuccess"] * 3, states
    assert of_node(states, "after") == ["Waiting"], states  # never offered: its input failed
    assert summary["items"]["succeeded"] == 3 and summary["items"]["failed"] >= 1
    assert len(summary["outputs"]) == 3
    assert "sleeping" in item_log(workdir, next(n for n in states if n.startswith("victim_")))


# -- the cook host killed ----------------------------------------------------------------------

def test_the_cook_host_killed_with_sigkill_is_reported_and_leaves_no_job(tmp_path, marker,
                                                                           capsys):
    graph = write_graph(tmp_path, [
        {"name": "wait", "kind": "generator", "count": 2, "command": job("sleeper.py", marker)},
        {"name": "detach", "kind": "generator", "count": 1,
         "command": job("detacher.py", marker)},
    ])
    argv = ["cook", str(LOCAL), "--graph", str(graph), "--workdir", str(tmp_path / "work"),
            "--json", "--timeout", "120", "--parm", "max_jobs=4"]
    answer: dict = {}
    thread = threading.Thread(target=lambda: answer.setdefault("code", cli.main(argv)))
    thread.start()
    try:
        # two sleepers, the wrapper and the child it detached into its own session
        wait_for(lambda: len(with_marker(marker)) >= 4, 60, "the jobs")
        [host] = [p for p in psutil.Process().children(recursive=True)
                  if "scheduler_studio.engine.cookhost" in " ".join(p.cmdline()) and str(graph) in p.cmdline()]
        host.send_signal(signal.SIGKILL)
    finally:
        thread.join(120)
    assert not thread.is_alive()
    assert with_marker(marker) == []  # right away: the CLI ended them before returning
    summary = json.loads(capsys.readouterr().out)
    assert answer["code"] == 2 and summary["status"] == "error"
    assert summary["errors"][0]["message"].startswith(
        "the cook host was killed by SIGKILL before it sent its summary")
    assert summary["items"]["total"] == 3 and summary["items"]["succeeded"] == 0


# -- a job that floods its log ------------------------------------------------------------------

def test_a_job_flooding_its_log_does_not_swamp_the_cook(tmp_path):
    graph = write_graph(tmp_path, [
        {"name": "flood", "kind": "generator", "count": 1,
         "command": job("flood.py", "--seconds", "60", "--max-mb", "24")},
        {"name": "after", "kind": "processor", "input": "flood", "command": "true"},
    ])
    workdir = tmp_path / "work"
    run = run_host(LOCAL, graph, workdir)
    peak = 0
    try:
        host = psutil.Process(run.proc.pid)

        def sample() -> bool:
            nonlocal peak
            try:
                peak = max(peak, host.memory_info().rss)
            except psutil.Error:
                return True
            return run.proc.poll() is not None
        wait_for(sample, 120, "the flooding cook", interval=0.05)
        assert run.wait(120) is None
    finally:
        run.stop()
    assert run.summary["status"] == "succeeded", run.summary
    [log] = workdir.glob("pdgtemp/*/logs/flood_1.log")
    text = log.read_bytes()
    # capped, with the note at the cut, after whole lines of what the job wrote
    note = NOTE.format(cap=LOG_CAP_BYTES).encode()
    assert LOG_CAP_BYTES - 4096 < len(text) <= LOG_CAP_BYTES + len(note)
    assert text.endswith(note) and b"\0" not in text
    assert set(text[:-len(note)].split(b"\n")[:-1]) == {b"flood " + b"0123456789abcdef" * 6}
    assert run.summary["warnings"] == [f"a job log passed {LOG_CAP_BYTES:,} bytes and was "
                                       f"cut there (the rest dropped): {log}"]
    log.unlink()
    assert len(run.events) < 200  # what the job wrote never went through the event stream
    assert peak < 200 * 2**20, f"cook host RSS peaked at {peak / 2**20:.0f} MB"


# -- threads left running -----------------------------------------------------------------------

def test_a_callback_that_leaks_threads_does_not_keep_the_host_alive(tmp_path):
    graph = write_graph(tmp_path, [{"name": "gen", "kind": "generator", "count": 3,
                                    "command": "true"}])
    run = run_host(SCHEDULERS / "leaky.py", graph, tmp_path / "work", timeout=60)
    try:
        outcome = run.wait(60)
    finally:
        run.stop()
    assert outcome is None, "the cook host did not exit after its summary"
    assert run.returncode == 0 and run.summary["status"] == "succeeded"
    warnings = [e.message for e in run.events if isinstance(e, LogMessage)
                and e.level == "warning" and "still run" in e.message]
    assert len(warnings) == 1 and "leaked-" in warnings[0], warnings


# -- a working directory on a disk that fills up -------------------------------------------------

def _cook_on(small_disk, graph: str) -> tuple[dict, dict]:
    """Cook `graph` with the Local template (one slot) on the small disk: (summary,
    last state of each item by name)."""
    run = run_host(LOCAL, graph, small_disk.path, parms={"max_jobs": "1"})
    try:
        assert run.wait(120) is None
    finally:
        run.stop()
    return run.summary, final_states(run.events)


def _no_half_written_data(workdir: Path) -> None:
    """Every item data file the engine left is whole: a write that failed took its
    file away."""
    for path in workdir.glob("pdgtemp/*/data/*"):
        json.loads(path.read_text(encoding="utf-8"))


def test_jobs_that_hit_a_full_disk_fail_and_their_logs_say_why(tmp_path, small_disk):
    graph = write_graph(tmp_path, [
        {"name": "fill", "kind": "generator", "count": 3,
         "outputs": ["__PDG_DIR__/out/{index}.bin"], "command": job("fill.py", "{out}", "1.2")},
        {"name": "after", "kind": "processor", "input": "fill", "command": "true"},
    ])
    summary, states = _cook_on(small_disk, graph)
    assert summary["status"] == "failed", summary
    failed = sorted(n for n, s in states.items() if n.startswith("fill_") and s == "CookedFail")
    assert sorted(of_node(states, "fill")) == ["CookedFail", "CookedFail", "CookedSuccess"]
    assert summary["items"]["succeeded"] == 2, states  # one fill, and its after
    for name in failed:
        assert "No space left on device" in item_log(small_disk.path, name)
    _no_half_written_data(small_disk.path)


def test_a_disk_that_stays_full_fails_the_items_and_the_cook_ends(tmp_path, small_disk):
    graph = write_graph(tmp_path, [
        {"name": "hog", "kind": "generator", "count": 1,
         "outputs": ["__PDG_DIR__/hog.bin"],
         "command": job("fill.py", "{out}", "4", "--keep", "--ok-when-full")},
        {"name": "after", "kind": "processor", "input": "hog",
         "command": job("fill.py", "__PDG_DIR__/after.bin", "0.1")},
        {"name": "more", "kind": "processor", "input": "after", "command": "true"},
    ])
    summary, states = _cook_on(small_disk, graph)
    assert summary["status"] == "failed", summary
    assert of_node(states, "hog") == ["CookedSuccess"], states
    assert of_node(states, "after") == ["CookedFail"], states
    [after] = [n for n in states if n.startswith("after_")]
    # the template fails the item whose data file cannot be written, and says why
    assert any(w.startswith(f"{after}: ") and "No space left on device" in w
               for w in summary["warnings"]), summary["warnings"]
    # the engine's own writes that failed left nothing half-written behind
    _no_half_written_data(small_disk.path)


def test_a_cook_started_on_a_full_disk_says_so(tmp_path, small_disk):
    small_disk.fill()
    graph = write_graph(tmp_path, [{"name": "gen", "kind": "generator", "count": 2,
                                    "command": "true"}])
    run = run_host(LOCAL, graph, small_disk.path)
    try:
        assert run.wait(120) is None
    finally:
        run.stop()
    summary = run.summary
    assert summary["status"] == "error" and run.returncode == 2, summary
    [error] = summary["errors"]
    assert "No space left on device" in error["message"]
    assert "cannot make the cook's folders" in error["message"]
