"""Where the test-cook panel docks: the callback editors keep their room at 1280x800.

A short window puts Problems in a tab next to the panel; a tall one stacks
the panel above Problems, full width, and gives it a share of the height.
"""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui import app
from gui.cook.attach import DOCK_HEIGHT, PROBLEMS_HEIGHT
from tests.gui.window.conftest import wait_checked

BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


def _page_height(window) -> int:
    return window.tabs.currentWidget().scroll_area().viewport().height()


def test_at_1280x800_problems_is_a_tab_next_to_the_panel(make_window, qtbot):
    window = make_window(size=(1280, 800))
    wait_checked(qtbot, window)
    panel = app.dock_cook_panel(window)
    qtbot.waitUntil(lambda: panel.height() >= DOCK_HEIGHT - 20, timeout=3000)
    assert window.tabifiedDockWidgets(panel) == [window.problems_dock]
    qtbot.waitUntil(lambda: _on_top(panel) and not _on_top(window.problems_dock),
                    timeout=3000)  # the panel is the tab on show
    assert _page_height(window) >= 280  # the editors keep their room
    # View > Problems (Ctrl+Shift+M) brings the Problems tab forward
    window.actions["view/problems"].setChecked(False)
    window.actions["view/problems"].trigger()
    qtbot.waitUntil(lambda: _on_top(window.problems_dock) and not _on_top(panel),
                    timeout=3000)


def _on_top(dock) -> bool:
    """A tabbed dock not on show is moved out of the window (negative coordinates)."""
    return dock.isVisible() and dock.geometry().top() >= 0


def test_cooking_does_not_grow_the_dock_at_1280x800(make_window, qtbot):
    window = make_window(size=(1280, 800))
    wait_checked(qtbot, window)
    panel = app.dock_cook_panel(window)
    before = panel.minimumSizeHint().height()
    panel.options.set_parameters(_parameters())  # as a cook of the local template does
    panel.tabs.setCurrentWidget(panel.options)
    assert panel.minimumSizeHint().height() <= before
    assert _page_height(window) >= 280


def test_at_1920x1080_the_panel_stacks_above_problems(make_window, qtbot):
    window = make_window(show=False, size=(1920, 1080))
    panel = app.dock_cook_panel(window)  # before the first paint, as --cook --screenshot does
    assert window.dockWidgetArea(window.problems_dock) == BOTTOM
    window.show()
    wait_checked(qtbot, window)
    qtbot.waitUntil(lambda: panel.geometry().bottom() < window.problems_dock.geometry().top(),
                    timeout=3000)
    assert panel.width() == window.problems_dock.width()
    assert not window.tabifiedDockWidgets(panel)
    assert window.problems_dock.height() >= PROBLEMS_HEIGHT - 30
    assert _page_height(window) >= 350


def _parameters():
    from gui.cook.module_info import DeclaredParameter

    return [DeclaredParameter(name, label, kind, default)
            for name, label, kind, default in (("max_jobs", "Max Jobs", "int", "0"),
                                               ("tick_period", "Tick Period", "float", "0.05"),
                                               ("queue", "Queue", "string", "main"))]
