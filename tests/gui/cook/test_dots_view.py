"""The dots view on synthetic cooks: layout, patching, hit testing, growth."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from scheduler_studio.engine.cook.events import CookStarted, ItemAdded, ItemState
from scheduler_studio.gui.cook.cook_state import CookState
from scheduler_studio.gui.cook.dots_view import PITCH, DotsView
from scheduler_studio.gui.cook.look import STATE_COLOURS


def _state(counts: dict[str, int]) -> CookState:
    state = CookState()
    state.start("synthetic")
    state.apply(CookStarted("s", "synthetic", False, "m.py", "/w",
                            [{"name": n, "kind": "generator"} for n in counts]))
    next_id = 1
    for node, count in counts.items():
        for index in range(count):
            state.apply(ItemAdded(next_id, f"{node}_{next_id}", node, index, "Waiting"))
            next_id += 1
    return state


def _view(qtbot, state, size=(600, 400)) -> DotsView:
    view = DotsView(state)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.refresh(state.take_changes())
    return view


def _pixel(view, item_id) -> QColor:
    view.ensure_visible(item_id)
    rect = view.dot_rect(item_id)
    return QColor(view.viewport().grab().toImage().pixel(rect.center()))


def test_hit_testing_round_trips(qtbot):
    state = _state({"a": 250, "b": 3, "c": 1})
    view = _view(qtbot, state)
    for item_id in (1, 57, 250, 251, 253, 254):
        view.ensure_visible(item_id)
        rect = view.dot_rect(item_id)
        assert view.item_at(rect.center()) == item_id
    assert view.item_at(QPoint(2, 2)) is None                  # the margin
    assert view.tooltip_at(view.dot_rect(251).center()) == "b_251 — Waiting"


def test_state_change_patches_the_dot(qtbot):
    state = _state({"a": 5000})
    view = _view(qtbot, state)
    state.apply(ItemState(4321, "CookedFail", "job failed"))
    state.apply(ItemState(7, "CookedSuccess", "ok"))
    view.refresh(state.take_changes())
    red, green = QColor(STATE_COLOURS["failed"]), QColor(STATE_COLOURS["succeeded"])
    assert _pixel(view, 4321) == red
    assert _pixel(view, 7) == green
    assert _pixel(view, 8) == QColor(STATE_COLOURS["waiting"])


def test_growth_and_resize_keep_layout_consistent(qtbot):
    state = _state({"a": 95})
    view = _view(qtbot, state)
    for item_id in range(96, 140):                             # dynamic items arrive
        state.apply(ItemAdded(item_id, f"a_{item_id}", "a", item_id - 1, "Waiting"))
        if item_id % 7 == 0:
            state.apply(ItemState(item_id, "Cooking", ""))
            view.refresh(state.take_changes())
    view.refresh(state.take_changes())
    grown = bytes(view._blocks[0].buffer)
    fresh = _view(qtbot, state)                                # built in one go
    assert bytes(fresh._blocks[0].buffer) == grown
    view.resize(300, 400)
    qtbot.waitUntil(lambda: view._per_line == (view.viewport().width() - 20) // PITCH)
    for item_id in (1, 100, 139):
        view.ensure_visible(item_id)
        assert view.item_at(view.dot_rect(item_id).center()) == item_id


def test_click_selects_and_emits(qtbot):
    state = _state({"a": 10})
    view = _view(qtbot, state)
    with qtbot.waitSignal(view.sig_item_clicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.dot_rect(6).center())
    assert blocker.args == [6]
    with qtbot.assertNotEmitted(view.sig_item_clicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(590, 390))


def test_ten_thousand_items_scroll(qtbot):
    state = _state({"big": 10_000})
    view = _view(qtbot, state)
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    view.ensure_visible(10_000)
    assert bar.value() > 0
    assert view.item_at(view.dot_rect(10_000).center()) == 10_000
