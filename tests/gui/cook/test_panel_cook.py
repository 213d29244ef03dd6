"""Cooking sample graphs in the panel, driven like a user."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from scheduler_studio.gui.cook.cook_state import FAILED, SUCCEEDED
from scheduler_studio.gui.cook.dots_view import DOT
from scheduler_studio.gui.cook.look import STATE_COLOURS
from tests.gui.cook.conftest import LOCAL_TEMPLATE, cook, file_provider


def _dot_colour(panel, item_id) -> QColor:
    view = panel.dots
    view.ensure_visible(item_id)
    rect = view.dot_rect(item_id)
    image = view.viewport().grab().toImage()
    return QColor(image.pixel(rect.center()))


def _click_dot(qtbot, panel, item_id) -> None:
    panel.dots.ensure_visible(item_id)
    rect = panel.dots.dot_rect(item_id)
    qtbot.mouseClick(panel.dots.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_frames_cook_turns_every_dot_green(qtbot, make_panel):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    assert cook(qtbot, panel, "frames") == "succeeded"
    state = panel.state
    assert state.total == 41
    assert state.count("succeeded") == 41
    assert [len(n.items) for n in state.nodes.values()] == [20, 20, 1]
    assert panel.counts.progress.value() == panel.counts.progress.maximum() == 41
    assert "41 succeeded" in panel.counts.counts_text()
    assert panel.counts.status_text() == "Cook succeeded"
    green = QColor(STATE_COLOURS["succeeded"])
    for item in state.items.values():
        assert item.category == SUCCEEDED
        colour = _dot_colour(panel, item.id)
        assert abs(colour.red() - green.red()) < 8 and abs(colour.green() - green.green()) < 8
    assert panel.trace_model.total > 41        # onSchedule per item, and more
    assert panel.cook_button.isEnabled() and not panel.cancel_button.isEnabled()


def test_failing_cook_shows_red_dots_log_and_trace(qtbot, make_panel):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    assert cook(qtbot, panel, "failing") == "failed"
    failed = [i for i in panel.state.items.values() if i.category == FAILED]
    assert [i.name for i in failed] == ["render_4", "render_8"]
    red = QColor(STATE_COLOURS["failed"])
    for item in failed:
        colour = _dot_colour(panel, item.id)
        assert abs(colour.red() - red.red()) < 8 and abs(colour.green() - red.green()) < 8

    _click_dot(qtbot, panel, failed[0].id)
    details = panel.details
    assert panel.tabs.currentWidget() is details
    assert details.item_id == failed[0].id
    qtbot.waitUntil(lambda: "render failed on purpose" in details.log_text(), timeout=5000)
    info = details.info_text()
    assert "CookedFail" in info or "CookedFail" in panel.details.title_text()
    assert "--exit-code 3" in info and "__PDG_PYTHON__" not in info
    assert "frame.0004.txt" in info                                  # expected output
    qtbot.waitUntil(lambda: "exit code 3" in details.info_text(), timeout=5000)  # status URI

    model = panel.trace_model
    assert model.total > 0
    panel.trace.set_filter(item="render_4")
    assert model.rowCount() > 0
    assert {model.entry(r).item_name for r in range(model.rowCount())} == {"render_4"}
    panel.trace.set_filter(callback="onSchedule")
    assert {model.entry(r).name for r in range(model.rowCount())} == {"onSchedule"}


def test_hover_tooltip_names_item_and_state(qtbot, make_panel):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    assert cook(qtbot, panel, "failing") == "failed"
    rect = panel.dots.dot_rect(4)
    assert panel.dots.tooltip_at(rect.center()) == "render_4 — CookedFail"
    assert panel.dots.tooltip_at(QPoint(rect.right() + 5 * DOT, rect.center().y())) in (
        "", "render_5 — CookedSuccess", "render_6 — CookedSuccess", "render_7 — CookedSuccess",
        "render_8 — CookedFail", "render_9 — CookedSuccess")


def test_static_cook(qtbot, make_panel):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    assert cook(qtbot, panel, "static", static=True) == "succeeded"
    assert panel.state.static
    assert panel.state.count("succeeded") == panel.state.total > 0
    names = {panel.trace_model.entry(r).name for r in range(panel.trace_model.rowCount())}
    assert "onScheduleStatic" in names


def test_details_follow_a_running_job_from_a_graph_file(qtbot, make_panel, tmp_path):
    import json
    graph = tmp_path / "slow.json"
    graph.write_text(json.dumps({"name": "slow", "nodes": [{
        "name": "render", "kind": "generator", "count": 2, "frame_start": 1,
        "outputs": ["__PDG_DIR__/render/frame.{frame4}.txt"],
        "command": "{python} {jobs}/render.py --frame {frame} --sleep 3 --out {out}"}]}))
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    panel.set_graph(str(graph))
    assert panel.graph() == str(graph)
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=60_000):
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state.count("cooking") > 0, timeout=30_000)
        cooking = next(i for i in panel.state.items.values() if i.state == "Cooking")
        qtbot.waitUntil(lambda: panel.dots.dot_rect(cooking.id) is not None)
        _click_dot(qtbot, panel, cooking.id)
        details = panel.details
        qtbot.waitUntil(lambda: "rendering frame" in details.log_text(), timeout=10_000)
        assert panel.is_cooking() and "Cooking" in details.title_text()
    assert panel.state.status == "succeeded"
    qtbot.waitUntil(lambda: "CookedSuccess" in details.title_text(), timeout=5000)
    assert "exit code 0" in details.info_text()
