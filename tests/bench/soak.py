"""`make soak`: repeated cooks must not grow memory or open file descriptors.

Two runs of 20 back-to-back cooks of the `large` graph (10,000 jobs) with the Local
template: in one process through the engine's Python API, and from one editor window,
each cook in its own cook host. After each cook it samples the RSS and the number of
open file descriptors of this process; growth beyond 10% after the first cook fails.
``python -m tests.bench.soak [--cooks N] [--graph NAME] [--only engine|window]``.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "resources" / "templates" / "local.py"
LIMIT = 1.10


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _report(name: str, samples: list[tuple[float, int]]) -> bool:
    first_rss, first_fds = samples[0]
    peak_rss = max(s[0] for s in samples[1:]) if len(samples) > 1 else first_rss
    peak_fds = max(s[1] for s in samples[1:]) if len(samples) > 1 else first_fds
    rss_growth, fd_growth = peak_rss / first_rss, peak_fds / max(first_fds, 1)
    ok = rss_growth <= LIMIT and fd_growth <= LIMIT
    print(f"{name}: after cook 1 {first_rss:.1f} MB / {first_fds} fds; worst later "
          f"{peak_rss:.1f} MB ({rss_growth:.3f}x) / {peak_fds} fds ({fd_growth:.3f}x) -> "
          f"{'OK' if ok else 'GROWTH BEYOND 10%'}", flush=True)
    return ok


def soak_engine(cooks: int, graph: str) -> bool:
    from scheduler_studio.engine.cook.options import CookOptions
    from scheduler_studio.engine.session import CookSession

    samples = []
    with tempfile.TemporaryDirectory(prefix="schedstudio-soak-") as tmp, \
            CookSession(str(LOCAL)) as session:
        for number in range(1, cooks + 1):
            started = time.perf_counter()
            summary = session.cook(graph, CookOptions(workdir=os.path.join(tmp, str(number))))
            gc.collect()
            samples.append((rss_mb(), open_fds()))
            print(f"  engine cook {number:2}: {summary['status']} "
                  f"{summary['items']['succeeded']}/{summary['items']['total']} in "
                  f"{time.perf_counter() - started:.1f} s, {samples[-1][0]:.1f} MB, "
                  f"{samples[-1][1]} fds", flush=True)
            if summary["status"] != "succeeded":
                print(f"  cook failed: {summary['errors'][:3]}")
                return False
    return _report("engine API", samples)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.soak")
    parser.add_argument("--cooks", type=int, default=20)
    parser.add_argument("--graph", default="large")
    parser.add_argument("--only", choices=("engine", "window"))
    args = parser.parse_args(argv)
    results = []
    if args.only in (None, "engine"):
        results.append(soak_engine(args.cooks, args.graph))
    if args.only in (None, "window"):
        from tests.bench.soak_window import soak_window
        results.append(soak_window(args.cooks, args.graph, _report))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
