"""Where the class members go: render's own members among the extra members.

Render writes the docstring, ``__init__``, ``templateName``,
``templateBody`` and the callbacks, in that order, and the extra members
after them. Hand-written classes start with class attributes and their own
``__init__``/``templateName``/``templateBody``; the leading run of such
extra members keeps its place at the top, among render's members by rank,
so that opening and saving a module keeps its member order.

Nothing moves that could change what the class body does: the members
render writes evaluate nothing but ``classmethod`` when they are defined,
and an extra member moves only when it neither uses nor binds a name one of
them binds, nor binds ``classmethod``.

Parse reads the extra members back by cutting out what render wrote; a
seam keeps the smaller of the blank runs above and below it. So where
render puts members into the extra text it repeats that seam's blank lines
on both sides, and a seam without a blank line is never cut.
"""
from __future__ import annotations

import ast
from typing import Iterable, Union

from scheduler_studio.engine.codegen import lines as L
from scheduler_studio.engine.codegen import regions

HEADER_RANKS = {"__init__": 1, "templateName": 2, "templateBody": 3}
CALLBACKS = "callbacks"
_ATTRIBUTE_RANK = 0
_CALLBACK_RANK = 4

# A piece: a header member render writes (its name), CALLBACKS, or the
# (first, last) rows of a run of the extra members.
Piece = Union[str, tuple[int, int]]


def plan(extra: str, written: Iterable[str], callbacks: bool,
         taken: set[str]) -> list[tuple[int, Piece]]:
    """The class members in order, each as (blank lines before it, piece).

    ``written`` names the header members render writes, ``callbacks`` says
    whether it writes any callback, ``taken`` holds the names the callbacks
    bind.
    """
    written = list(written)
    items = [(HEADER_RANKS[name], name) for name in written]
    if callbacks:
        items.append((_CALLBACK_RANK, CALLBACKS))
    if not extra.strip():
        return [(1, piece) for _, piece in items]
    lines, kinds = L.split(extra), L.classify(extra)
    tree = L.try_parse(extra)
    taken = taken | set(written)
    prefix = _leading_members(tree.body if tree else [], taken)
    seams = [_seam(regions.span(stmt, lines, kinds)[1], kinds)
             for _, stmt in prefix]
    count = len(prefix)
    while True:
        places: dict[int, list[Piece]] = {}
        for rank, piece in items:
            at = next((i for i in range(count) if prefix[i][0] > rank), count)
            places.setdefault(at, []).append(piece)
        closed = [at for at in places
                  if at and seams[at - 1][0] < len(lines) and not seams[at - 1][1]]
        if not closed:
            break
        count = min(closed) - 1
    out: list[tuple[int, Piece]] = []
    start, blank = 0, 1
    for at in sorted(places):
        above = 1
        if at:
            # The run keeps its own blank rows (as typed, spaces and all)
            # above what goes in; as many empty lines follow it.
            row, gap = seams[at - 1]
            out.append((blank, (start, row - 1)))
            start, blank, above = row, gap, 0 if gap else 1
        out += [(above if i == 0 else 1, piece)
                for i, piece in enumerate(places[at])]
    if start < len(lines):
        out.append((blank, (start, len(lines) - 1)))
    return out


def _seam(last: int, kinds: list[str]) -> tuple[int, int]:
    """(first row after the blank rows that follow ``last``, their count)."""
    row = last + 1
    while row < len(kinds) and kinds[row] == L.BLANK:
        row += 1
    return row, row - last - 1


def _leading_members(body: list[ast.stmt], taken: set[str]):
    """[(rank, statement)] of the extra members that may stay on top."""
    found: list[tuple[int, ast.stmt]] = []
    for stmt in body:
        rank = _rank(stmt, taken)
        if rank is None or (found and rank < found[-1][0]):
            break
        found.append((rank, stmt))
    return found


def _rank(stmt: ast.stmt, taken: set[str]):
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        rank, parts, binds = _ATTRIBUTE_RANK, [stmt], set()
    elif isinstance(stmt, ast.FunctionDef) and stmt.name in HEADER_RANKS:
        rank, binds = HEADER_RANKS[stmt.name], {stmt.name}
        parts = [*stmt.decorator_list, stmt.args,
                 *([stmt.returns] if stmt.returns else []),
                 *getattr(stmt, "type_params", ())]
    else:
        return None
    uses = set()
    for node in (node for part in parts for node in ast.walk(part)):
        if isinstance(node, ast.Name):
            (uses if isinstance(node.ctx, ast.Load) else binds).add(node.id)
    if uses & taken or binds & (taken | {"classmethod"}):
        return None
    return rank
