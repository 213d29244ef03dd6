"""The dots view on synthetic cooks: layout, patching, hit testing, growth."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QWheelEvent
from PySide6.QtWidgets import QApplication

from scheduler_studio.engine.cook.events import CookStarted, ItemAdded, ItemState
from scheduler_studio.gui.cook.cook_state import CookState
from scheduler_studio.gui.cook.dots_view import MAX_CANVAS_PX, PITCH, DotsView
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
    qtbot.waitUntil(lambda: not view._behind())   # a burst is drawn a slice a turn
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
    grown = bytes(view._blocks[0].canvas.buffer)
    fresh = _view(qtbot, state)                                # built in one go
    assert bytes(fresh._blocks[0].canvas.buffer) == grown
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


def test_a_hundred_thousand_items_get_smaller_cells_and_still_hit_test(qtbot):
    state = _state({"render": 40_000, "denoise": 40_000, "thumbs": 20_000})
    view = _view(qtbot, state)
    assert 0 < view.level < PITCH                    # smaller than dots, one item a cell
    assert view.verticalScrollBar().maximum() <= MAX_CANVAS_PX
    for item_id in (1, 39_999, 40_001, 77_777, 100_000):
        view.ensure_visible(item_id)
        assert view.item_at(view.dot_rect(item_id).center()) == item_id


def test_runs_of_items_in_one_pixel_name_the_item_that_colours_it(qtbot):
    state = _state({"a": 60_000})
    view = _view(qtbot, state, size=(200, 150))
    view.set_zoom(view.fit_level(view.viewport().height()))
    per_cell = view._blocks[0].canvas.per_cell
    assert per_cell >= 4 and view.verticalScrollBar().maximum() == 0  # all of it shows
    failed = 5 * per_cell + 2                       # inside the sixth pixel's run
    for item_id in (failed - 1, failed, failed + 1):
        state.apply(ItemState(item_id, "CookedSuccess", "ok"))
    state.apply(ItemState(failed, "CookedFail", "job failed"))
    view.refresh(state.take_changes())
    assert _pixel(view, failed) == QColor(STATE_COLOURS["failed"])  # not hidden by the rest
    rect = view.dot_rect(failed)
    assert view.dot_rect(failed - 1) == rect        # the same pixel
    assert view.item_at(rect.center()) == failed
    tip = view.tooltip_at(rect.center())
    assert tip.startswith(f"a_{failed} — CookedFail\none pixel of {per_cell} items")
    assert "2 succeeded" in tip and "1 failed" in tip
    with qtbot.waitSignal(view.sig_item_clicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [failed]


def test_ctrl_wheel_and_keys_zoom_and_ctrl_0_is_automatic(qtbot):
    state = _state({"a": 500})
    view = _view(qtbot, state)
    assert view.level == PITCH
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.level < PITCH
    smaller = view.level
    center = view.viewport().rect().center()
    wheel = QWheelEvent(QPointF(center), QPointF(view.mapToGlobal(center)), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.level < smaller
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.level == PITCH
    for item_id in (1, 250, 500):
        assert view.item_at(view.dot_rect(item_id).center()) == item_id


def test_after_every_zoom_step_hover_names_the_item_whose_colour_is_shown(qtbot):
    state = _state({"a": 3000, "b": 700})
    view = _view(qtbot, state, size=(300, 250))
    for item_id, code in ((5, "CookedFail"), (6, "CookedSuccess"), (2999, "CookedSuccess"),
                          (3001, "CookedFail"), (3700, "CookedSuccess")):
        state.apply(ItemState(item_id, code, ""))
    view.refresh(state.take_changes())
    colour = {"CookedFail": QColor(STATE_COLOURS["failed"]),
              "CookedSuccess": QColor(STATE_COLOURS["succeeded"]),
              "Waiting": QColor(STATE_COLOURS["waiting"])}
    seen = []
    while True:
        seen.append(view.level)
        for item_id in (1, 5, 6, 2999, 3001, 3700):
            view.ensure_visible(item_id)
            centre = view.dot_rect(item_id).center()
            shown = view.item_at(centre)
            per_cell = next(b.canvas.per_cell for b in view._blocks
                            if b.node == state.item(shown).node)
            assert shown == item_id or (per_cell > 1 and abs(shown - item_id) < per_cell)
            record = state.item(shown)
            assert view.tooltip_at(centre).startswith(f"{record.name} — {record.state}")
            assert _pixel(view, shown) == colour[record.state], (view.level, item_id)
        if view.level == -256:
            break
        qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert seen[0] == PITCH and len(seen) == 13
    assert view.item_at(view.dot_rect(5).center()) == 5   # a failure shows through its run


def _grow_past_the_dots_zoom(monkeypatch, qtbot):
    """A view at dots zoom, then enough new items that the automatic zoom shrinks; the
    re-lay goes a chunk of pixels a slice (RELAYOUT_CHUNK), as during a cook."""
    from scheduler_studio.gui.cook import dots_view
    monkeypatch.setattr(dots_view, "MAX_CANVAS_PX", 600)
    monkeypatch.setattr(dots_view, "RELAYOUT_SLICE_S", 0.0)    # one chunk a slice
    monkeypatch.setattr(dots_view, "RELAYOUT_CHUNK", 300 * 36)   # 300 items of 6 px
    state = _state({"a": 600, "b": 600})
    view = _view(qtbot, state)
    assert view.level == PITCH
    for item_id in range(1201, 3201):                          # dynamic items arrive
        state.apply(ItemAdded(item_id, f"a_{item_id}", "a", item_id - 601, "Waiting"))
    view.refresh(state.take_changes())
    assert view.level < PITCH
    return state, view


def test_a_new_automatic_zoom_is_laid_a_slice_a_turn_and_hover_stays_exact(qtbot,
                                                                          monkeypatch):
    state, view = _grow_past_the_dots_zoom(monkeypatch, qtbot)
    # The test drives the slices back to back, its own checks between them: that keeps
    # the GUI thread's CPU over the frame budget, so `turns` would hold every slice.
    from scheduler_studio.gui.cook import turns
    monkeypatch.setattr(turns, "refresh_waits", lambda cost_s=0.0: False)
    ids = (1, 599, 600, 601, 1200, 1201, 2500, 3200)
    assert [b.canvas.level for b in view._blocks] == [PITCH, PITCH]   # shown as they were
    for item_id in ids:
        view.ensure_visible(item_id)
        assert view.item_at(view.dot_rect(item_id).center()) == item_id
    state.apply(ItemState(2500, "CookedFail", "job failed"))  # changes while it re-lays
    state.apply(ItemState(700, "CookedSuccess", "ok"))
    view.refresh(state.take_changes())
    slices, mixed = 0, False
    while any(b.next is not None for b in view._blocks):
        view.stop()                                           # the test drives the slices
        view._on_relayout_due()
        slices += 1
        mixed |= len({b.canvas.level for b in view._blocks}) > 1
        for item_id in ids:                                   # each block's own zoom
            view.ensure_visible(item_id)
            assert view.item_at(view.dot_rect(item_id).center()) == item_id
    assert slices > 3 and mixed
    assert all(b.canvas.level == view.level for b in view._blocks)
    fresh = _view(qtbot, state)                                # built in one go
    assert [bytes(b.canvas.buffer) for b in view._blocks] == \
        [bytes(b.canvas.buffer) for b in fresh._blocks]
    assert _pixel(view, 2500) == QColor(STATE_COLOURS["failed"])
    assert _pixel(view, 700) == QColor(STATE_COLOURS["succeeded"])


def test_the_re_lay_finishes_on_its_own_and_a_zoom_asked_for_is_laid_at_once(qtbot,
                                                                          monkeypatch):
    state, view = _grow_past_the_dots_zoom(monkeypatch, qtbot)
    qtbot.waitUntil(lambda: all(b.canvas.level == view.level for b in view._blocks))
    assert all(b.next is None for b in view._blocks)
    level = view.level
    for item_id in range(3201, 11201):                         # shrinks again ...
        state.apply(ItemAdded(item_id, f"b_{item_id}", "b", item_id - 2601, "Waiting"))
    view.refresh(state.take_changes())
    assert view.level < level and any(b.next is not None for b in view._blocks)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)  # ... zoom
    assert all(b.canvas.level == view.level and b.next is None for b in view._blocks)
    for item_id in (1, 3200, 11200):
        view.ensure_visible(item_id)
        assert view.item_at(view.dot_rect(item_id).center()) == item_id


def test_a_burst_of_new_items_is_drawn_a_slice_a_turn_and_what_is_drawn_hit_tests(
        qtbot, monkeypatch):
    from scheduler_studio.gui.cook import dots_view
    monkeypatch.setattr(dots_view, "NEW_PER_TURN", 500)
    state = _state({"a": 10, "b": 10})
    view = _view(qtbot, state)
    for item_id in range(21, 3021):                            # a generator's burst
        state.apply(ItemAdded(item_id, f"a_{item_id}", "a", item_id - 11, "Waiting"))
    state.apply(ItemState(3000, "CookedFail", "job failed"))
    view.refresh(state.take_changes())
    assert sum(b.canvas.count for b in view._blocks) == 20 + 500   # drawn: what fits a turn
    assert view.dot_rect(3000) is None                         # not drawn yet: no cell
    for item_id in (1, 15, 500):
        view.ensure_visible(item_id)
        assert view.item_at(view.dot_rect(item_id).center()) == item_id
    qtbot.waitUntil(lambda: not view._behind())
    assert [b.canvas.count for b in view._blocks] == [3010, 10]
    assert _pixel(view, 3000) == QColor(STATE_COLOURS["failed"])   # its state when drawn
    fresh = _view(qtbot, state)
    assert [bytes(b.canvas.buffer) for b in view._blocks] == \
        [bytes(b.canvas.buffer) for b in fresh._blocks]


def test_relayout_rebuilds_every_node_at_once_to_the_same_pixels(qtbot):
    state = _state({"a": 700, "b": 30})
    view = _view(qtbot, state)
    before = [bytes(b.canvas.buffer) for b in view._blocks]
    canvases = [b.canvas for b in view._blocks]
    view.relayout()
    assert all(b.canvas is not old for b, old in zip(view._blocks, canvases))
    assert [bytes(b.canvas.buffer) for b in view._blocks] == before
    view.ensure_visible(730)
    assert view.item_at(view.dot_rect(730).center()) == 730


def _header_texts_fit(view) -> list[str]:
    """Every node header's texts: each fits its rect, inside the view, none over another."""
    shown = []
    bold = view.font()
    bold.setBold(True)
    for block in view._blocks:
        parts = view.header_parts(block)
        for index, (rect, text, is_name) in enumerate(parts):
            metrics = QFontMetrics(bold) if is_name else view.fontMetrics()
            assert metrics.horizontalAdvance(text) <= rect.width(), (text, rect)
            assert 0 <= rect.left() and rect.right() < view.viewport().width(), (text, rect)
            for other, other_text, _ in parts[index + 1:]:
                assert not rect.intersects(other), (text, other_text, view.width())
            shown.append(text)
    return shown


