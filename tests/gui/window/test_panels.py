"""Panels are the window's by name (`register_panel` / `panel`), and the cook session is
the window's: closing the window ends its cook host, its jobs and the spare host, even
with a cook running."""
from __future__ import annotations

import psutil
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from scheduler_studio.gui import app
from scheduler_studio.gui.cook.attach import attach_cook_panel
from scheduler_studio.gui.cook.panel import CookPanel
from tests.gui.cook.conftest import COOK_TIMEOUT_MS, session_processes


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_the_cook_panel_is_registered_with_the_window_once(make_window):
    window = make_window(show=False)
    assert window.panel("cook") is None and window.cook_panel is None
    panel = app.dock_cook_panel(window)
    assert window.panel("cook") is panel and window.cook_panel is panel
    assert attach_cook_panel(window) is panel            # one path: the registered one
    assert app.dock_cook_panel(window) is panel
    assert window.findChildren(CookPanel) == [panel]
    assert panel.session is window.cook_session and panel.host is window.cook_session.host
    window.register_panel("cook", panel)                 # the same one again: fine
    with pytest.raises(ValueError):
        window.register_panel("cook", QWidget(window))
    assert window.panel("cook") is panel


def test_closing_the_window_ends_its_cook_session(qtbot, make_window):
    window = make_window()
    panel = app.dock_cook_panel(window)
    panel.options.post_mortem.setChecked(False)
    session = window.cook_session
    qtbot.waitUntil(session.host.spare_ready, timeout=COOK_TIMEOUT_MS)
    panel.set_graph("large")
    qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state.count("cooking") > 0, timeout=COOK_TIMEOUT_MS)
    host = panel.host.pid
    assert session_processes(host)                       # the host and its jobs
    panel.shutdown()            # the view going does not end the window's session ...
    assert panel.is_cooking() and not session.is_closed()
    window.close()              # ... the window closing does
    assert session.is_closed()
    qtbot.waitUntil(lambda: not session.is_running(), timeout=COOK_TIMEOUT_MS)
    assert _gone(host) and session_processes(host) == []
    assert not session.host.spare_ready()
    assert not panel._refresh_timer.isActive()
    assert not panel.cook()                              # nothing starts after it
