"""Where a debugged cook stops: breakpoints as data, and lines as the user counts them.

A `Breakpoint` names a module file and a 1-based line of it, with an optional condition
(a Python expression evaluated in the frame) and hit count (stop from the Nth time the
line is reached). The editors number lines inside one callback's body; `line_map` (from
``scheduler_studio.engine.codegen.render``) turns those into module lines, and `resolve_spec` does it for
the CLI's ``--break CALLBACK[:LINE]`` and ``--break FILE.py:LINE``.
"""
from __future__ import annotations

import ast
import os
from dataclasses import asdict, dataclass
from typing import Any, Optional, Sequence


class BreakpointError(ValueError):
    """A breakpoint that cannot be placed; the message says why and what would do."""


@dataclass(frozen=True)
class Breakpoint:
    file: str
    line: int
    condition: str = ""
    hit_count: int = 0   # 0 or 1: every time; N: from the Nth hit on

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Any) -> "Breakpoint":
        if not isinstance(raw, dict):
            raise BreakpointError("a breakpoint is an object with file and line")
        file, line = raw.get("file"), raw.get("line")
        condition, hits = raw.get("condition") or "", raw.get("hit_count") or 0
        if not isinstance(file, str) or not file:
            raise BreakpointError("a breakpoint needs a file")
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            raise BreakpointError(f"a breakpoint needs a line number >= 1, not {line!r}")
        if not isinstance(condition, str):
            raise BreakpointError("a breakpoint's condition is a Python expression (text)")
        if not isinstance(hits, int) or isinstance(hits, bool) or hits < 0:
            raise BreakpointError(f"a hit count is a whole number >= 0, not {hits!r}")
        if condition:
            try:
                compile(condition, "<condition>", "eval")
            except SyntaxError as exc:
                raise BreakpointError(f"condition {condition!r} is not an expression: "
                                      f"{exc.msg}") from None
        return cls(os.path.abspath(file), line, condition, hits)


# -- editor lines <-> module lines ----------------------------------------------------------
def module_line(line_map: Sequence[Any], field: str, field_line: int) -> Optional[int]:
    """The 1-based module line holding line `field_line` (1-based) of `field`."""
    target = (field, field_line - 1)
    for index, where in enumerate(line_map):
        if where is not None and tuple(where) == target:
            return index + 1
    return None


def field_line(line_map: Sequence[Any], line: int) -> Optional[tuple[str, int]]:
    """(field, 1-based line in its editor) of 1-based module line `line`."""
    if 1 <= line <= len(line_map) and line_map[line - 1] is not None:
        field, index = line_map[line - 1]
        return field, index + 1
    return None


def field_lines(line_map: Sequence[Any], field: str) -> list[int]:
    """The module lines of `field`, in order (1-based)."""
    return [i + 1 for i, where in enumerate(line_map)
            if where is not None and where[0] == field]


# -- lines that can stop --------------------------------------------------------------------
def stop_line(source: str, line: int) -> Optional[int]:
    """The line a breakpoint on `line` stops at: the line itself when a statement starts
    there, the statement it continues, or the next statement of the same function after
    a blank or comment line. None when no statement follows."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return line  # the cook reports the syntax error; keep what the user chose
    rows = source.splitlines()
    statements = [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    starts = {n.lineno for n in statements}
    if line in starts:
        return line
    text = rows[line - 1].strip() if 0 < line <= len(rows) else ""
    if text and not text.startswith("#"):
        inner = [n for n in statements if n.lineno <= line <= (n.end_lineno or n.lineno)
                 and not _has_body(n)]
        if inner:
            return max(inner, key=lambda n: n.lineno).lineno
    scope = _innermost_function(tree, line)
    low, high = (scope.lineno, scope.end_lineno or scope.lineno) if scope else (1, len(rows))
    later = sorted(s for s in starts if line < s <= high and s > low)
    return later[0] if later else None


def _has_body(node: ast.stmt) -> bool:
    return any(isinstance(getattr(node, name, None), list) and getattr(node, name)
               for name in ("body", "orelse", "finalbody", "handlers"))


def _innermost_function(tree: ast.AST, line: int):
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.lineno <= line <= (node.end_lineno or node.lineno):
            if best is None or node.lineno > best.lineno:
                best = node
    return best


# -- the CLI's --break ------------------------------------------------------------------------
def resolve_spec(spec: str, module_file: str, class_name: Optional[str] = None) -> Breakpoint:
    """``CALLBACK[:LINE]`` (LINE counted in the callback's body as its editor numbers it;
    no LINE: the body's first statement; the callback of the scheduler class
    `class_name`, when given) or ``FILE.py:LINE`` → a module breakpoint."""
    module_file = os.path.abspath(module_file)
    if os.path.isdir(module_file):
        module_file = os.path.join(module_file, "__init__.py")
    head, sep, tail = spec.rpartition(":")
    if sep and head.endswith(".py"):
        return _file_breakpoint(head, tail, spec)
    name, line_text = (head, tail) if sep else (spec, "")
    if not name.isidentifier():
        raise BreakpointError(f"--break {spec!r}: expected CALLBACK[:LINE] (e.g. "
                              "onSchedule:3) or FILE.py:LINE")
    line_map = _line_map(module_file, class_name)
    field = f"callback:{name}"
    rows = field_lines(line_map, field)
    if not rows:
        names = sorted({w[0].split(":", 1)[1] for w in line_map
                        if w is not None and w[0].startswith("callback:")})
        raise BreakpointError(f"--break {spec!r}: {os.path.basename(module_file)} has no "
                              f"callback {name!r} (it has: {', '.join(names) or 'none'})")
    source = _read(module_file)
    if line_text:
        body_line = _positive(line_text, spec)
        line = module_line(line_map, field, body_line)
        if line is None:
            raise BreakpointError(f"--break {spec!r}: {name}'s body has "
                                  f"{len(rows)} line(s), not {body_line}")
    else:
        line = rows[0]
    stop = stop_line(source, line)
    if stop is None or stop > rows[-1] or stop < rows[0]:
        raise BreakpointError(f"--break {spec!r}: no statement of {name} at or after "
                              f"line {line} of {os.path.basename(module_file)}")
    return Breakpoint(module_file, stop)


def _file_breakpoint(path: str, line_text: str, spec: str) -> Breakpoint:
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise BreakpointError(f"--break {spec!r}: no such file {path}")
    line = _positive(line_text, spec)
    stop = stop_line(_read(path), line)
    if stop is None:
        raise BreakpointError(f"--break {spec!r}: no statement at or after line {line}")
    return Breakpoint(path, stop)


def _positive(text: str, spec: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise BreakpointError(f"--break {spec!r}: {text!r} is not a line number (1 or more)")
    return value


def _read(path: str) -> str:
    with open(path, "rb") as handle:
        data = handle.read()
    return data.decode("utf-8-sig", "replace")


def _line_map(module_file: str, class_name: Optional[str] = None) -> list:
    from ..codegen import SchedulerParseError, parse, render
    try:
        with open(module_file, "rb") as handle:
            doc = parse(handle.read(), module_file, class_name=class_name)
    except OSError as exc:
        raise BreakpointError(f"cannot read {module_file}: {exc}") from None
    except SchedulerParseError as exc:
        raise BreakpointError(f"{exc} (use --break FILE.py:LINE for this module)") from None
    return list(render(doc)[1])
