"""Engine benchmarks (issue 2): in-process overhead, job throughput, peak memory.

(a) a 10,000-item cook whose onSchedule returns CookSucceeded, as items/s and as a
    ratio to a plain Python loop calling the same callback on the same number of items;
(b) 500 `/bin/true` jobs through the Local template with 2 slots, against
    `xargs -P 2 -n 1` running the same commands;
(c) peak memory (max RSS) of a 100,000-item cook, in a fresh process.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "resources" / "templates" / "local.py"

INPROCESS_SCHEDULER = textwrap.dedent('''
    import pdg
    from pdg.scheduler import PyScheduler

    class InProcess(PyScheduler):
        @classmethod
        def templateName(cls):
            return "inprocess"

        def onStartCook(self, static, cook_set):
            self["pdg_maxitems"] = 1000000
            self["pdg_tickperiod"] = 0.01
            return True

        def onSchedule(self, work_item):
            return pdg.scheduleResult.CookSucceeded

    def registerTypes(type_registry):
        type_registry.registerScheduler(InProcess)
''')


def _graph(folder: Path, count: int, command: str = "") -> Path:
    node = {"name": "items", "kind": "generator", "count": count}
    if command:
        node["command"] = command
    path = folder / f"graph_{count}.json"
    path.write_text(json.dumps({"name": f"n{count}", "nodes": [node]}))
    return path


def _inprocess_overhead(folder: Path) -> list[dict]:
    from engine.session import CookSession
    from engine.cook.options import CookOptions

    module = folder / "inprocess.py"
    module.write_text(INPROCESS_SCHEDULER)
    graph = _graph(folder, 10_000)
    engine_times, loop_times = [], []
    for _ in range(5):
        with CookSession(str(module)) as session:
            started = time.perf_counter()
            summary = session.cook(str(graph), CookOptions(workdir=str(folder / "work")))
            engine_times.append(time.perf_counter() - started)
            assert summary["items"]["succeeded"] == 10_000, summary
            # the baseline: the same callback called on as many items by a bare loop
            items = list(range(10_000))
            scheduler = session.scheduler
            started = time.perf_counter()
            for item in items:
                scheduler.onSchedule(item)
            loop_times.append(time.perf_counter() - started)
    engine_s, loop_s = median(engine_times), median(loop_times)
    return [{"name": "in-process cook, 10k items", "value": 10_000 / engine_s, "unit": "items/s",
             "baseline": 10_000 / loop_s, "ratio": engine_s / loop_s,
             "target": ">= 20,000 items/s"}]


def _job_throughput(folder: Path) -> list[dict]:
    true = shutil.which("true") or "/bin/true"
    graph = _graph(folder, 500, true)
    code = textwrap.dedent(f'''
        import json, time
        from engine.session import CookSession
        from engine.cook.options import CookOptions
        with CookSession({str(LOCAL)!r}) as session:
            started = time.perf_counter()
            summary = session.cook({str(graph)!r}, CookOptions(
                workdir={str(folder / "jobs")!r}, parameters={{"max_jobs": 2}}))
            print(json.dumps({{"seconds": time.perf_counter() - started,
                               "succeeded": summary["items"]["succeeded"]}}))
    ''')
    ours, theirs = [], []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1]
        result = json.loads(out)
        assert result["succeeded"] == 500, result
        ours.append(result["seconds"])
        started = time.perf_counter()
        subprocess.run(["xargs", "-P", "2", "-n", "1", true], input=" ".join(["x"] * 500),
                       text=True, check=True)
        theirs.append(time.perf_counter() - started)
    ours_s, xargs_s = median(ours), median(theirs)
    return [{"name": "500 /bin/true jobs, local template, 2 slots", "value": ours_s, "unit": "s",
             "baseline": xargs_s, "ratio": ours_s / xargs_s, "target": "<= 1.2x xargs -P 2"}]


def _peak_memory(folder: Path) -> list[dict]:
    module = folder / "inprocess.py"
    module.write_text(INPROCESS_SCHEDULER)
    graph = _graph(folder, 100_000)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the parent
    code = textwrap.dedent(f'''
        import json
        from engine.session import cook_module
        from engine.cook.options import CookOptions
        def high_water_kb():
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        baseline = high_water_kb()
        summary = cook_module({str(module)!r}, {str(graph)!r},
                              CookOptions(workdir={str(folder / "mem")!r}))
        peak = high_water_kb()
        print(json.dumps({{"baseline_kb": baseline, "peak_kb": peak,
                           "succeeded": summary["items"]["succeeded"]}}))
    ''')
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()[-1]
    result = json.loads(out)
    assert result["succeeded"] == 100_000, result
    peak_mb, base_mb = result["peak_kb"] / 1024, result["baseline_kb"] / 1024
    return [{"name": "peak memory, 100k-item cook", "value": peak_mb, "unit": "MB",
             "baseline": base_mb, "ratio": peak_mb / base_mb, "target": "< 400 MB"}]


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="schedstudio-bench-") as tmp:
        folder = Path(tmp)
        rows = _inprocess_overhead(folder)
        rows += _job_throughput(folder)
        rows += _peak_memory(folder)
    return rows
