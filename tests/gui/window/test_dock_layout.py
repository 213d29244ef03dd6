"""Room: the test-cook panel leaves the editors half the window at 1280x800, its views use
the height they are given, Problems takes no room while empty, and the user's own layout
comes back at the next start instead of the default.
"""
from __future__ import annotations

import json

from PySide6.QtCore import Qt

from scheduler_studio.engine.cook.events import CookStarted, ItemAdded, from_json
from scheduler_studio.gui import app
from scheduler_studio.gui.cook.dots_view import HEADER_H
from tests.gui.cook.conftest import DATA
from tests.gui.window.conftest import wait_checked

BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


def _editors_height(window) -> int:
    return window.centralWidget().height()


def _feed(panel, name: str = "frames") -> None:
    """A recorded cook, fed to the panel as the host would."""
    with open(DATA / f"{name}.ndjson", encoding="utf-8") as handle:
        events = [from_json(line.encode()) for line in handle if line.strip()]
    panel.state.start(name)
    panel.session.apply_events(events)
    panel._on_refresh()


def _visible_rows(table) -> int:
    return table.viewport().height() // table.verticalHeader().defaultSectionSize()


def test_at_1280x800_the_editors_keep_half_the_window(make_window, qtbot):
    window = make_window(size=(1280, 800))
    wait_checked(qtbot, window)
    panel = app.dock_cook_panel(window)
    qtbot.waitUntil(lambda: panel.height() >= 250, timeout=3000)
    qtbot.waitUntil(lambda: _editors_height(window) >= window.height() // 2, timeout=3000)
    assert window.problems_dock.isHidden()  # nothing to list: no room taken
    # the dots beside the item / trace / log views: both get the panel's height
    assert panel.splitter.orientation() == Qt.Orientation.Horizontal
    assert panel.dots.height() >= panel.tabs.height() - 5


def test_the_trace_and_the_dots_use_the_room_they_are_given(make_window, qtbot):
    window = make_window(size=(1280, 800))
    wait_checked(qtbot, window)
    panel = app.dock_cook_panel(window)
    _feed(panel)
    panel.tabs.setCurrentWidget(panel.trace)
    panel.trace.select_row(panel.trace_model.rowCount() - 1)
    table, detail = panel.trace.table, panel.trace.detail
    qtbot.waitUntil(lambda: _visible_rows(table) >= 6, timeout=3000)
    assert detail.height() >= 120  # a traceback's lines, not three of them
    # every node row of the frames graph shows without scrolling
    assert panel.dots.verticalScrollBar().maximum() == 0
    rows_before, detail_before = _visible_rows(table), detail.height()

    window.resizeDocks([panel], [panel.height() + 150], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: _visible_rows(table) > rows_before, timeout=3000)
    assert detail.height() > detail_before


def test_the_dots_scroll_beyond_the_panels_height(make_window, qtbot):
    window = make_window(size=(1280, 800))
    wait_checked(qtbot, window)
    panel = app.dock_cook_panel(window)
    nodes = [{"name": f"node{n}", "kind": "generator"} for n in range(30)]
    panel.state.start("many")
    events = [CookStarted("s", "many", False, "m.py", "/w", nodes)]
    events += [ItemAdded(n + 1, f"node{n}_0", f"node{n}", 0, "Waiting") for n in range(30)]
    panel.session.apply_events(events)
    panel._on_refresh()
    bar = panel.dots.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=3000)
    assert panel.dots.viewport().height() > 4 * (HEADER_H + 10)  # several rows on show


def test_cook_errors_open_problems_beside_the_panel(make_window, qtbot):
    window = make_window(size=(1280, 800))
    wait_checked(qtbot, window)
    panel = app.dock_cook_panel(window)
    qtbot.waitUntil(lambda: _editors_height(window) >= window.height() // 2, timeout=3000)
    height = panel.height()
    _feed(panel, "failing")  # no callback raised: Problems stays closed
    assert window.problems_dock.isHidden()
    summary = {"status": "error", "errors": [{"callback": None, "file": "m.py", "line": 3,
                                              "message": "SyntaxError: invalid syntax"}]}
    panel.session.apply_events([from_json(json.dumps({"v": 1, "type": "cook_finished",
                                            "summary": summary}).encode())])
    panel._on_refresh()
    problems = window.problems_dock
    qtbot.waitUntil(problems.isVisible, timeout=3000)
    qtbot.waitUntil(lambda: problems.geometry().top() == panel.geometry().top()
                    and problems.geometry().left() > panel.geometry().left(),  # beside
                    timeout=3000)
    assert abs(panel.height() - height) <= 4  # the editors lost nothing to it
    assert _editors_height(window) >= window.height() // 2


def test_the_users_dock_layout_comes_back_at_the_next_start(make_window, qtbot):
    first = make_window(size=(1280, 800))
    wait_checked(qtbot, first)
    panel = app.dock_cook_panel(first)
    qtbot.waitUntil(lambda: panel.height() >= 250, timeout=3000)
    qtbot.waitUntil(lambda: _editors_height(first) >= first.height() // 2, timeout=3000)
    first.resizeDocks([panel], [270], Qt.Orientation.Vertical)  # the user drags it smaller
    qtbot.waitUntil(lambda: abs(panel.height() - 270) <= 10, timeout=3000)
    chosen = panel.height()
    first.close()

    second = make_window(size=None)
    wait_checked(qtbot, second)
    again = app.dock_cook_panel(second)
    assert second.dock_restored(again)
    qtbot.waitUntil(lambda: again.isVisible(), timeout=3000)
    assert abs(again.height() - chosen) <= 10  # not the default share of the height
    assert second.dockWidgetArea(again) == BOTTOM


def test_cooking_does_not_grow_the_dock_at_1280x800(make_window, qtbot):
    window = make_window(size=(1280, 800))
    wait_checked(qtbot, window)
    panel = app.dock_cook_panel(window)
    before = panel.minimumSizeHint().height()
    panel.options.set_parameters(_parameters())  # as a cook of the local template does
    panel.tabs.setCurrentWidget(panel.options)
    assert panel.minimumSizeHint().height() <= before
    qtbot.waitUntil(lambda: _editors_height(window) >= window.height() // 2, timeout=3000)


def test_at_1920x1080_the_panel_is_docked_before_the_first_paint(make_window, qtbot):
    window = make_window(show=False, size=(1920, 1080))
    panel = app.dock_cook_panel(window)  # before the first paint, as --cook --screenshot does
    window.show()
    wait_checked(qtbot, window)
    qtbot.waitUntil(lambda: panel.height() >= 350, timeout=3000)
    qtbot.waitUntil(lambda: _editors_height(window) >= window.height() // 2, timeout=3000)
    assert window.dockWidgetArea(panel) == BOTTOM


def _parameters():
    from scheduler_studio.gui.cook.module_info import DeclaredParameter

    return [DeclaredParameter(name, label, kind, default)
            for name, label, kind, default in (("max_jobs", "Max Jobs", "int", "0"),
                                               ("tick_period", "Tick Period", "float", "0.05"),
                                               ("queue", "Queue", "string", "main"))]
