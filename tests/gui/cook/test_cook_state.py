"""The cook panel's model, fed from recorded cook-host transcripts (no Qt, no process)."""
from __future__ import annotations

import pytest

from scheduler_studio.engine.cook.events import (CallbackCalled, CookFinished, CookStarted,
                                                 ItemAdded, ItemDetails, ItemState, from_json)
from scheduler_studio.gui.cook.cook_state import (CANCELLED, COOKING, FAILED, HISTORY_CAP,
                                                  SCHEDULED, SUCCEEDED, WAITING, CookState,
                                                  category_of)
from tests.gui.cook.conftest import DATA


def _events(name: str):
    with open(DATA / f"{name}.ndjson", encoding="utf-8") as handle:
        return [from_json(line) for line in handle if line.strip()]


def _feed(events, every: int = 1) -> CookState:
    state = CookState()
    state.start("test")
    for i, event in enumerate(events):
        state.apply(event)
        if i % every == 0:
            state.validate()
    state.validate()
    return state


def test_frames_transcript_ends_all_succeeded():
    state = _feed(_events("frames"))
    assert state.status == "succeeded"
    assert state.total == 41 and state.finished == 41
    assert state.count("succeeded") == 41
    assert list(state.nodes) == ["render", "denoise", "collect"]
    assert [n.kind for n in state.nodes.values()] == ["generator", "processor", "partitioner"]
    assert [len(n.items) for n in state.nodes.values()] == [20, 20, 1]
    render_1 = state.items_of("render")[0]
    assert render_1.name == "render_1"
    assert [s for s, _ in render_1.history] == ["Waiting", "Scheduled", "Cooking",
                                                "CookedSuccess"]
    assert render_1.log_uri.startswith("file://")      # kept although later reports omit it
    assert render_1.outputs and render_1.cook_time > 0
    assert state.summary["items"]["succeeded"] == 41
    assert state.callback_errors == 0 and state.callback_calls > 41


def test_failing_transcript_counts_match_summary():
    state = _feed(_events("failing"))
    assert state.status == "failed"
    summary = state.summary["items"]
    assert state.count("failed") == summary["failed"] == 2
    assert state.count("succeeded") == summary["succeeded"]
    assert sorted(i.name for i in state.items.values() if i.category == FAILED) == \
        ["render_4", "render_8"]
    # the dependents of failed items never cook
    assert state.count("waiting") == summary["uncooked"]
    render_4 = state.items[4]
    assert "--exit-code 3" in render_4.command
    assert render_4.status_uri.startswith("file://")


def test_static_transcript():
    state = _feed(_events("static"))
    assert state.static and state.status == "succeeded"
    assert state.count("succeeded") == state.total == 14


def test_cancelled_transcript():
    state = _feed(_events("cancelled"))
    assert state.status == "cancelled"
    assert state.count("waiting") == state.total == 41


def test_changes_name_only_what_moved():
    events = _events("frames")
    state = CookState()
    state.start("frames")
    first_state = next(i for i, e in enumerate(events) if e.type == "item_state")
    state.apply_all(events[:first_state])
    changes = state.take_changes()
    assert changes.layout and not changes.items
    state.apply(events[first_state])
    changes = state.take_changes()
    assert not changes.layout and changes.items == {events[first_state].id}
    assert not state.take_changes()                   # nothing since the last look


def test_transitions_count_per_category():
    state = CookState()
    state.start("g")
    state.apply(CookStarted("s", "g", False, "m.py", "/w", [{"name": "a", "kind": "generator"}]))
    for i in (1, 2):
        state.apply(ItemAdded(i, f"a_{i}", "a", i - 1, "Waiting"))
    assert state.counts[WAITING] == 2
    for new, category in (("Scheduled", SCHEDULED), ("Cooking", COOKING),
                          ("CookedSuccess", SUCCEEDED)):
        state.apply(ItemState(1, new, "test"))
        assert state.items[1].category == category
        state.validate()
    state.apply(ItemState(2, "CookedCancel", "cancel"))
    assert state.counts == [0, 0, 0, 1, 0, 1] and state.counts[CANCELLED] == 1
    assert state.finished == 2


def test_unknown_ids_and_duplicates_are_counted_not_fatal():
    state = CookState()
    state.start("g")
    state.apply(ItemState(99, "Cooking", "?"))
    state.apply(ItemDetails(99, command="x"))
    state.apply(ItemAdded(1, "n_1", "n", 0, "Waiting"))
    state.apply(ItemAdded(1, "n_1", "n", 0, "Waiting"))
    state.validate()
    assert state.unknown_items == 2 and state.total == 1
    assert list(state.nodes) == ["n"]                 # a node the start event did not list


def test_details_keep_uris_and_history_is_capped():
    state = CookState()
    state.start("g")
    state.apply(ItemAdded(1, "n_1", "n", 0, "Waiting"))
    state.apply(ItemDetails(1, command="run", log_uri="file:///l", status_uri="file:///s"))
    state.apply(ItemDetails(1, outputs=["o"], cook_time=1.5))
    item = state.items[1]
    assert (item.log_uri, item.status_uri, item.command, item.outputs) == \
        ("file:///l", "file:///s", "run", ("o",))
    for i in range(HISTORY_CAP * 2):
        state.apply(ItemState(1, "Scheduled" if i % 2 else "Cooking", f"step {i}"))
    assert len(item.history) == HISTORY_CAP
    assert item.history[0] == ("Waiting", "added")    # the first entry stays
    assert item.history[-1][1] == f"step {HISTORY_CAP * 2 - 1}"


@pytest.mark.parametrize("outcome, status", [("cancelled", "cancelled"), ("killed", "cancelled"),
                                             ("crashed", "crashed"), ("exited", "crashed")])
def test_host_end_without_summary(outcome, status):
    state = CookState()
    state.start("g")
    state.host_ended(outcome)
    assert state.status == status


def test_summary_wins_over_host_end():
    state = CookState()
    state.start("g")
    state.apply(CookFinished({"status": "timeout"}))
    state.host_ended("exited")
    assert state.status == "timeout"


def test_callback_errors_counted():
    state = CookState()
    state.start("g")
    state.apply(CallbackCalled("onSchedule", 1, "<WorkItem>", 0.1, None, {"message": "boom"}))
    state.apply(CallbackCalled("onTick", None, "", 0.1, "ready"))
    assert (state.callback_calls, state.callback_errors) == (2, 1)


def test_category_of_unknown_state_is_waiting():
    assert category_of("Nonsense") == WAITING
    assert category_of("CookedCache") == SUCCEEDED
