"""Keep Python's cyclic garbage collector off the cook's items while a cook streams in.

A 100,000-item cook keeps hundreds of thousands of objects alive (item records, trace
rows, their tuples), and every full collection walks them all on the GUI thread: about
90 ms at that size, the longest stretch the window spent in one go. While a cook runs,
what is alive is moved out of the collector's sight at each view refresh (`gc.freeze`),
so collections only look at what is new; when the cook ends it is handed back
(`gc.unfreeze`), so garbage cycles that were frozen meanwhile are still collected.
"""
from __future__ import annotations

import gc

_holders: set[int] = set()


def hold(owner: object) -> None:
    """`owner` is cooking: freeze what is alive now (cheap: one list splice)."""
    _holders.add(id(owner))
    gc.freeze()


def release(owner: object) -> None:
    """`owner`'s cook ended: when nobody else holds, give everything back to the GC."""
    if id(owner) in _holders:
        _holders.discard(id(owner))
        if not _holders:
            gc.unfreeze()
