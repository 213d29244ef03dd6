"""Small test doubles shared by the editor tests."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """What the lint feeds the editor (any object with these four fields works)."""

    line: int
    column: int
    severity: str
    message: str
