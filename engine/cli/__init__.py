"""``schedstudio COMMAND``: the engine's command line. Thin: parse, call the engine,
report. The console script (`scheduler_studio.gui.launcher`) sends commands here and opens the window
for anything else; nothing here imports the GUI."""
from __future__ import annotations

from scheduler_studio.engine.lazy import lazy_names

# The names load with their module on first use: `COMMANDS` and `not_a_command` alone
# (words) for the console script, which must not load every command to open the window.
_HOMES = {"COMMANDS": "words", "not_a_command": "words", "build_parser": "entry",
          "main": "entry", "version": "entry"}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_names(__name__, _HOMES)
