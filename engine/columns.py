"""Columns as editors count them. The AST's column offsets count a line's UTF-8 bytes,
the parser's (a syntax error's) its characters; an editor, the window's or the user's
own reading `file:line:col`, counts characters. Kept apart, with no imports, so the
window can use it at its start without loading the checker."""
from __future__ import annotations

# Problems whose column counts characters already (the parser's offsets)
SYNTAX_CODES = frozenset({"syntax-error", "python2", "unreadable"})


def character_column(code: str, column: int, line_text: str) -> int:
    """A problem's column in characters of its line: a line with "é" before the name
    is one shorter in characters than in bytes."""
    if code in SYNTAX_CODES:
        return column
    return len(line_text.encode("utf-8")[:max(column, 0)].decode("utf-8", "ignore"))
