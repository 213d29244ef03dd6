"""The cook summary: the one JSON object `schedstudio cook --json` prints."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..scheduler.base import PyScheduler
from .invoker import defined_by_user

if TYPE_CHECKING:  # pragma: no cover
    from .loop import CookLoop


def build_summary(loop: "CookLoop", duration_s: float) -> dict[str, Any]:
    errors = [
        {"callback": e["callback"], "message": e["message"], "file": e["file"],
         "line": e["line"], "item": e.get("item")}
        for e in loop.invoker.errors
    ]
    errors += [{"callback": None, "message": m, "file": None, "line": None, "item": None}
               for m in loop.cook_errors]
    outputs = [f.path for item in loop.book.items for f in item.outputFiles]
    return {
        "status": loop.status or "running",
        "scheduler": loop.state.type_name,
        "graph": loop.spec.name,
        "items": loop.book.tally(),
        "callbacks": {name: count for name, count in sorted(loop.invoker.counts.items())
                      if defined_by_user(loop.scheduler, name, PyScheduler)},
        "outputs": outputs,
        "errors": errors,
        "warnings": list(loop.warnings),
        "shared_servers_ended": list(loop.servers_ended),
        "duration_s": round(duration_s, 6),
    }
