"""Would Houdini load this module? The verdict Save To Python asks before it writes.

The same checks as the Problems list (syntax, pyflakes, the pdg names Houdini has),
plus what Houdini's ``pdg/types`` loader needs to find a scheduler: a scheduler class
(the rule the studio's own parser uses) and a ``registerTypes`` function. No Qt here.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from scheduler_studio.engine.check import check_source

BLOCKING_CODES = frozenset({"syntax-error", "python2", "unreadable", "pdg-name"})
MAX_LISTED = 6


@dataclass(frozen=True)
class HoudiniVerdict:
    """``blockers``: why Houdini would not load the module (empty: it would)."""

    blockers: tuple[str, ...]
    label: str = ""
    type_name: str = ""
    class_name: str = ""

    @property
    def loads(self) -> bool:
        return not self.blockers

    def listing(self) -> str:
        """The reasons, one per line (the first few)."""
        shown = [f"• {reason}" for reason in self.blockers[:MAX_LISTED]]
        if len(self.blockers) > MAX_LISTED:
            shown.append(f"• … and {len(self.blockers) - MAX_LISTED} more (see Problems)")
        return "\n".join(shown)

    def after_save(self, path: Path) -> str:
        """What the saved file means to Houdini, said after writing it."""
        if not self.loads:
            return (f"Saved {path}.\n\nHoudini will not load this module at its next "
                    f"start:\n{self.listing()}\n\nFix it and save again; TOPs lists no "
                    "scheduler from this file until then.")
        return (f"Saved {path}.\n\nHoudini reads pdg/types when it starts: at its next "
                f"start, TOPs lists the \u201c{self.label}\u201d scheduler (type "
                f"{self.type_name}, class {self.class_name}). Scheduler Studio's own test "
                "cook uses the file as it is now.")


def houdini_verdict(text: str, filename: str = "<module>") -> HoudiniVerdict:
    """Check the module text Save To Python would write."""
    blockers = [f"line {p.line}: {p.message}" for p in check_source(text, filename)
                if p.severity == "error" and p.code in BLOCKING_CODES]
    if any(p.startswith("line") for p in blockers) and _syntax_broken(text):
        return HoudiniVerdict(tuple(blockers))  # nothing more can be read from it
    label = type_name = class_name = ""
    from scheduler_studio.engine.codegen import SchedulerParseError, parse

    try:
        doc = parse(text, filename=filename)
        label, type_name, class_name = doc.label, doc.type_name, doc.class_name
    except SchedulerParseError as exc:
        blockers.append(f"no scheduler class Houdini can register: {exc.message}")
    if not _has_register_types(text):
        blockers.append("no registerTypes(type_registry) function: Houdini calls it to "
                        "register the scheduler")
    return HoudiniVerdict(tuple(blockers), label, type_name, class_name)


def _syntax_broken(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return False


def _has_register_types(text: str) -> bool:
    tree = ast.parse(text)
    return any(isinstance(node, ast.FunctionDef) and node.name == "registerTypes"
               for node in tree.body)
