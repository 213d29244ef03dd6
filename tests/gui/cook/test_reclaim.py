"""The last cook's records are freed over several event-loop turns, not on the click."""
from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QCoreApplication

from scheduler_studio.engine.cook.events import ItemState
from scheduler_studio.gui.cook import reclaim
from scheduler_studio.gui.cook.cook_state import CookState
from scheduler_studio.gui.cook.dots_view import DotsView
from tests.gui.cook.test_dots_view import _state


class _Record:
    """Something weak-referenceable, to see when it is freed."""


def test_containers_are_emptied_a_slice_at_a_time(qtbot):
    records = [_Record() for _ in range(200_000)]
    watch = [weakref.ref(records[0]), weakref.ref(records[-1])]
    big = {i: r for i, r in enumerate(records)}
    ring, tags = list(records), set(range(50_000))
    del records
    reclaim.later(big, ring, tags, [], {})
    assert reclaim.pending() == 450_000        # nothing freed before the loop turns
    assert watch[0]() is not None
    turns = []
    while reclaim.pending() and len(turns) < 100_000:
        QCoreApplication.processEvents()
        turns.append(reclaim.pending())
    assert not big and not ring and not tags
    gc.collect()
    assert [w() for w in watch] == [None, None]
    assert len(set(turns)) > 3                 # it took several turns, a slice each


def test_a_reset_hands_the_last_cook_over_and_starts_empty(qtbot):
    handed = []
    state = CookState(discard=lambda *containers: handed.append(containers))
    state.start("g")
    state.reset()                              # nothing cooked: nothing to hand over
    assert handed == []
    cooked = _state({"a": 30})
    state = CookState(discard=lambda *containers: handed.append(containers))
    state.__dict__.update({k: v for k, v in cooked.__dict__.items() if k != "_discard"})
    items, nodes = state.items, state.nodes
    state.start("again")
    assert handed == [(items, nodes)] and len(items) == 30
    assert state.items == {} and state.nodes == {} and state.total == 0
    state.apply(ItemState(5, "CookedSuccess", ""))   # an id of the last cook: unknown now
    assert state.unknown_items == 1


def test_dots_reset_frees_the_index_later_and_shows_the_new_cook(qtbot):
    state = _state({"a": 20_000})
    view = DotsView(state)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    view.refresh(state.take_changes())
    qtbot.waitUntil(lambda: not view._behind())   # drawn a slice a turn
    old_index = view._where
    assert len(old_index) == 20_000
    state.start("next")                         # as the panel does on a new cook
    view.reset()
    assert view._where == {} and view.dot_rect(1) is None
    qtbot.waitUntil(lambda: not old_index, timeout=20_000)
