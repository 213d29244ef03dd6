"""The window keeps a cook host waiting: Cook hands it the cook, which ends as a fresh
host's would (cancel included), a new one waits behind it, and none outlives the window."""
from __future__ import annotations

import psutil
import pytest
from PySide6.QtCore import Qt

from tests.gui.cook.conftest import (COOK_TIMEOUT_MS, LOCAL_TEMPLATE, cook,
                                     editor_window_with_panel)


@pytest.fixture
def window_with_panel(qtbot, tmp_path, monkeypatch):
    from scheduler_studio.engine.codegen import parse

    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  parse(LOCAL_TEMPLATE.read_bytes()), theme="dark",
                                  size=(1200, 900)) as window_and_panel:
        yield window_and_panel


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _spare_pid(qtbot, panel) -> int:
    qtbot.waitUntil(panel.host.spare_ready, timeout=COOK_TIMEOUT_MS)
    return panel.host._spare.pid


def test_cook_takes_the_waiting_host_and_another_waits_behind_it(qtbot, window_with_panel):
    _window, panel = window_with_panel
    spare = _spare_pid(qtbot, panel)
    assert cook(qtbot, panel, "frames") == "succeeded"
    assert panel.host.warm_start and panel.host.pid == spare
    assert panel.state.count("succeeded") == 41
    second = _spare_pid(qtbot, panel)
    assert second != spare and _gone(spare)
    assert cook(qtbot, panel, "failing") == "failed"            # the next one, warm too
    assert panel.host.warm_start and panel.host.pid == second


def test_a_warm_cook_cancels_like_a_fresh_one(qtbot, window_with_panel):
    _window, panel = window_with_panel
    _spare_pid(qtbot, panel)
    panel.set_graph("large")
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        assert panel.host.warm_start
        qtbot.waitUntil(lambda: panel.state.count("cooking") > 0, timeout=COOK_TIMEOUT_MS)
        host = panel.host.pid
        panel.cancel()
    assert blocker.args == ["cancelled"]
    assert _gone(host)
    assert panel.state.count("cancelled") > 0


def test_no_waiting_host_outlives_the_window(qtbot, window_with_panel):
    window, panel = window_with_panel
    spare = _spare_pid(qtbot, panel)
    window.shutdown()                               # as closing it does: the session ends
    assert _gone(spare)
    qtbot.wait(500)                                 # and no new one starts after it
    assert not panel.host.spare_ready()
