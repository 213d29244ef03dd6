"""Engine benchmarks (issue 2): in-process overhead, job throughput, peak memory.

(a) a 10,000-item cook whose onSchedule returns CookSucceeded, as items/s and as a
    ratio to a plain Python loop calling the same callback on the same number of items;
    then the same cook debugged (a debugger with no breakpoints; one armed with a
    breakpoint never hit), as a ratio to the plain cook;
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
    from scheduler_studio.engine.session import CookSession
    from scheduler_studio.engine.cook.options import CookOptions

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
    rows = [{"name": "in-process cook, 10k items", "value": 10_000 / engine_s, "unit": "items/s",
             "baseline": 10_000 / loop_s, "ratio": engine_s / loop_s,
             "target": ">= 20,000 items/s"}]
    return rows + _debugger_rows(module, graph, folder)


def _debugger_rows(module: Path, graph: Path, folder: Path) -> list[dict]:
    """The same cook with a debugger (scheduler_studio.engine.debug): present without breakpoints (no
    tracing at all), and armed with a breakpoint in the module that is never hit (every
    callback then runs traced). The baseline, the plain cook, is timed in the same
    rounds, interleaved, so a busy machine weighs on all three alike."""
    from scheduler_studio.engine.cook.options import CookOptions
    from scheduler_studio.engine.debug.breakpoints import Breakpoint
    from scheduler_studio.engine.debug.clock import PauseClock
    from scheduler_studio.engine.debug.wire import WireDebugger
    from scheduler_studio.engine.session import CookSession

    never = module.read_text().splitlines().index(
        "    type_registry.registerScheduler(InProcess)") + 1   # runs at load, never again
    kinds = {"plain": None, "present": [], "armed": [Breakpoint(str(module), never)]}
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(7):
        for kind, breakpoints in kinds.items():
            debugger = None
            if breakpoints is not None:
                debugger = WireDebugger(lambda event: None, PauseClock())
                assert not debugger.apply_breakpoints(breakpoints)
            with CookSession(str(module), debugger=debugger) as session:
                started = time.perf_counter()
                summary = session.cook(str(graph), CookOptions(workdir=str(folder / "work")))
                times[kind].append(time.perf_counter() - started)
            assert summary["items"]["succeeded"] == 10_000, summary
    plain_s = median(times["plain"])
    rows = []
    for kind, name, target in (
            ("present", "in-process cook with the debugger present, no breakpoints",
             "ratio <= 1.1 (no tracing)"),
            ("armed", "in-process cook with the debugger armed but no breakpoint hit",
             "none: bdb traces every line of the module (sys.settrace)")):
        seconds = median(times[kind])
        rows.append({"name": name, "value": 10_000 / seconds, "unit": "items/s",
                     "baseline": 10_000 / plain_s, "ratio": seconds / plain_s,
                     "target": target})
    return rows


def _job_throughput(folder: Path) -> list[dict]:
    """Rows for the working dir on the disk the benchmark runs from, and in RAM."""
    rows = [_throughput_row(folder, "working dir on disk")]
    ram = Path("/dev/shm")
    if ram.is_dir() and os.access(ram, os.W_OK):
        with tempfile.TemporaryDirectory(prefix="schedstudio-bench-", dir=ram) as tmp:
            rows.append(_throughput_row(Path(tmp), "working dir in RAM (tmpfs)"))
    return rows


def _throughput_row(folder: Path, where: str) -> dict:
    true = shutil.which("true") or "/bin/true"
    graph = _graph(folder, 500, true)
    # one fresh process per round, timed from the start of the cook (the module is
    # loaded, as it is when a cook host starts); xargs is timed whole
    code = textwrap.dedent(f'''
        import json, sys, time
        from scheduler_studio.engine.session import CookSession
        from scheduler_studio.engine.cook.options import CookOptions
        with CookSession({str(LOCAL)!r}) as session:
            started = time.perf_counter()
            summary = session.cook({str(graph)!r}, CookOptions(
                workdir=sys.argv[1], parameters={{"max_jobs": 2}}))
            print(json.dumps({{"seconds": time.perf_counter() - started,
                               "succeeded": summary["items"]["succeeded"]}}))
    ''')
    ours, theirs, file_costs = [], [], []
    for round_ in range(7):
        file_costs.append(_wait_for_quiet_disk(folder, 6.0 if round_ == 0 else 0.0))
        out = subprocess.run([sys.executable, "-c", code, str(folder / f"jobs{round_}")],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        assert result["succeeded"] == 500, result
        ours.append(result["seconds"])
        started = time.perf_counter()
        subprocess.run(["xargs", "-P", "2", "-n", "1", true], input=" ".join(["x"] * 500),
                       text=True, check=True)
        theirs.append(time.perf_counter() - started)
    ours_s, xargs_s = median(ours), median(theirs)
    return {"name": f"500 /bin/true jobs, local template, 2 slots, {where}", "value": ours_s,
            "unit": "s", "baseline": xargs_s, "ratio": ours_s / xargs_s,
            "target": "<= 1.2x xargs -P 2",
            "note": f"writing a small new file cost {median(file_costs) * 1e6:.0f} us"}


def _wait_for_quiet_disk(folder: Path, quiet_for_s: float = 0.0, limit_s: float = 30.0) -> float:
    """Wait (up to `limit_s`) until writing a small new file has cost what it normally
    does for `quiet_for_s` on end; return the last cost measured, in seconds.

    Each round writes 1,000 small files (item data, status) and makes 500 logs: that is
    the Local template's work as much as starting processes is. But on this VM's root
    disk (ext4 mounted with `discard`), from about a second after a large delete (the
    benchmark before this one cleaning up) and for several seconds, writing a new file
    costs ~30x more, which would time the disk, not the scheduler. The rounds delete
    nothing; this waits out what came before (a quiet spell that spans a journal
    commit, 5 s, before the first round), and the row says what a file cost.
    """
    probe = folder / "disk-probe"
    probe.mkdir(exist_ok=True)
    os.sync()
    started = time.monotonic()
    quiet_since = None
    made = 0
    while True:
        began = time.perf_counter()
        for _ in range(50):
            made += 1
            handle = os.open(probe / f"p{made}", os.O_WRONLY | os.O_CREAT, 0o644)
            os.write(handle, b"x" * 300)
            os.close(handle)
        per_file = (time.perf_counter() - began) / 50
        now = time.monotonic()
        if per_file >= 100e-6:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        if (quiet_since is not None and now - quiet_since >= quiet_for_s) \
                or now - started > limit_s:
            return per_file
        time.sleep(0.25)


def _peak_memory(folder: Path) -> list[dict]:
    module = folder / "inprocess.py"
    module.write_text(INPROCESS_SCHEDULER)
    graph = _graph(folder, 100_000)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the parent
    code = textwrap.dedent(f'''
        import json
        from scheduler_studio.engine.session import cook_module
        from scheduler_studio.engine.cook.options import CookOptions
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
