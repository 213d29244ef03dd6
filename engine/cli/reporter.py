"""The one place that prints cook results; the exit code comes from the status
(`scheduler_studio.engine.cook.summary.exit_code`).

Exit codes: 0 the cook succeeded; 1 it failed, was cancelled or timed out; 2 the module,
graph or command line could not be used.
"""
from __future__ import annotations

import json
import os
import re
import sys
from typing import IO, Any, Optional

from ..cook.summary import EXIT_ERROR, EXIT_FAILED, EXIT_OK, exit_code

__all__ = ["EXIT_OK", "EXIT_FAILED", "EXIT_ERROR", "OUTPUTS_REMOVED", "exit_code", "Reporter"]


# the note of a cook whose outputs were in the temporary folder the CLI removed
OUTPUTS_REMOVED = ("working folder removed (use --keep to keep it): the outputs listed "
                   "are gone")
MAX_WARNINGS = 20  # distinct warnings printed; --json has them all
FAILED_NAMES_SHOWN = 5  # failed items named per reason; --json has them all


def counted(lines: list[str]) -> list[str]:
    """Each distinct line once, in the order first seen, with how many times it came
    when more than once (a callback that raises on every item says so once)."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    return [line if n == 1 else f"{line} ({n} times)" for line, n in counts.items()]


# the parts of a message that vary between warnings of one kind: quoted text, paths,
# numbers (item names such as render_12 differ in theirs)
_VARYING = re.compile(r"""'[^']*'|"[^"]*"|(?:[\w.~-]*/)+[^\s:;,()'"]*|\d[\d,.]*""")
FOLD_EXAMPLES = 2  # the other warnings of a fold shown by what differs in them


def folded(lines: list[str]) -> list[str]:
    """Warnings of the same shape (the same words, other paths, names or numbers) as one
    line: the first, then how many more like it with a couple of what differs (a cap
    on every job log says so once, not once per log); identical ones with a count."""
    groups: dict[str, list[str]] = {}
    for line in lines:
        groups.setdefault(_VARYING.sub("\x00", line), []).append(line)
    out = []
    for members in groups.values():
        first, distinct = members[0], list(dict.fromkeys(members))
        if len(distinct) == 1:
            out.append(first if len(members) == 1 else f"{first} ({len(members)} times)")
            continue
        examples = [_differing(first, other) for other in distinct[1:1 + FOLD_EXAMPLES]]
        more = ", ".join(examples) + (", ..." if len(distinct) > 1 + FOLD_EXAMPLES else "")
        out.append(f"{first} (and {len(members) - 1} more like it: {more})")
    return out


def _differing(first: str, other: str) -> str:
    """What `other` has where `first` has something else (its first varying part)."""
    for mine, theirs in zip(_VARYING.findall(first), _VARYING.findall(other)):
        if mine != theirs:  # a file beside the first one's: its name is enough
            same_folder = "/" in theirs and os.path.dirname(theirs) == os.path.dirname(mine)
            return os.path.basename(theirs) if same_folder else theirs
    return other


def failed_lines(failed: list[dict[str, Any]]) -> list[str]:
    """The failed items, grouped by why they failed: a few names for each reason."""
    by_reason: dict[str, list[str]] = {}
    for entry in failed:
        by_reason.setdefault(entry.get("reason") or "no reason known", []).append(entry["name"])
    lines = []
    for reason, names in by_reason.items():
        shown = ", ".join(names[:FAILED_NAMES_SHOWN])
        more = len(names) - FAILED_NAMES_SHOWN
        shown += f" and {more} more" if more > 0 else ""
        lines.append(f"{shown}: {reason}")
    return lines


def _where(error: dict[str, Any]) -> str:
    """" (FILE:LINE)" after an error's message, unless the message names that place
    already (a missing import quotes its line: ``farm.py:12: import tractor``)."""
    file, line = error.get("file"), error.get("line")
    if not file:
        return ""
    if not line:  # the module as a whole (no scheduler type of that name)
        return f" ({file})"
    if f"{os.path.basename(file)}:{line}" in str(error.get("message", "")):
        return ""
    return f" ({file}:{line})"


class Reporter:
    def __init__(self, out: Optional[IO[str]] = None, err: Optional[IO[str]] = None):
        self._out, self._err = out, err

    # resolved per call, so redirecting sys.stdout/sys.stderr (tests, pipes) reaches us
    @property
    def out(self) -> IO[str]:
        return self._out or sys.stdout

    @property
    def err(self) -> IO[str]:
        return self._err or sys.stderr

    def json(self, payload: Any) -> None:
        self.out.write(json.dumps(payload, indent=2) + "\n")

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def error(self, text: str) -> None:
        self.err.write(f"schedstudio: {text}\n")

    def cook_summary(self, summary: dict[str, Any]) -> None:
        items = summary["items"]
        self.line(f"{summary['scheduler'] or '(no scheduler)'} on graph {summary['graph']}: "
                  f"{summary['status'].upper()} in {summary['duration_s']:.2f} s")
        self.line(f"  items: {items['total']} total, {items['succeeded']} succeeded, "
                  f"{items['failed']} failed, {items['cancelled']} cancelled, "
                  f"{items['uncooked']} uncooked")
        for text in failed_lines(summary.get("failed_items", [])):
            self.line(f"  failed: {text}")
        calls = ", ".join(f"{name} x{count}" for name, count in summary["callbacks"].items())
        self.line(f"  callbacks: {calls or 'none'}")
        notes = list(summary.get("notes", []))
        removed = OUTPUTS_REMOVED in notes and bool(summary["outputs"])
        gone = f" — {OUTPUTS_REMOVED}" if removed else ""
        self.line(f"  outputs: {len(summary['outputs'])} file(s){gone}")
        errors = []
        for error in summary["errors"]:
            where = _where(error)
            who = f"{error['callback']}: " if error.get("callback") else ""
            errors.append(f"{who}{error['message']}{where}")
        for text in counted(errors):
            self.line(f"  error: {text}")
        warnings = folded(summary.get("warnings", []))
        for text in warnings[:MAX_WARNINGS]:
            self.line(f"  warning: {text}")
        if len(warnings) > MAX_WARNINGS:
            self.line(f"  ... and {len(warnings) - MAX_WARNINGS} more warning(s) "
                      "(--json lists them all)")
        for note in notes:
            if note != OUTPUTS_REMOVED:  # said on the outputs line
                self.line(f"  note: {note}")
        if summary.get("undefined_parameters"):
            self.line(f"  undefined parameters: {', '.join(summary['undefined_parameters'])}")
        for used in summary.get("stand_ins", []):
            what = f"records calls ({used.get('calls', 0)})" if used["kind"] == "recorder" \
                else used.get("path", "")
            self.line(f"  stand-in {used['module']}: {what}")
