"""Cook click to first item on screen (issue 19): in the editor window with the cook
panel (offscreen), the Cook button is clicked and the time taken until the dots view
has painted the first work item, `CLICKS` times; with the warm host the window keeps
waiting (`scheduler_studio.gui.cook.warm_host`), and the same with a cold host started per cook.
The graph is `frames` with the Local template; between clicks the window idles until
its spare host is waiting again (a TD presses Cook dozens of times an hour).
"""
from __future__ import annotations

import os
import time
from statistics import median

CLICKS = 11
GRAPH = "frames"


def _clicks(panel, warm: bool) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from scheduler_studio.engine.hostclient import host_env
    from tests.bench.bench_cook_panel import _wait

    panel.host.keep_warm(host_env if warm else None)
    painted: list[float] = []
    dots = panel.dots
    original = dots.paintEvent

    def paint(event):
        original(event)
        if dots._blocks and panel.state.total and not painted:
            painted.append(time.perf_counter())

    dots.paintEvent = paint
    times = []
    try:
        for _ in range(CLICKS):
            if warm:
                assert _wait(panel.host.spare_ready, 30.0), "no spare host came"
            _wait(lambda: False, 0.3)
            painted.clear()
            started = time.perf_counter()
            QTest.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
            assert _wait(lambda: bool(painted), 60.0), "no item was painted"
            times.append((painted[0] - started) * 1000)
            assert panel.host.warm_start == warm
            assert _wait(lambda: not panel.is_cooking(), 120.0)
    finally:
        dots.paintEvent = original
    return times


def run() -> list[dict]:
    import tempfile

    from tests.bench.bench_cook_panel import _app, _close, _wait, _window

    _app()
    with tempfile.TemporaryDirectory(prefix="schedstudio-bench-click-") as tmp:
        window, panel, kind = _window(tmp)
        try:
            panel.set_graph(GRAPH)
            _wait(lambda: False, 2.0)
            rounds = []
            for warm in (True, False, True, False):  # alternating halves: the load drifts
                rounds.append((warm, _clicks(panel, warm)))
        finally:
            panel.shutdown()
            _close(window)
    warm_times = sorted(t for w, ts in rounds if w for t in ts)
    cold_times = sorted(t for w, ts in rounds if not w for t in ts)
    load = os.getloadavg()[0]

    def note(times):
        return (f"{kind}, {GRAPH}, Local template; {len(times)} clicks in 2 runs of "
                f"{CLICKS}, {times[0]:.0f}-{times[-1]:.0f} ms; load {load:.1f}")

    warm_ms, cold_ms = median(warm_times), median(cold_times)
    return [
        {"name": "Cook click to first item on screen", "value": warm_ms, "unit": "ms",
         "baseline": cold_ms, "ratio": warm_ms / cold_ms, "target": "<= 150 ms",
         "note": note(warm_times) + "; baseline: a cold host"},
        {"name": "Cook click to first item on screen (cold host)", "value": cold_ms,
         "unit": "ms", "baseline": None, "ratio": None, "target": "-",
         "note": note(cold_times)},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
