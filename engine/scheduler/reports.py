"""What schedulers and jobs tell the cook about items, as messages for its inbox.

A scheduler may report from any thread (a job watcher, the result server); the report
is queued and applied by the cook loop's own thread, after the current callback returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = frozenset({
    "start", "success", "failed", "cancelled", "output", "attrib", "log", "percent",
    "custom_state", "invalidate", "warning",
})


@dataclass(frozen=True)
class Report:
    kind: str
    ref: Any            # item id, name, or WorkItem
    index: int = -1     # batch sub-index; -1 for a plain item
    value: Any = None   # duration, (path, tag, hash, own), (name, type, value, index)...
    source: str = "scheduler"
