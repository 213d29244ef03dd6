"""The cook panel at 1280x800 with Problems open (the new-user trial's window): every
pane keeps a usable size and its texts are whole, never drawn over each other."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from scheduler_studio.engine.codegen.starters import new_document
from scheduler_studio.engine.cook.events import CookStarted, ItemAdded, ItemState
from scheduler_studio.gui.cook.dots_view import MIN_WIDTH
from tests.gui.cook.conftest import editor_window_with_panel

# the trial's post-mortem pause: one long line in the debugger's status
MESSAGE = ("AttributeError: the farmapi stand-in has no 'submit' yet: add it to "
           "/tmp/trial/repo/deadline_like.standins/farmapi.py")


def _feed(panel) -> None:
    """The trial's frames graph, as a cook would fill it: 20 + 20 + 1 items, one failed."""
    state = panel.state
    state.start("frames")
    state.apply(CookStarted("s", "frames", False, "m.py", "/w",
                            [{"name": "render", "kind": "generator"},
                             {"name": "denoise", "kind": "processor"},
                             {"name": "collect", "kind": "partitioner"}]))
    next_id = 1
    for node, count in (("render", 20), ("denoise", 20), ("collect", 1)):
        for index in range(count):
            state.apply(ItemAdded(next_id, f"{node}_{index}", node, index, "Waiting"))
            next_id += 1
    state.apply(ItemState(1, "CookedFail", "boom"))
    panel._on_refresh()


def _pause(panel) -> None:
    event = SimpleNamespace(stack=[{"function": "__getattr__", "file": "farmapi.py",
                                    "line": 10, "user": False},
                                   {"function": "onSchedule", "file": "m.py", "line": 17,
                                    "user": True}],
                            callback="onSchedule", message=MESSAGE, reason="exception",
                            frame=0, variables=[])
    panel.debugger.set_paused(event, "render_1")
    panel.tabs.setCurrentWidget(panel.debugger)


@pytest.fixture
def trial_window(qtbot, tmp_path, monkeypatch):
    from dataclasses import replace

    from scheduler_studio.engine.codegen.document import FrozenMap
    doc = new_document("fit", "Fit")
    bodies = dict(doc.bodies)   # the trial's module: parameters nobody declared
    bodies["onSchedule"] = ('pool = self["farm_pool"].evaluateString()\n'
                            'return pdg.scheduleResult.Succeeded\n')
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  replace(doc, bodies=FrozenMap(bodies)), theme="dark",
                                  size=(1280, 800)) as (window, panel):
        qtbot.waitUntil(lambda: window.problems_model.rowCount() > 0, timeout=20_000)
        window.show_problems(True)
        qtbot.waitUntil(lambda: window.problems_dock.isVisible())
        QApplication.processEvents()
        assert window.problems_dock.x() >= panel.x() + panel.width() - 1  # beside it
        yield window, panel


def test_a_post_mortem_pause_leaves_the_dots_a_usable_width(qtbot, trial_window):
    window, panel = trial_window
    _feed(panel)
    QApplication.processEvents()
    problems = window.problems_dock.width()
    _pause(panel)
    QApplication.processEvents()
    assert window.problems_dock.width() == problems   # nor is Problems pushed aside
    dots = panel.dots
    qtbot.waitUntil(lambda: dots.width() >= MIN_WIDTH)
    assert "farmapi.py" in panel.debugger.status.text()
    bold = dots.font()
    bold.setBold(True)
    for block in dots._blocks:
        parts = dots.header_parts(block)
        assert len(parts) == 2, parts                  # name and counts, side by side
        (name, name_text, _), (count, count_text, _) = parts
        assert not name.intersects(count), (name_text, count_text, dots.width())
        assert QFontMetrics(bold).horizontalAdvance(name_text) <= name.width()
        assert dots.fontMetrics().horizontalAdvance(count_text) <= count.width()
    # the long status wraps in the debugger's own width, it does not push the dots aside
    status = panel.debugger.status
    assert status.width() <= panel.debugger.width() and status.wordWrap()
    assert status.heightForWidth(status.width()) <= status.height()
    assert panel.tabs.minimumSizeHint().width() + MIN_WIDTH < panel.splitter.width()



def _whole(widget) -> bool:
    """The widget is on show in full: not cut by a scroll area or a splitter."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def test_trace_headers_and_names_are_whole_at_1280(qtbot, trial_window):
    from PySide6.QtCore import Qt

    from scheduler_studio.engine.cook.events import CallbackCalled
    window, panel = trial_window
    panel.trace_model.add_events([CallbackCalled(name, None, "<WorkItem render_1>", 0.001,
                                                 "True")
                                  for name in ("onSchedule", "getLogURI", "onTick",
                                               "onStopCook", "onStop")])
    panel.tabs.setCurrentWidget(panel.trace)
    QApplication.processEvents()
    table = panel.trace.table
    header = table.horizontalHeader()
    assert _whole(header.viewport())
    for column in range(panel.trace_model.columnCount()):
        text = panel.trace_model.headerData(column, Qt.Orientation.Horizontal)
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= header.viewport().width()
        assert header.fontMetrics().horizontalAdvance(text) + 4 <= header.sectionSize(column)
    for row in range(panel.trace_model.rowCount()):
        name = panel.trace_model.index(row, 1).data()
        assert table.fontMetrics().horizontalAdvance(name) + 6 <= header.sectionSize(1), name


def test_options_browse_is_whole_at_1280_with_problems_open(qtbot, trial_window):
    window, panel = trial_window
    panel.tabs.setCurrentWidget(panel.options)
    QApplication.processEvents()
    browse = panel.options.browse_button
    assert _whole(browse), (browse.visibleRegion().boundingRect(), browse.rect())
    assert browse.width() >= browse.sizeHint().width()
    from PySide6.QtWidgets import QScrollArea
    area = panel.options.findChild(QScrollArea)
    assert not area.horizontalScrollBar().isVisible()   # nothing is off to the right
    for box in (panel.options.no_auth, panel.options.post_mortem):
        right = box.label.mapTo(area.viewport(), box.label.rect().topRight()).x()
        assert right < area.viewport().width()
        assert box.label.heightForWidth(box.label.width()) <= box.label.height()


def test_a_check_box_text_toggles_it_as_its_own_text_would(qtbot, trial_window):
    from PySide6.QtCore import Qt
    window, panel = trial_window
    panel.tabs.setCurrentWidget(panel.options)
    box = panel.options.post_mortem
    was = box.isChecked()
    assert "post-mortem" in box.label.text()
    qtbot.mouseClick(box.label, Qt.MouseButton.LeftButton)
    assert box.isChecked() is not was
