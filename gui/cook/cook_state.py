"""What the test-cook panel knows about the running cook, fed by cook-host events.

A plain model with no Qt in it, so it can be tested from recorded NDJSON: `apply` takes
`scheduler_studio.engine.cook.events` records, keeps items, nodes and per-state counts, and remembers what
changed since the views last looked (`take_changes`), so a view redraws only that.

Item data is kept in tuples where it can be: a 10,000-item cook must not hand Python's
cyclic garbage collector tens of thousands of containers to scan (full collections
would then stall the GUI); tuples of plain values are untracked after their first pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from scheduler_studio.engine.cook.events import Event

CATEGORIES = ("waiting", "scheduled", "cooking", "succeeded", "failed", "cancelled")
WAITING, SCHEDULED, COOKING, SUCCEEDED, FAILED, CANCELLED = range(len(CATEGORIES))
FINISHED = (SUCCEEDED, FAILED, CANCELLED)
STATE_CATEGORY = {
    "Undefined": WAITING, "Dirty": WAITING, "Uncooked": WAITING, "Waiting": WAITING,
    "Scheduled": SCHEDULED, "Cooking": COOKING,
    "CookedSuccess": SUCCEEDED, "CookedCache": SUCCEEDED,
    "CookedFail": FAILED, "CookedCancel": CANCELLED,
}
HISTORY_CAP = 32          # state changes remembered per item (the item's story)
FINAL_STATUSES = ("succeeded", "failed", "cancelled", "timeout", "error", "crashed")


def category_of(state: str) -> int:
    return STATE_CATEGORY.get(state, WAITING)


def _frozen(value: Any) -> Any:
    """Lists (also nested) as tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


@dataclass(slots=True)
class ItemRecord:
    """One work item as the panel shows it."""

    id: int
    name: str
    node: str
    index: int
    state: str
    category: int
    frame: Optional[float] = None
    priority: int = 0
    static: bool = True
    in_process: bool = False
    command: str = ""
    command_expanded: str = ""                    # when the host reports it
    attributes: tuple = ()                        # ((name, values), ...) sorted by name
    inputs: tuple = ()
    expected_outputs: tuple = ()
    outputs: tuple = ()
    cook_time: float = 0.0
    log_uri: str = ""
    status_uri: str = ""
    history: tuple = ()                           # ((state, cause), ...), oldest first
    errors: tuple = ()                            # ((callback, error dict), ...) it raised

    @property
    def finished(self) -> bool:
        return self.category in FINISHED


@dataclass
class NodeRecord:
    name: str
    kind: str = ""
    items: list = field(default_factory=list)     # item ids in arrival order
    counts: list = field(default_factory=lambda: [0] * len(CATEGORIES))


@dataclass
class Changes:
    """What moved since the last `take_changes`: views redraw only this."""

    layout: bool = False                          # nodes or items were added
    items: set = field(default_factory=set)       # ids whose state changed
    details: set = field(default_factory=set)     # ids whose details changed
    status: bool = False                          # cook status or summary changed

    def __bool__(self) -> bool:
        return self.layout or self.status or bool(self.items) or bool(self.details)


