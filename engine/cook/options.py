"""Options of one test cook, as the CLI and the cook panel set them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class CookOptions:
    static: bool = False
    workdir: Optional[str] = None
    tick_period: Optional[float] = None    # overrides pdg_tickperiod for this cook
    max_items: Optional[int] = None        # overrides pdg_maxitems for this cook
    timeout_s: Optional[float] = None
    parameters: dict[str, Any] = field(default_factory=dict)
    # False: the result server accepts reports without the cook's secret, as Houdini's
    # does (for schedulers that rebuild the address and drop it); shown as a warning
    result_server_auth: bool = True
