"""Items a scheduler accepted (onSchedule returned Succeeded) and never reported.

PDG waits for each such item's report forever: a scheduler that never calls
onWorkItemSucceeded/onWorkItemFailed, and whose jobs never talk to the result server,
cooks until it is cancelled. These say so while it waits and when it ends.
"""
from __future__ import annotations

from typing import Iterable

STALL_S = 30.0          # no report and no state change this long: say so, once a stretch
NAMES_SHOWN = 3
STALL_SOURCE = "watchdog"   # the LogMessage source of the stall note (the CLI prints it)
HOW = ("the scheduler must report each job with onWorkItemSucceeded/onWorkItemFailed "
       "(from onTick, say), or have its jobs report to the result server")


def some_names(names: list[str]) -> str:
    """A few names, then how many more."""
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def _count(n: int) -> str:
    return f"{n} item{'s' if n != 1 else ''}"


def stall_note(names: list[str], seconds: float) -> str:
    return (f"{_count(len(names))} scheduled, none reported for {seconds:g} s: "
            f"{some_names(names)}; {HOW}")


def never_reported(names: Iterable[str], ending: str, heard: int = 0) -> str:
    """`ending`: how the cook ended ("timeout", "cancelled"); `heard`: how many of the
    items had some report (a start, outputs, attributes) but no success or failure."""
    names = list(names)
    how_ended = "timed out" if ending == "timeout" else "was cancelled"
    were = "was" if len(names) == 1 else "were"
    them = "it" if len(names) == 1 else f"{heard} of them"
    sent = f"; {them} sent reports (outputs, attributes) but never succeeded or failed" \
        if heard else ""
    return (f"{_count(len(names))} {were} scheduled and never reported as succeeded or "
            f"failed before the cook {how_ended} ({some_names(names)}{sent}): {HOW}")