class CookState:
    """Items, nodes and counts of one cook; reset for the next."""

    def __init__(self, discard: Optional[Callable[..., None]] = None) -> None:
        """`discard(items, nodes)` is handed the last cook's containers on a reset (the
        panel frees them gradually: `gui.cook.reclaim`); by default they are dropped."""
        self._discard = discard
        self.reset()

    def reset(self, graph: str = "") -> None:
        if self._discard is not None and getattr(self, "items", None):
            self._discard(self.items, self.nodes)
        self.status = "idle"
        self.graph, self.scheduler, self.module, self.workdir = graph, "", "", ""
        self.static = False
        self.nodes: dict[str, NodeRecord] = {}
        self.items: dict[int, ItemRecord] = {}
        self.counts = [0] * len(CATEGORIES)
        self.summary: Optional[dict[str, Any]] = None
        self.callback_calls = 0
        self.callback_errors = 0
        self.unknown_items = 0        # state reports for ids we never saw added
        self._changes = Changes(layout=True, status=True)

    # -- feeding ---------------------------------------------------------------------------
    def start(self, graph: str) -> None:
        """A cook was launched; events will follow."""
        self.reset(graph)
        self.status = "running"

    def apply_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.apply(event)

    def apply(self, event: Event) -> None:
        handler = getattr(self, "_handle_" + event.type, None)
        if handler is not None:
            handler(event)

    def host_ended(self, outcome: str) -> None:
        """The host process is gone; settle the status if no summary said it."""
        if self.status == "running":
            self.status = "cancelled" if outcome in ("cancelled", "killed") else "crashed"
            self._changes.status = True

    def take_changes(self) -> Changes:
        changes, self._changes = self._changes, Changes()
        return changes

    # -- handlers (one per event type) -----------------------------------------------------
    def _handle_cook_started(self, event) -> None:
        self.scheduler, self.graph, self.static = event.scheduler, event.graph, event.static
        self.module, self.workdir = event.module, event.workdir
        for node in event.nodes:
            name = node.get("name", "") if isinstance(node, dict) else str(node)
            record = self._node(name)
            record.kind = node.get("kind", "") if isinstance(node, dict) else ""
        self.status = "running"
        self._changes.layout = self._changes.status = True

    def _handle_item_added(self, event) -> None:
        if event.id in self.items:
            return
        category = category_of(event.state)
        item = ItemRecord(event.id, event.name, event.node, event.index, event.state, category,
                          event.frame, event.priority, event.static, event.in_process)
        item.history = ((event.state, "added"),)
        self.items[event.id] = item
        node = self._node(event.node)
        node.items.append(event.id)
        node.counts[category] += 1
        self.counts[category] += 1
        self._changes.layout = True

    def _handle_item_state(self, event) -> None:
        item = self.items.get(event.id)
        if item is None:
            self.unknown_items += 1
            return
        category = category_of(event.state)
        if category != item.category:
            node = self.nodes[item.node]
            node.counts[item.category] -= 1
            node.counts[category] += 1
            self.counts[item.category] -= 1
            self.counts[category] += 1
            item.category = category
            self._changes.items.add(item.id)
        item.state = event.state
        history = item.history + ((event.state, event.cause),)
        if len(history) > HISTORY_CAP:     # keep how it started, and the latest
            history = history[:1] + history[len(history) - HISTORY_CAP + 1:]
        item.history = history
        self._changes.details.add(item.id)

    def _handle_item_details(self, event) -> None:
        item = self.items.get(event.id)
        if item is None:
            self.unknown_items += 1
            return
        item.command = event.command or item.command
        item.command_expanded = getattr(event, "command_expanded", "") or item.command_expanded
        attributes = event.attributes if isinstance(event.attributes, dict) else {}
        item.attributes = tuple(sorted((str(k), _frozen(v)) for k, v in attributes.items()))
        item.inputs = _frozen(event.inputs)
        item.expected_outputs = _frozen(event.expected_outputs)
        item.outputs = _frozen(event.outputs)
        item.cook_time = event.cook_time or item.cook_time
        # later reports may leave the URIs out: keep the ones the scheduler gave first
        item.log_uri = event.log_uri or item.log_uri
        item.status_uri = event.status_uri or item.status_uri
        self._changes.details.add(item.id)

    def _handle_callback(self, event) -> None:
        self.callback_calls += 1
        if event.error:
            self.callback_errors += 1
            self._changes.status = True
            item = self.items.get(event.item) if event.item is not None else None
            if item is not None:
                item.errors = item.errors + ((event.name, event.error),)
                self._changes.details.add(item.id)

    def _handle_cook_finished(self, event) -> None:
        self.summary = dict(event.summary)
        status = self.summary.get("status", "failed")
        self.status = status if status in FINAL_STATUSES else "failed"
        self._changes.status = True

    # -- queries ---------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def finished(self) -> int:
        return sum(self.counts[c] for c in FINISHED)

    @property
    def running(self) -> bool:
        return self.status == "running"

    def count(self, category: str) -> int:
        return self.counts[CATEGORIES.index(category)]

    def item(self, item_id: int) -> Optional[ItemRecord]:
        return self.items.get(item_id)

    def items_of(self, node: str) -> list[ItemRecord]:
        record = self.nodes.get(node)
        return [self.items[i] for i in record.items] if record else []

    def validate(self) -> None:
        """Check the counters against the items (tests call this after every feed)."""
        totals = [0] * len(CATEGORIES)
        for name, node in self.nodes.items():
            counts = [0] * len(CATEGORIES)
            for item_id in node.items:
                item = self.items[item_id]
                assert item.node == name, (item, name)
                assert item.category == category_of(item.state), item
                counts[item.category] += 1
            assert counts == node.counts, (name, counts, node.counts)
            totals = [a + b for a, b in zip(totals, counts)]
        assert totals == self.counts, (totals, self.counts)
        assert sum(len(n.items) for n in self.nodes.values()) == len(self.items)

    def _node(self, name: str) -> NodeRecord:
        record = self.nodes.get(name)
        if record is None:
            record = self.nodes[name] = NodeRecord(name)
            self._changes.layout = True
        return record
