"""The command words alone: the console script tells a command from a file to open by
these before anything heavy loads (the window's start pays for nothing of the CLI)."""
from __future__ import annotations

import os
from typing import Optional

SETUP_COMMANDS = ("doctor", "desktop-entry", "stubs")
COMMANDS = ("cook", "graphs", "check", "new", "export") + SETUP_COMMANDS


def not_a_command(word: str) -> Optional[str]:
    """Why a first word neither the CLI nor the window can take is refused (None: it is a
    command, an option, or a file the window opens). The window would only say
    "unrecognized arguments" (or fail to start Qt with no display)."""
    if word in COMMANDS or word.startswith("-") or os.path.exists(word):
        return None
    import difflib
    close = difflib.get_close_matches(word, COMMANDS, n=1)
    if close:
        return f"unknown command {word!r} (did you mean {close[0]!r}?)"
    if word.endswith(".py") or os.sep in word:
        return f"{word}: no such file"
    return (f"unknown command {word!r} (commands: {', '.join(COMMANDS)}; or a FILE.py "
            "to open in the window)")
