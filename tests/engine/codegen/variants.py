"""The corpus of modules and the shapes users' copies of them take.

Each variant is a function of a module's text that gives the bytes a TD's
copy might hold: CRLF line ends, tab indentation, a UTF-8 BOM, a latin-1
coding cookie with non-ASCII text, comments in every gap, the class members
in another order, no final newline.
"""
from __future__ import annotations

import ast
import random
from pathlib import Path

from scheduler_studio.engine.codegen import lines as L
from scheduler_studio.engine.codegen.starters import TEMPLATES_DIR

from .conftest import MODULES_DIR

CORPUS = sorted(MODULES_DIR.glob("*.py")) + sorted(TEMPLATES_DIR.glob("*.py"))


def corpus_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def tabs(text: str) -> str:
    """Leading runs of four spaces as tabs (strings' inner lines too: still Python)."""
    out = []
    for line in text.split("\n"):
        ws = L.leading_ws(line)
        if "\t" not in ws and len(ws) % 4 == 0:
            line = "\t" * (len(ws) // 4) + line[len(ws):]
        out.append(line)
    return "\n".join(out)


def comments_in_gaps(text: str, seed: int = 0) -> str:
    """A comment above every statement (at its indentation), and after some
    ``def``/``class`` colons."""
    rng = random.Random(seed)
    lines = text.split("\n")
    kinds = L.classify(text)
    out = []
    for line, kind in zip(lines, kinds):
        if kind == L.LOGICAL:
            out.append(L.leading_ws(line) + "# gap: " + rng.choice("abcdef") * 3)
            stripped = line.rstrip()
            if stripped.lstrip().startswith(("def ", "class ")) and stripped.endswith(":"):
                line = stripped + "  # trailing note"
        out.append(line)
    return "\n".join(out)


def shuffled_members(text: str, seed: int = 0) -> str:
    """The scheduler class's members in another order (blank lines kept with them)."""
    tree = ast.parse(text)
    lines = text.split("\n")
    classes = [s for s in tree.body if isinstance(s, ast.ClassDef)]
    cls = max(classes, key=lambda c: len(c.body))
    members = [m for m in cls.body if not (isinstance(m, ast.Expr)
                                           and isinstance(m.value, ast.Constant))]
    if len(members) < 2:
        return text
    starts = [min([m.lineno] + [d.lineno for d in getattr(m, "decorator_list", [])]) - 1
              for m in members]
    end = _class_end(cls, lines)
    chunks = [lines[a:b] for a, b in zip(starts, starts[1:] + [end])]
    chunks = [c + [""] if c and c[-1].strip() else c for c in chunks]
    order = list(range(len(chunks)))
    random.Random(seed).shuffle(order)
    body = [line for i in order for line in chunks[i]]
    while body and not body[-1].strip():
        body.pop()
    return "\n".join(lines[:starts[0]] + body + lines[end:])


def _class_end(cls: ast.ClassDef, lines: list[str]) -> int:
    row = cls.end_lineno
    while row < len(lines) and (not lines[row].strip() or
                                (lines[row].startswith((" ", "\t")) and
                                 lines[row].lstrip().startswith("#"))):
        row += 1
    while row > cls.end_lineno and not lines[row - 1].strip():
        row -= 1
    return row


def no_final_newline(text: str) -> str:
    return text.rstrip("\n")


def latin1(text: str) -> bytes:
    """A latin-1 copy: a coding cookie on top and some accented text."""
    lines = text.split("\n")
    at = 1 if lines and lines[0].startswith("#!") else 0
    lines.insert(at, "# -*- coding: latin-1 -*-")
    lines.insert(at + 1, "# Caf\u00e9 cr\u00e8me: written in latin-1 on purpose")
    return "\n".join(lines).encode("latin-1")


def bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


TEXT_VARIANTS = {"crlf": crlf, "tabs": tabs, "comments": comments_in_gaps,
                 "shuffled": shuffled_members, "no_final_newline": no_final_newline}
BYTE_VARIANTS = {"latin1": latin1, "bom": bom}
_TEXT_ORDER = ("shuffled", "comments", "tabs", "no_final_newline", "crlf")


def make(path: Path, names: list[str]) -> bytes:
    """The corpus module at ``path`` through the named variants, in order
    (text variants first, at most one byte variant last)."""
    text = corpus_text(path)
    for name in _TEXT_ORDER:
        if name in names:
            text = TEXT_VARIANTS[name](text)
    for name in names:
        if name in BYTE_VARIANTS:
            return BYTE_VARIANTS[name](text)
    return text.encode("utf-8")
