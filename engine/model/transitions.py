"""The one table of legal work item state changes.

Every change goes through `check_transition`, so an illegal move (a report for an item
that already finished, say) is caught in one place and reported with its cause.
"""
from __future__ import annotations

from .enums import workItemState as S

ALLOWED: dict[S, frozenset[S]] = {
    S.Undefined: frozenset({S.Uncooked, S.Waiting}),
    S.Uncooked: frozenset({S.Waiting, S.CookedCancel, S.CookedFail, S.CookedSuccess}),
    S.Waiting: frozenset(
        {S.Scheduled, S.Cooking, S.CookedSuccess, S.CookedFail, S.CookedCancel, S.Uncooked}
    ),
    S.Scheduled: frozenset({S.Cooking, S.CookedSuccess, S.CookedFail, S.CookedCancel, S.Waiting}),
    S.Cooking: frozenset({S.CookedSuccess, S.CookedFail, S.CookedCancel, S.Waiting}),
    S.CookedSuccess: frozenset(),
    S.CookedCache: frozenset(),
    S.CookedFail: frozenset(),
    S.CookedCancel: frozenset(),
    S.Dirty: frozenset({S.Uncooked}),
}


class TransitionError(Exception):
    """A state change the table does not allow; carries both states for the message."""

    def __init__(self, item_name: str, old: S, new: S, cause: str):
        super().__init__(
            f"{item_name}: cannot go from {old.name} to {new.name} ({cause})"
        )
        self.old, self.new, self.cause = old, new, cause


def check_transition(item_name: str, old: S, new: S, cause: str) -> None:
    if new not in ALLOWED[old]:
        raise TransitionError(item_name, old, new, cause)
