"""A view refresh and an event drain do not share one event-loop turn."""
from __future__ import annotations

import sys

import pytest

from scheduler_studio.gui.cook import turns
from tests.gui.cook.conftest import LOCAL_TEMPLATE, file_provider
from tests.gui.cook.test_host_process import EVENT


class _Clock:
    """Wall time (`now`) and the GUI thread's CPU time (`cpu`), moved by the test."""

    def __init__(self):
        self.now, self.cpu = 100.0, 5.0

    def __call__(self) -> float:
        return self.now

    def work(self, seconds: float) -> None:
        self.now += seconds
        self.cpu += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = _Clock()
    monkeypatch.setattr(turns.time, "perf_counter", fake)
    monkeypatch.setattr(turns.time, "thread_time", lambda: fake.cpu)
    monkeypatch.setattr(turns, "_clock", turns.deque())
    for name in ("_drained_at", "_held_until"):
        monkeypatch.setattr(turns, name, 0.0)
    return fake


def _drain(clock, seconds: float) -> None:
    assert turns.drain_wait_ms() is None
    clock.work(seconds)
    turns.drained()


def test_a_refresh_right_after_a_drain_waits_and_the_next_drain_sits_out(clock):
    _drain(clock, 0.001)
    assert turns.refresh_waits()            # same turn as the drain: come back
    clock.now += 0.002
    assert turns.drain_wait_ms() == turns.RETRY_MS   # the next turn is the refresh's ...
    assert turns.drain_wait_ms() == turns.RETRY_MS   # ... however often the drain asks
    assert not turns.refresh_waits()        # the refresh that waited runs now
    clock.work(0.001)
    turns.refreshed()
    clock.now += 0.002
    assert turns.drain_wait_ms() is None    # and then the drains go on
    turns.drained()
    clock.now += 0.01
    assert not turns.refresh_waits()        # a refresh in a turn of its own just runs


def test_pieces_wait_once_the_frame_budget_is_spent_until_it_frees(clock):
    for _ in range(2):                      # 2 x 3 ms of drains ...
        _drain(clock, 0.003)
        clock.now += 0.0001
    clock.work(0.001)                       # ... and Qt's paint: the budget is spent
    assert turns.drain_wait_ms() == turns.RETRY_MS
    clock.now += 0.002
    assert turns.refresh_waits()            # the refresh waits too, drains held for it
    clock.now += turns.WINDOW_S             # the window moved past those drains
    assert turns.drain_wait_ms() == turns.RETRY_MS   # the room is the refresh's first
    assert not turns.refresh_waits()
    clock.work(0.002)
    turns.refreshed()
    clock.now += 0.0015
    assert turns.drain_wait_ms() is None


def test_a_piece_that_says_its_cost_waits_until_it_fits_in_the_budget(clock):
    _drain(clock, turns.BUSY_MAX_S - 0.002)  # 2 ms of the budget left
    clock.now += 0.002
    assert turns.drain_wait_ms() is None                 # a drain of unknown cost: go
    assert turns.drain_wait_ms(0.003) == turns.RETRY_MS  # one of 3 ms would not fit
    clock.now += 0.008                      # that drain left the window
    assert turns.drain_wait_ms(0.003) is None
    clock.work(turns.BUSY_MAX_S - 0.001)
    turns.drained()
    clock.now += 0.002
    assert turns.refresh_waits(0.050)       # a big refresh asks for half the budget ...
    clock.now += turns.WINDOW_S
    assert not turns.refresh_waits(0.050)   # ... and gets it once the window is free


def test_a_held_drain_goes_ahead_when_the_refresh_never_comes(clock):
    _drain(clock, 0.0005)
    assert turns.refresh_waits()
    assert turns.drain_wait_ms() == turns.RETRY_MS
    clock.now += turns.HOLD_MAX_S + 0.001
    assert turns.drain_wait_ms() is None


def test_a_flood_still_refreshes_the_views_while_it_streams(qtbot, make_panel, monkeypatch):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    refreshes, waits = [], []
    real_refresh, real_waits = panel._on_refresh, turns.refresh_waits
    monkeypatch.setattr(panel, "_on_refresh",
                        lambda: (refreshes.append(panel.host.is_running()), real_refresh()))
    monkeypatch.setattr(turns, "refresh_waits",
                        lambda *cost: waits.append(real_waits(*cost)) or waits[-1])
    count = 40_000
    flood = ("import sys\n"
             f"for i in range({count}):\n"
             f"    sys.stdout.write({EVENT!r} % (i, i, i) + '\\n')\n")
    panel.state.start("flood")                    # fed as a cook's stream is, no pacing
    panel.dots.reset()
    with qtbot.waitSignal(panel.host.sig_finished, timeout=120_000):
        panel.host.start([sys.executable, "-c", flood])
    panel._on_refresh()
    assert panel.state.total == count                       # no drain was lost
    assert refreshes.count(True) >= 3                       # nor were the refreshes
    assert True in waits                                    # some waited for a turn


def test_a_flood_leaves_due_timers_their_turn_between_drains(qtbot):
    from PySide6.QtCore import QTimer

    from scheduler_studio.gui.cook.host_process import CookHostProcess

    host, batches, overtaken = CookHostProcess(), [], []
    pending: list[QTimer] = []

    def on_batch(batch):
        # a timer that fell due during the last drain: it must have had its turn
        overtaken.extend(t for t in pending if t.isActive())
        pending.clear()
        batches.append(len(batch))
        timer = QTimer(host, singleShot=True, interval=0)
        timer.start()
        pending.append(timer)

    host.sig_events.connect(on_batch)
    flood = ("import sys\n"
             "for i in range(30000):\n"
             f"    sys.stdout.write({EVENT!r} % (i, i, i) + '\\n')\n")
    with qtbot.waitSignal(host.sig_finished, timeout=120_000):
        host.start([sys.executable, "-c", flood])
    assert sum(batches) == 30_000 and len(batches) > 20
    assert overtaken == []


def test_a_backlog_of_trace_rows_goes_in_a_slice_a_turn_before_the_other_views(
        qtbot, make_panel, monkeypatch):
    from scheduler_studio.engine.cook.events import CallbackCalled
    from scheduler_studio.gui.cook.panel import TRACE_PER_TURN

    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    steps = []
    real_add, real_dots = panel.trace_model.add_events, panel.dots.refresh
    monkeypatch.setattr(panel.trace_model, "add_events",
                        lambda events: (steps.append(("trace", len(events))),
                                        real_add(events)))
    monkeypatch.setattr(panel.dots, "refresh",
                        lambda changes: (steps.append(("dots", 0)), real_dots(changes)))
    calls = 2 * TRACE_PER_TURN + 7
    panel._on_events([CallbackCalled("onSchedule", i, "(item)", 0.001, "ok")
                      for i in range(calls)])
    qtbot.waitUntil(lambda: panel.trace_model.rowCount() == calls, timeout=5000)
    qtbot.waitUntil(lambda: ("dots", 0) in steps, timeout=5000)
    assert steps[:3] == [("trace", TRACE_PER_TURN), ("trace", TRACE_PER_TURN), ("trace", 7)]
    assert steps[3] == ("dots", 0)                # the other views once the rows are in
