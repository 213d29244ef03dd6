"""Where the emulated `pdg` package lives, and how to import it without shadowing.

The cook host puts ``COMPAT_DIR`` first on ``sys.path`` so an exported scheduler's
``import pdg`` finds our emulation. Other tools (check, completion) need the same
names without changing the process for good: ``compat_pdg()`` imports it once.
"""
from __future__ import annotations

import importlib
import sys
from types import ModuleType

from .package_files import engine_dir

COMPAT_DIR = engine_dir("compat")


def install() -> None:
    """Make ``import pdg`` (and friends) resolve to the emulation in this process."""
    path = str(COMPAT_DIR)
    if path not in sys.path:
        sys.path.insert(0, path)


def compat_pdg() -> ModuleType:
    """Import and return the emulated ``pdg`` package."""
    install()
    return importlib.import_module("pdg")
