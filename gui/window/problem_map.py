"""From module problems to field problems, and a quick syntax check of one field.

``check_source`` reports lines of the whole rendered module; the window shows
them in the editor the line came from. ``render``'s line map gives
``(field, line in field)`` per module line (None for lines it wrote itself).
Problems on such generated lines go to the nearest field, flagged so they
are listed but not drawn on a line that is not theirs.

The quick check compiles only the edited field, wrapped as it sits in the
module, so a syntax error shows within a few milliseconds of the keystroke
even when rendering and checking the whole module takes longer.
"""
from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from typing import Optional, Sequence

from scheduler_studio.engine.columns import SYNTAX_CODES, character_column
from scheduler_studio.gui.editor.autoindent import INDENT_WIDTH as TAB_WIDTH  # no Qt
from scheduler_studio.gui.window import fields

COOK_CODES = frozenset({"cook-error", "load-error"})  # found by the last test cook
_NEAREST_SPAN = 2  # how many lines away a generated line may borrow a field


@dataclass(frozen=True)
class FieldProblem:
    """A lint problem located in a field: ``line`` 1-based, ``column`` 0-based."""

    field: str
    line: int
    column: int
    severity: str
    message: str
    code: str
    module_line: Optional[int] = None  # None: from the quick check
    on_generated_line: bool = False
    inline: bool = False  # also written at the end of its line (errors of the test cook)

    @property
    def is_syntax(self) -> bool:
        return self.code in SYNTAX_CODES

    @property
    def from_cook(self) -> bool:
        return self.code in COOK_CODES


def field_line_of(entry) -> tuple[str, int]:
    """(window field, 1-based line) for one line-map entry."""
    field, line = entry
    if field == "doc":
        return fields.MODULE, 1
    if field == fields.HEADER:
        return fields.HEADER, 1
    return field, line + 1


def map_problems(doc, text: str, line_map: Sequence, problems) -> list[FieldProblem]:
    """Locate each problem of the module ``text`` (rendered from ``doc``) in its field."""
    module_lines = text.split("\n")
    field_lines: dict[str, list[str]] = {}
    mapped = []
    for problem in problems:
        index = problem.line - 1
        entry = line_map[index] if 0 <= index < len(line_map) else None
        generated = entry is None
        if generated:
            entry = _nearest_entry(line_map, index)
        if entry is None:
            field, line, column = fields.MODULE, problem.line, problem.column
        else:
            field, line = field_line_of(entry)
            column = 0 if generated else _field_column(
                doc, field, line, module_lines, index, problem.column, field_lines,
                problem.code)
        mapped.append(FieldProblem(field, line, column, problem.severity, problem.message,
                                   problem.code, problem.line, generated))
    return mapped


def _nearest_entry(line_map: Sequence, index: int):
    """The field of the closest mapped line, looking below first (a def line
    belongs to the body under it)."""
    for distance in range(1, _NEAREST_SPAN + 1):
        for near in (index + distance, index - distance):
            if 0 <= near < len(line_map) and line_map[near] is not None:
                entry = line_map[near]
                if entry[0] not in ("doc",):
                    return entry
    return None


def _field_text(doc, field: str) -> Optional[str]:
    cb = fields.callback_of(field)
    if cb is not None:
        return doc.bodies.get(cb.name, "")
    if field in (fields.PRELUDE, fields.EXTRA_MEMBERS, fields.TRAILER):
        return getattr(doc, field)
    return None


def _field_column(doc, field, line, module_lines, index, column, cache,
                  code: str = "") -> int:
    """The editor's column of a module column: the module line less the indentation
    render added to it, counted as the editor counts (`editor_column`).

    A CRLF module's lines keep their carriage return once split on line feeds, and
    the field's have none: the line ending is no part of the match. Columns of the AST (every code but a
    syntax error's) count UTF-8 bytes; a syntax error's counts characters."""
    if field not in cache:
        text = _field_text(doc, field)
        cache[field] = text.split("\n") if text is not None else []
    own = cache[field]
    if not 0 < line <= len(own) or index >= len(module_lines):
        return column
    module_line, field_line = _no_eol(module_lines[index]), _no_eol(own[line - 1])
    column = character_column(code, column, module_line)
    if module_line.endswith(field_line):
        return editor_column(field_line, max(column - (len(module_line) - len(field_line)), 0))
    text = module_line.lstrip()
    if text != field_line.lstrip():
        return column
    # the same code under another indentation (render wrote the field's tabs as spaces)
    own_indent = len(field_line) - len(text)
    return editor_column(field_line, own_indent + max(column - (len(module_line) - len(text)), 0))


def _no_eol(line: str) -> str:
    return line[:-1] if line.endswith("\r") else line


def editor_column(line: str, chars: int) -> int:
    """The column the editor shows (and `findColumn` takes) for the character at
    ``chars`` in ``line``: tabs run to the next tab stop."""
    column = 0
    for char in line[:max(chars, 0)]:
        column = (column // TAB_WIDTH + 1) * TAB_WIDTH if char == "\t" else column + 1
    return column + max(chars - len(line), 0)


# -- quick syntax check -----------------------------------------------------------
_WRAP_PREFIX = "    "


def _wrapped(field: str, text: str) -> tuple[str, int, int]:
    """(source to compile, lines added above, indent added) for a field's text."""
    if field in (fields.PRELUDE, fields.TRAILER):
        return text, 0, 0
    head = "class _Members:\n" if field == fields.EXTRA_MEMBERS else "def _callback():\n"
    lines = [(_WRAP_PREFIX + line) if line.strip() else line for line in text.split("\n")]
    if not any(line.strip() and not line.lstrip().startswith("#") for line in lines):
        lines.append(_WRAP_PREFIX + "pass")
    return head + "\n".join(lines) + "\n", 1, len(_WRAP_PREFIX)


def quick_syntax_check(field: str, text: str) -> Optional[FieldProblem]:
    """The first syntax error of one field's text, or None (blank text: None)."""
    if not text.strip():
        return None
    source, above, indent = _wrapped(field, text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<field>", "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
    except SyntaxError as exc:
        line = max((exc.lineno or 1) - above, 1)
        line = min(line, text.count("\n") + 1)
        column = max((exc.offset or 1) - 1 - (indent if above else 0), 0)
        own = text.split("\n")
        column = editor_column(_no_eol(own[line - 1]), column) if line <= len(own) else column
        return FieldProblem(field, line, column, "error", exc.msg, "syntax-error")
    except (ValueError, RecursionError, MemoryError) as exc:
        return FieldProblem(field, 1, 0, "error",
                            f"cannot be read as Python: {type(exc).__name__}", "syntax-error")
    return None

