"""The event wire: what the cook host writes, the CLI and the window read back, as it
was sent; lines that are not events are refused with a reason, never half-read."""
from __future__ import annotations

import pytest

from scheduler_studio.engine.cook.events import (CallbackCalled, CookFinished, CookStarted,
                                                 ItemAdded, ItemDetails, ItemState, LogMessage,
                                                 WireError, from_json)

EVENTS = [
    CookStarted("local", "frames", False, "/m.py", "/w", nodes=[{"name": "a", "kind": "g"}]),
    ItemAdded(3, "a_3", "a", 3, "Waiting", frame=1.5, priority=2),
    ItemState(3, "CookedSuccess", "job ended 0"),
    ItemDetails(3, "true", {"x": [1, 2], "s": ["é"]}, ["in"], ["out"], [], 0.25,
                "file:///log", "", "true"),
    CallbackCalled("onSchedule", 3, "(<WorkItem a_3>,)", 0.001, "Succeeded",
                   {"message": "boom", "frames": [{"file": "m.py", "line": 4}]}),
    LogMessage("warning", "careful\nnow"),
    CookFinished({"status": "succeeded", "items": {"total": 1}}),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.type)
def test_every_event_reads_back_as_sent_from_text_and_bytes(event):
    line = event.to_json()
    assert from_json(line) == event
    assert from_json(line.encode("utf-8")) == event
    assert from_json(f"  {line} \r") == event


def test_defaults_are_filled_and_never_shared():
    first = from_json('{"v":1,"type":"item_details","id":1}')
    second = from_json('{"v":1,"type":"item_details","id":2}')
    assert first == ItemDetails(1) and second == ItemDetails(2)
    assert first.attributes is not second.attributes
    assert from_json('{"v":1,"type":"item_state","id":1,"state":"Cooking","extra":5}') \
        == ItemState(1, "Cooking")


@pytest.mark.parametrize("line, reason", [
    ('{"v":1,"type":"item_state","id":1,"state":"Cooking"} trailing', "not JSON"),
    ('{"v":1,"type":"item_state","id":1,"state":"Cooking"}{"v":1}', "not JSON"),
    ('{"v":1,"type":"item_state","id":', "not JSON"),
    (b'{"v":1,"type":"log","level":"info","message":"\xff"}', "not JSON"),
    ('[1, 2]', "an event is a JSON object"),
    ('{"v":2,"type":"log","level":"info","message":"m"}', "unsupported event version 2"),
    ('{"v":1,"type":"gossip"}', "unknown event type 'gossip'"),
    ('{"v":1,"type":"item_state","state":"Cooking"}', "bad item_state event: missing id"),
    ("", "not JSON"),
])
def test_a_line_that_is_no_event_is_refused_with_the_reason(line, reason):
    with pytest.raises(WireError, match=reason):
        from_json(line)
