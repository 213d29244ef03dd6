"""The item ledger of one cook: states, what is ready, running, blocked, and counts.

Pure bookkeeping with no calls into user code, so it can be tested on its own. Every
state change goes through `set_state`, which checks the transition table and tells the
listener (the event stream) what changed and why.
"""
from __future__ import annotations

import heapq
from typing import Any, Callable, Iterable, Optional

from ..model.enums import FINISHED_STATES, SUCCESS_STATES, workItemState as S
from ..model.transitions import check_transition
from ..model.workitem import WorkItem
from .summary import item_counts

RUNNING_STATES = frozenset({S.Scheduled, S.Cooking})
FAILED_STATES = frozenset({S.CookedFail, S.CookedCancel})


class ItemBook:
    def __init__(self, on_change: Optional[Callable[[WorkItem, S, str], None]] = None):
        self.on_change = on_change
        self.items: list[WorkItem] = []
        self.running: set[WorkItem] = set()
        self.blocked: set[WorkItem] = set()
        self._ready: list[tuple[int, int, WorkItem]] = []
        self.unfinished = 0
        self.counts = {s: 0 for s in S}

    # -- adding ----------------------------------------------------------------------
    def add(self, item: WorkItem) -> None:
        self.items.append(item)
        self.unfinished += 1
        self.counts[item.state] += 1
        if any(dep.state in FAILED_STATES or dep in self.blocked for dep in item.dependencies):
            self._block(item)

    # -- readiness ---------------------------------------------------------------------
    @staticmethod
    def deps_done(item: WorkItem) -> bool:
        return all(dep.state in SUCCESS_STATES for dep in item.dependencies)

    def push_ready(self, item: WorkItem) -> None:
        heapq.heappush(self._ready, (-item.priority, item.id, item))

    def pop_ready(self) -> Optional[WorkItem]:
        while self._ready:
            item = heapq.heappop(self._ready)[2]
            if item.state == S.Waiting:
                return item
        return None

    def has_ready(self) -> bool:
        return bool(self._ready)

    def ready_count(self) -> int:
        return len(self._ready)

    # -- state -------------------------------------------------------------------------
    def set_state(self, item: WorkItem, new: S, cause: str) -> None:
        old = item.state
        check_transition(item.name, old, new, cause)
        item.state = new
        counts = self.counts
        counts[old] -= 1
        counts[new] += 1
        if new in RUNNING_STATES:
            self.running.add(item)
        elif old in RUNNING_STATES:
            self.running.discard(item)
        if new in FINISHED_STATES:
            self.unfinished -= 1
            self.blocked.discard(item)
            if new in FAILED_STATES:
                for dependent in item.dependents:
                    self._block(dependent)
        if self.on_change is not None:
            self.on_change(item, new, cause)

    def newly_ready(self, item: WorkItem) -> list[WorkItem]:
        """Dependents of a succeeded item that now have everything they need."""
        return [d for d in item.dependents if d.state == S.Waiting and self.deps_done(d)]

    def _block(self, item: WorkItem) -> None:
        stack = [item]
        while stack:
            current = stack.pop()
            if current in self.blocked or current.state in FINISHED_STATES:
                continue
            self.blocked.add(current)
            stack.extend(current.dependents)

    # -- end -----------------------------------------------------------------------------
    def settled(self) -> bool:
        """Every item finished, or waiting on something that failed."""
        return self.unfinished <= len(self.blocked)

    def unfinished_items(self) -> Iterable[WorkItem]:
        return (i for i in self.items if i.state not in FINISHED_STATES)

    def tally(self) -> dict[str, int]:
        """The summary's item counts (`summary.item_counts`, the one tally)."""
        return item_counts(self.counts)


def describe(item: Any) -> str:
    return getattr(item, "name", str(item))
