"""Dask template benchmark (issue 6): 500 short jobs through the Dask template versus
the same jobs submitted straight to the same cluster with ``client.map``.

One 2-worker LocalCluster (one thread each) serves both. The jobs are `/bin/true`,
each writing its output to a log file, so the numbers are the scheduling overhead:
* template: a cook through the cook host with ``scheduler_address`` set; the time is
  the cook's own duration (onStartCook connecting the client to the end of the cook),
  and, as a second row, the wall time including the cook host's start;
* baseline: a fresh client, ``client.map`` of a function that runs the command with
  its output to a log file, ``client.gather``, close.
Five rounds, alternating, medians; then five more with the working directory in RAM
(`/dev/shm`), where the item data files and logs cost no disk time.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[2]
DASK = ROOT / "resources" / "templates" / "dask.py"
JOBS = 500
ROUNDS = 5
RAM_DIR = "/dev/shm"   # a second set of rounds with the working dir there (item data, logs)


def run_command(args: list[str], log_path: str):
    """The baseline's task: run one command, its output into a log file."""
    started = time.time()
    with open(log_path, "w") as log:
        code = subprocess.call(args, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    return code, time.time() - started


def _template_cook(folder: Path, graph: Path, address: str, round_: int) -> tuple[float, float]:
    from scheduler_studio.engine.cli.hostrun import HostRun
    from scheduler_studio.engine.hostclient import host_command
    cmd = host_command(str(DASK), str(graph), workdir=str(folder / f"cook{round_}"),
                       timeout=300, parms={"scheduler_address": address})
    started = time.perf_counter()
    run = HostRun(cmd)
    run.wait(300)
    wall = time.perf_counter() - started
    summary = run.summary or {}
    assert summary.get("items", {}).get("succeeded") == JOBS, summary
    return summary["duration_s"], wall


def _client_map(folder: Path, address: str, true: str, round_: int) -> float:
    import distributed
    logs = folder / f"map{round_}"
    logs.mkdir()
    started = time.perf_counter()
    with distributed.Client(address, set_as_default=False) as client:
        futures = client.map(run_command, [[true]] * JOBS,
                             [str(logs / f"job{i}.log") for i in range(JOBS)], pure=False)
        results = client.gather(futures)
    seconds = time.perf_counter() - started
    assert all(code == 0 for code, _ in results)
    return seconds


def run() -> list[dict]:
    try:
        import distributed
    except ImportError:
        print("   dask.distributed is not installed: pip install -e '.[dask]'")
        return []
    true = shutil.which("true") or "/bin/true"
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                       processes=True, dashboard_address=None)
    try:
        address = cluster.scheduler_address
        rows = _rows(_rounds(None, address, true), "")
        if os.path.isdir(RAM_DIR):   # the same without the disk: the scheduler's own share
            ram = _rounds(RAM_DIR, address, true)
            rows.append(_rows(ram, ", working dir in RAM")[0])
    finally:
        cluster.close()
    return rows


def _rounds(parent, address: str, true: str) -> tuple[list, list, list]:
    """ROUNDS alternating rounds in a fresh folder under `parent`: (cooks, walls, maps)."""
    with tempfile.TemporaryDirectory(prefix="schedstudio-bench-dask-", dir=parent) as tmp:
        folder = Path(tmp)
        graph = folder / "noop500.json"
        graph.write_text(json.dumps({"name": "noop500", "nodes": [
            {"name": "noop", "kind": "generator", "count": JOBS, "command": true}]}))
        _client_map(folder, address, true, -1)  # warm the workers up
        cooks, walls, maps = [], [], []
        for round_ in range(ROUNDS):
            cook_s, wall_s = _template_cook(folder, graph, address, round_)
            cooks.append(cook_s)
            walls.append(wall_s)
            maps.append(_client_map(folder, address, true, round_))
    return cooks, walls, maps


def _rows(rounds: tuple[list, list, list], where: str) -> list[dict]:
    cooks, walls, maps = rounds
    cook_s, wall_s, map_s = median(cooks), median(walls), median(maps)
    ratios = sorted(c / m for c, m in zip(cooks, maps))
    note = (f"{ROUNDS} rounds, alternating; cook {min(cooks):.2f}-{max(cooks):.2f} s, "
            f"client.map {min(maps):.2f}-{max(maps):.2f} s, ratio per round "
            f"{ratios[0]:.2f}-{ratios[-1]:.2f}; load {os.getloadavg()[0]:.1f}")
    return [
        {"name": f"500 /bin/true jobs, Dask template (cook){where}", "value": cook_s,
         "unit": "s", "baseline": map_s, "ratio": cook_s / map_s,
         "target": "<= 1.3x client.map", "note": note},
        {"name": "500 /bin/true jobs, Dask template (with host start)", "value": wall_s,
         "unit": "s", "baseline": map_s, "ratio": wall_s / map_s, "target": "-"},
        {"name": "Dask template throughput", "value": JOBS / cook_s, "unit": "jobs/s",
         "baseline": JOBS / map_s, "ratio": map_s / cook_s, "target": "-"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
    sys.exit(0)