def test_node_headers_never_draw_names_over_counts_however_narrow(qtbot):
    """The trial's squeezed pane (~70 px): "render" was drawn over "0/20 ok". Narrower
    views drop the kind, then the counts, then elide the name; never overlap."""
    state = _state({"render": 20, "denoise": 20, "collect": 1})
    state.apply(ItemState(1, "CookedFail", "boom"))
    view = _view(qtbot, state, size=(600, 300))
    assert "render  (generator)" in _header_texts_fit(view)
    assert "0/20 succeeded  ·  1 failed" in _header_texts_fit(view)
    for width in (400, 300, 250, 200, 160, 120, 90, 70, 40):
        view.setMinimumWidth(0)
        view.resize(width, 300)
        shown = _header_texts_fit(view)
        assert shown, width
        assert shown[0].startswith("r"), (width, shown)
    assert "collect (generator): 1 items, 1 waiting" in \
        view.tooltip_at(QPoint(12, view._blocks[2].top + 5))


def test_the_view_keeps_a_usable_width(qtbot):
    """Sixteen dots a line and "collect  0/1 ok" side by side at its minimum width."""
    from scheduler_studio.gui.cook.dots_view import MIN_WIDTH
    state = _state({"render": 20, "denoise": 20, "collect": 1})
    view = _view(qtbot, state, size=(MIN_WIDTH, 300))
    assert view.minimumWidth() == MIN_WIDTH and view.width() == MIN_WIDTH
    assert all(len(view.header_parts(block)) == 2 for block in view._blocks)
