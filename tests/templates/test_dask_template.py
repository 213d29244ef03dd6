"""The Dask template cooks every sample graph on real dask.distributed clusters:
a 2-worker LocalCluster started by the test, `dask scheduler` + `dask worker`
processes started by the test, and a LocalCluster the template starts itself.
Cancel (timeout and SIGTERM) leaves no job process and no task behind."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlparse

import distributed  # installed by the project (extra 'dask'): a missing one fails, never skips
import psutil
import pytest

from scheduler_studio.engine.cli import main as cli_main
from scheduler_studio.engine.cook.events import ItemState
from tests.engine.cookkit import cook as cook_in_process

from .support import (SAMPLES, TEMPLATES, check_round_trip, check_sample, cook,
                      scale_graph, sleep_graph, wait_gone, write_graph)

DASK = TEMPLATES / "dask.py"


def _end(processes: list[subprocess.Popen]) -> None:
    """TERM, wait, KILL: processes and everything they started."""
    family = []
    for proc in processes:
        try:
            family += psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            pass
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in processes:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    _, alive = psutil.wait_procs(family, timeout=5)
    for proc in alive:
        proc.kill()
    psutil.wait_procs(alive, timeout=5)


@pytest.fixture(scope="module")
def test_cluster():
    """A 2-worker LocalCluster started by the test; yields a client to it."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address="127.0.0.1:0")
    client = distributed.Client(cluster, set_as_default=False)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def cli_cluster(tmp_path_factory):
    """`dask scheduler` and `dask worker` (2 worker processes) on 127.0.0.1, as
    separate processes; yields a client to them."""
    folder = tmp_path_factory.mktemp("dask-cli")
    scheduler_file = folder / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    logs = [open(folder / name, "w") for name in ("scheduler.log", "worker.log")]
    scheduler = subprocess.Popen(
        dask + ["scheduler", "--host", "127.0.0.1", "--port", "0",
                "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(scheduler_file)],
        cwd=folder, stdout=logs[0], stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    processes = [scheduler]
    try:
        deadline = time.monotonic() + 30
        while not scheduler_file.exists() and time.monotonic() < deadline:
            assert scheduler.poll() is None, (folder / "scheduler.log").read_text()
            time.sleep(0.1)
        processes.append(subprocess.Popen(
            dask + ["worker", "--scheduler-file", str(scheduler_file), "--nworkers", "2",
                    "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"],
            cwd=folder, stdout=logs[1], stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL))
        client = distributed.Client(scheduler_file=str(scheduler_file),
                                    set_as_default=False)
        client.wait_for_workers(2, timeout=60)
        yield client
        client.shutdown()  # scheduler and workers close at once
        client.close()
    finally:
        _end(list(reversed(processes)))
        for log in logs:
            log.close()


def _address(client) -> str:
    return client.scheduler.address


def _tasks_left(client) -> list:
    """Keys the cluster still runs or holds."""
    busy = [key for keys in client.processing().values() for key in keys]
    return busy + list(client.who_has())


def _jobs_left(client) -> dict:
    """What the workers' job lists still hold (running jobs, stop marks), per worker:
    a cancel must leave them empty."""
    def held(dask_worker):  # nested: sent by value, the workers cannot import tests
        return list(getattr(dask_worker, "schedstudio_jobs", {}))
    return {address: keys for address, keys in client.run(held).items() if keys}


@pytest.mark.parametrize("graph", sorted(SAMPLES))
def test_every_sample_graph_on_a_cluster_the_test_started(graph, tmp_path, test_cluster):
    static, _ = SAMPLES[graph]
    result = cook(DASK, graph, tmp_path, static=static,
                  parms={"scheduler_address": _address(test_cluster)})
    check_sample(result, graph)
    # the dashboard of the cluster is the status page of every item
    dashboard = test_cluster.dashboard_link
    assert {e.status_uri for e in result.details()} <= {dashboard}
    assert not _tasks_left(test_cluster)


def test_failing_graph_cooked_statically_skips_what_follows_a_failure(tmp_path,
                                                                      test_cluster):
    # The whole graph goes to Dask at once; a job whose upstream job failed
    # returns without running, and PDG keeps it uncooked.
    result = cook(DASK, "failing", tmp_path, static=True,
                  parms={"scheduler_address": _address(test_cluster)})
    assert result.items == SAMPLES["failing"][1]
    assert result.summary["callbacks"].get("onScheduleStatic") == 1
    assert "onSchedule" not in result.summary["callbacks"]
    logs = tmp_path.glob("pdgtemp/*/logs/denoise_*.log")
    assert len(list(logs)) == 6  # the two behind a failure never ran


def test_scale_500_jobs(tmp_path, test_cluster):
    # `large` (10,000 jobs) takes minutes on two workers; 250 + 250 no-op jobs,
    # the second half waiting on the first, show the same path at scale.
    # how fast: `make bench` (bench_dask)
    result = cook(DASK, scale_graph(tmp_path, 250), tmp_path,
                  parms={"scheduler_address": _address(test_cluster)}, timeout=120)
    assert result.status == "succeeded", result.summary["errors"]
    assert result.items["succeeded"] == 500
    assert not _tasks_left(test_cluster)


def test_timeout_cancels_the_tasks_and_ends_the_jobs(tmp_path, test_cluster):
    marker = f"napping-{tmp_path.name}"
    result = cook(DASK, sleep_graph(tmp_path, marker), tmp_path, timeout=3,
                  parms={"scheduler_address": _address(test_cluster)})
    assert result.status == "timeout"
    assert result.items["cancelled"] == 3
    assert result.summary["callbacks"]["onCancelWorkItems"] == 1
    assert result.leftover_warnings() == []  # the jobs had ended on their own
    assert wait_gone(marker) == []
    assert not _tasks_left(test_cluster)
    assert _jobs_left(test_cluster) == {}
    logs = [p.read_text() for p in tmp_path.glob("pdgtemp/*/logs/nap_*.log")]
    assert logs and all("cancelled" in text for text in logs)


@pytest.mark.parametrize("graph", ["frames", "sharedserver"])
def test_scheduler_address_of_separate_dask_processes(graph, tmp_path, cli_cluster):
    result = cook(DASK, graph, tmp_path, parms={"scheduler_address": _address(cli_cluster)})
    check_sample(result, graph)
    assert not _tasks_left(cli_cluster)


def test_cancel_with_sigterm_on_separate_dask_processes(tmp_path, cli_cluster):
    # The GUI's Cancel: SIGTERM to the cook host once the jobs run. The jobs run in
    # the dask worker processes, outside the cook host: only the template can end them.
    marker = f"napping-{tmp_path.name}"

    def cooking(events):
        return sum(isinstance(e, ItemState) and e.state == "Cooking" for e in events) >= 2

    result = cook(DASK, sleep_graph(tmp_path, marker), tmp_path, timeout=60,
                  parms={"scheduler_address": _address(cli_cluster)}, stop_when=cooking)
    assert result.status == "cancelled"
    assert result.items["cancelled"] == 3
    assert wait_gone(marker) == []
    assert not _tasks_left(cli_cluster)
    assert _jobs_left(cli_cluster) == {}
    # the cluster is still there for the next cook, with its two workers
    assert len(cli_cluster.scheduler_info()["workers"]) == 2


def test_empty_address_starts_and_closes_a_local_cluster(tmp_path):
    trackers = set()

    def note_trackers(event):
        # multiprocessing's resource tracker, started with the LocalCluster, lives
        # until the cook host exits, which ends it: that is not a job left behind.
        if isinstance(event, ItemState) and not trackers:
            for proc in psutil.Process().children(recursive=True):
                try:
                    if "resource_tracker" in " ".join(proc.cmdline()):
                        trackers.add(str(proc.pid))
                except psutil.NoSuchProcess:
                    pass

    result = cook(DASK, "frames", tmp_path, parms={"workers": 2}, on_event=note_trackers)
    assert result.items == SAMPLES["frames"][1]
    ended = [w.split(": ", 1)[1].split(", ") for w in result.leftover_warnings()]
    assert all(set(pids) <= trackers for pids in ended), (ended, trackers)
    # a dashboard address of the cluster it started (now closed)
    assert all(urlparse(e.status_uri).hostname == "127.0.0.1" for e in result.details())


def test_missing_dask_is_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "blocker" / "distributed"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('distributed is hidden')\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(blocker.parent), os.environ.get("PYTHONPATH")])))
    result = cook(DASK, "frames", tmp_path / "work")
    assert result.status in ("error", "failed")
    message = " ".join(e["message"] for e in result.summary["errors"])
    assert "needs the 'dask' and 'distributed' packages" in message
    assert "pip install" in message


