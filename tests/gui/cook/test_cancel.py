"""Cancel: a callback stuck in `while True: pass` is stopped, the window keeps running,
and no process of the cook survives."""
from __future__ import annotations

import time

import psutil
from PySide6.QtCore import Qt, QTimer

from tests.gui.cook.conftest import document_module, session_processes

HANG = "while True:\n    pass"
STUBBORN = ("import signal, subprocess\n"
            "subprocess.Popen(['sleep', '120'])\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "while True:\n"
            "    pass")


class Heartbeat:
    """A QTimer that records when it fired: the GUI kept running its event loop (how
    long it stalled is `make bench`: bench_timings)."""

    def __init__(self, interval_ms: int = 20):
        self.ticks: list[float] = []
        self.timer = QTimer(interval=interval_ms)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        gaps = [b - a for a, b in zip(self.ticks, self.ticks[1:])]
        return max(gaps) if gaps else float("inf")


def _start_and_wait_for_hang(qtbot, panel) -> int:
    panel.set_graph("frames")
    qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(e.slow for e in panel.trace_model.entries()), timeout=20_000)
    assert panel.is_cooking() and panel.cancel_button.isEnabled()
    return panel.host.pid


def _our_cook_processes() -> list[str]:
    out = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if proc.status() != psutil.STATUS_ZOMBIE:
                out.append(" ".join(proc.cmdline()))
        except psutil.Error:
            pass
    return out


def test_hung_callback_is_cancelled_and_window_stays_responsive(qtbot, make_panel):
    text, line_map = document_module(onSchedule=HANG)
    panel = make_panel(lambda: (text, line_map))
    heartbeat = Heartbeat()
    pid = _start_and_wait_for_hang(qtbot, panel)
    assert session_processes(pid)
    slow = [e for e in panel.trace_model.entries() if e.slow]
    assert slow[0].name == "onSchedule" and slow[0].item_name == "render_1"

    with qtbot.waitSignal(panel.sig_cook_finished, timeout=20_000) as blocker:
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    longest_gap = heartbeat.stop()
    assert blocker.args == ["cancelled"]
    assert panel.counts.status_text() == "Cook cancelled"
    assert panel.cook_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert len(heartbeat.ticks) > 2 and longest_gap > 0   # the GUI kept ticking
    assert session_processes(pid) == []
    assert not any("scheduler_studio.engine.cookhost" in cmd for cmd in _our_cook_processes())


def test_host_that_ignores_terminate_is_killed_with_its_jobs(qtbot, make_panel):
    text, line_map = document_module(onSchedule=STUBBORN)
    panel = make_panel(lambda: (text, line_map))
    panel.host.set_kill_grace_ms(800)
    heartbeat = Heartbeat()
    pid = _start_and_wait_for_hang(qtbot, panel)
    assert len(session_processes(pid)) >= 2          # the host and its `sleep` job
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=20_000) as blocker:
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    longest_gap = heartbeat.stop()
    assert blocker.args == ["cancelled"]
    assert "killing it" in panel.log_text()
    assert "cook host ended: killed" in panel.log_text()
    assert len(heartbeat.ticks) > 2 and longest_gap > 0   # stalls: bench_timings
    assert session_processes(pid) == []
    assert _our_cook_processes() == []


def test_cook_again_after_cancel(qtbot, make_panel):
    text, line_map = document_module(onSchedule=HANG)
    panel = make_panel(lambda: (text, line_map))
    _start_and_wait_for_hang(qtbot, panel)
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=20_000):
        panel.cancel()
    # a fixed module cooks in the same panel
    text, line_map = document_module()
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=60_000) as blocker:
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["succeeded"]
    assert panel.state.count("succeeded") == 41


def test_a_callback_the_timeout_broke_out_of_is_named_and_marked(qtbot, make_panel):
    from tests.gui.cook.conftest import COOK_TIMEOUT_MS
    text, line_map = document_module(onSchedule="spins = 0\nwhile True:\n    spins += 1")
    panel = make_panel(lambda: (text, line_map))
    panel.options.set_timing(timeout=2.0)
    panel.set_graph("frames")
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
    assert done.args == ["timeout"]
    hung = [e for e in panel.errors.errors() if e.callback == "onSchedule"]
    assert len(hung) == 1, panel.errors.errors()
    assert "still running on work item render_1 when the cook timed out" in hung[0].message
    assert hung[0].field == "callback:onSchedule" and hung[0].field_line in (2, 3)
