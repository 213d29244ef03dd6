"""Turning file content into a syntax tree, or into a clear error.

Everything a user may open ends here: binary files, other encodings, Python
2 modules, broken code. Each becomes a ``SchedulerParseError`` naming file
and line; nothing else escapes, and nothing here can take long (line-sized
regular expressions without nested repetition).
"""
from __future__ import annotations

import ast
import re
import warnings
from typing import Optional, Union

from scheduler_studio.engine.codegen import lines as L
from scheduler_studio.engine.codegen.errors import SchedulerParseError
from scheduler_studio.engine.codegen.textfile import read

_LONG_LINE = 400  # longer lines are not searched for Python 2 habits
# Reading costs time in proportion to the size (tokenizing is pure Python): a module
# this large is no scheduler a person wrote, and opening it would freeze the editor.
MAX_SOURCE_BYTES = 1024 * 1024
_PY2_MESSAGES = (
    ("Missing parentheses in call to 'print'", "a print statement"),
    ("Missing parentheses in call to 'exec'", "an exec statement"),
    ("multiple exception types must be parenthesized", "'except X, e:'"),
    ("leading zeros in decimal integer", "an old-style octal number"),
)
_PY2_LINES = (
    (re.compile(r"\s*print\s+[^\s(=.,)\]}]"), "a print statement"),
    (re.compile(r"\s*print\s*>>"), "a print statement"),
    (re.compile(r"\s*except\s+[\w.() ]+,\s*\w+\s*:"), "'except X, e:'"),
    (re.compile(r"\s*raise\s+[\w.]+\s*,"), "'raise E, message'"),
    (re.compile(r"\s*exec\s+[\"'\w]"), "an exec statement"),
    (re.compile(r".*\b[uU][rR][\"']"), "a ur'' string"),
    (re.compile(r".*<>"), "the <> operator"),
    (re.compile(r".*`"), "backquotes"),
    (re.compile(r".*\b\d+[lL]\b"), "a long integer literal"),
)


def decode(data: Union[str, bytes], filename: str) -> str:
    """Module text with ``\\n`` line ends, or a parse error saying why not
    (the file's coding cookie and BOM are honoured)."""
    return read(data, filename, MAX_SOURCE_BYTES).text


def parse_tree(text: str, filename: str) -> ast.Module:
    """The syntax tree; compile warnings are the linter's business."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=filename)
    except SyntaxError as exc:
        raise _syntax_error(text, filename, exc) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SchedulerParseError(filename, 1, f"cannot be read as Python: "
                                  f"{type(exc).__name__}") from None


def _syntax_error(text: str, filename: str, exc: SyntaxError):
    line = exc.lineno or 1
    hint = python2_hint(text, exc)
    if hint:
        where, what = hint
        return SchedulerParseError(
            filename, where, f"this is Python 2 code ({what}); Houdini runs "
            "Python 3, so port the module first")
    return SchedulerParseError(filename, line, f"syntax error: {exc.msg}")


def python2_hint(text: str, exc: SyntaxError) -> Optional[tuple[int, str]]:
    """(line, habit) when the syntax error comes from Python 2 code."""
    line = exc.lineno or 1
    if isinstance(exc, TabError) or (isinstance(exc, IndentationError)
                                     and _mixes_tabs(text)):
        return line, "tabs mixed with spaces"
    for message, what in _PY2_MESSAGES:
        if message in (exc.msg or ""):
            return line, what
    lines = L.split(text)
    candidates = [line]
    if (exc.msg or "").startswith("invalid syntax"):
        candidates += range(1, len(lines) + 1)
    for number in candidates:
        if not 0 < number <= len(lines):
            continue
        source = lines[number - 1]
        if len(source) > _LONG_LINE or source.lstrip().startswith("#"):
            continue
        for pattern, what in _PY2_LINES[:6] if number != line else _PY2_LINES:
            if pattern.match(source):
                return number, what
    return None


def _mixes_tabs(text: str) -> bool:
    indents = {L.leading_ws(line)[:1] for line in L.split(text) if line.strip()}
    return "\t" in indents and " " in indents
