"""Whether an import sits in a ``try`` whose ``except`` takes its ImportError.

``--stub '*'`` gives every missing import of the scheduler a recording stand-in, but a
module that writes ``try: import tractor`` / ``except ImportError: tractor = None`` has
said what to do without it: its fallback is what a farm-less machine should see. Such
guarded imports are left to fail, so the fallback runs; naming the module (``--stub
tractor``) still records it.
"""
from __future__ import annotations

import ast
import os
from functools import lru_cache

_CATCHES_IMPORT_ERROR = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def is_guarded(filename: str, line: int) -> bool:
    """Whether line `line` of `filename` is in the body of a try taking ImportError."""
    try:
        stamp = os.stat(filename).st_mtime_ns
    except OSError:
        return False
    return any(first <= line <= last for first, last in _guarded_ranges(filename, stamp))


@lru_cache(maxsize=64)
def _guarded_ranges(filename: str, _stamp: int) -> tuple[tuple[int, int], ...]:
    try:
        with open(filename, "rb") as handle:
            tree = ast.parse(handle.read(), filename)
    except (OSError, SyntaxError, ValueError):
        return ()
    ranges = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))) and node.body and \
                any(_takes_import_error(handler.type) for handler in node.handlers):
            ranges.append((node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno))
    return tuple(ranges)


def _takes_import_error(kind) -> bool:
    if kind is None:
        return True                                   # a bare except
    if isinstance(kind, ast.Tuple):
        return any(_takes_import_error(element) for element in kind.elts)
    name = kind.attr if isinstance(kind, ast.Attribute) else getattr(kind, "id", "")
    return name in _CATCHES_IMPORT_ERROR
