"""Cutting a module's text into the parts a document keeps.

Statements own their lines plus the comment lines indented under them
that follow; removing statements leaves as many blank lines at the seam as
the wider side had, so what remains reads as it did.
"""
from __future__ import annotations

import ast

from scheduler_studio.engine.codegen import lines as L


def column(line: str) -> int:
    return len(L.leading_ws(line).expandtabs(8))


def span(stmt: ast.stmt, lines: list[str], kinds: list[str]) -> tuple[int, int]:
    """0-based inclusive (first, last) lines of ``stmt`` with its decorators
    and the deeper-indented comments that trail it."""
    first = min([stmt.lineno] + [d.lineno for d in
                                 getattr(stmt, "decorator_list", ())]) - 1
    last = stmt.end_lineno - 1
    own = column(lines[stmt.lineno - 1])
    row = last + 1
    while row < len(lines):
        kind = kinds[row]
        if kind == L.COMMENT and column(lines[row]) > own:
            last = row
        elif kind != L.BLANK:
            break
        row += 1
    return first, last


def cut(rows: list[int], lines: list[str], kinds: list[str],
        removed: set[int]) -> list[int]:
    """The rows of ``rows`` left after removing ``removed``, seams tidied,
    leading and trailing blank lines dropped."""
    out: list[int] = []
    i = 0
    while i < len(rows):
        if rows[i] not in removed:
            out.append(rows[i])
            i += 1
            continue
        j = i
        while j < len(rows) and (rows[j] in removed
                                 or _blank_gap(rows, j, kinds, removed)):
            j += 1
        before = 0
        while before < len(out) and kinds[out[-1 - before]] == L.BLANK:
            before += 1
        after = 0
        while j + after < len(rows) and kinds[rows[j + after]] == L.BLANK:
            after += 1
        i = j + min(before, after)
    while out and kinds[out[0]] == L.BLANK:
        out.pop(0)
    while out and kinds[out[-1]] == L.BLANK:
        out.pop()
    return out


def _blank_gap(rows, j, kinds, removed) -> bool:
    """Row j is blank and only blank rows separate it from a removed row."""
    while j < len(rows) and kinds[rows[j]] == L.BLANK:
        j += 1
    return j < len(rows) and rows[j] in removed


def text_of(rows: list[int], lines: list[str], kinds: list[str],
            dedent: bool) -> str:
    kept = [lines[r] for r in rows]
    if dedent:
        kept = L.dedent_lines(kept, [kinds[r] for r in rows])
    return "\n".join(kept)