def test_template_round_trips_through_the_editor():
    check_round_trip(DASK)


def test_new_from_the_dask_template_cooks(tmp_path, capsys, test_cluster):
    out = tmp_path / "mydask.py"
    assert cli_main(["new", "mydask", "--template", "dask", "-o", str(out)]) == 0
    assert cli_main(["check", str(out)]) == 0
    capsys.readouterr()
    result = cook(out, "transfer", tmp_path / "work",
                  parms={"scheduler_address": _address(test_cluster)})
    assert result.summary["scheduler"] == "mydask"
    check_sample(result, "transfer")


def test_docstring_says_what_to_change_for_a_real_cluster():
    doc = DASK.read_text()
    for words in ("scheduler_address", "dask worker", "SCHEDSTUDIO_RESULT_HOST",
                  "same path", "hython"):
        assert words in doc


def test_the_cook_wakes_the_client_thread_once_per_batch_not_per_task(tmp_path, test_cluster,
                                                                     monkeypatch):
    # Each call into the client's thread from the cook's thread is a write to its
    # wake-up socket and a thread switch. Per task (watching it, dropping it) that
    # costs the cook host more than the rest of a short job's bookkeeping.
    cook_thread, wakeups = threading.get_ident(), []
    original = asyncio.BaseEventLoop.call_soon_threadsafe

    def counted(loop, callback, *args, **kwargs):
        if threading.get_ident() == cook_thread:
            wakeups.append(callback)
        return original(loop, callback, *args, **kwargs)

    monkeypatch.setattr(asyncio.BaseEventLoop, "call_soon_threadsafe", counted)
    count = 200
    graph = write_graph(tmp_path, "noop200", [
        {"name": "noop", "kind": "generator", "count": count, "command": "true"}])
    result = cook_in_process(DASK, graph, tmp_path, tick_period=None, timeout_s=120,
                             parameters={"scheduler_address": _address(test_cluster)})
    assert result.items["succeeded"] == count, result.summary["errors"]
    # a few per tick and per batch of 50 (map, watch, gather, drop); it was 2 per task
    assert 0 < len(wakeups) < count / 2, f"{len(wakeups)} wake-ups for {count} tasks"
    assert not _tasks_left(test_cluster)  # every task released all the same
