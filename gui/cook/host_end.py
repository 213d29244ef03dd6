"""A cook host that ended without its summary: which call it was in, and why, as the CLI
says it.

The host keeps the running callback on a call board (`engine.cook.callboard`): a file
of the session's scratch folder the host writes with each call, and notes there what
ended it (``os._exit(3) called at FILE:LINE``). When no ``cook_finished`` came, the
session reads it back (`read_board`) and the window names the call: an error placed at
its line, and the call's row in the trace.
"""
from __future__ import annotations

import os
import re
import signal
from dataclasses import dataclass
from typing import Optional

from scheduler_studio.engine.cook import callboard

_AT = re.compile(r"^(?P<what>.*?) at (?P<file>.+):(?P<line>\d+)$")


@dataclass(frozen=True)
class HostEnd:
    """The call the host was in when it ended: the board's line, read once."""

    callback: str
    item: Optional[int]
    file: str
    line: Optional[int]        # the line that ended it when the note says, else the def's
    what: str                  # what ended it ("os._exit(3) called"), "" when unknown


def board_path(root: str) -> str:
    return os.path.join(root, "callboard")


def clear_board(path: str) -> None:
    """No call is running: the last cook's board says nothing to this one."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def read_board(path: str) -> Optional[HostEnd]:
    running = callboard.read(path)
    if not running:
        return None
    note = running["note"] or ""
    file, line = running["file"] or "", running["line"]
    found = _AT.match(note)
    if found:   # where the module ended the process, more telling than the def line
        note, file, line = found["what"], found["file"], int(found["line"])
    return HostEnd(running["callback"], running["item"], file, line, note)


def how_it_ended(outcome: str, code: int) -> str:
    """"exit code 3", "killed by SIGSEGV": how the host process went."""
    if outcome == "crashed" and code > 0:
        try:
            return f"killed by {signal.Signals(code).name}"
        except ValueError:
            return f"killed by signal {code}"
    if outcome in ("cancelled", "killed"):
        return "killed after the cancel" if outcome == "killed" else "ended by the cancel"
    return f"exit code {code}"


def message(end: HostEnd, outcome: str, code: int) -> str:
    """The error's text (the editor's place and the item are the error's own)."""
    how = how_it_ended(outcome, code)
    if end.what:
        return f"{end.what}: the cook host ended ({how}) without a summary"
    return f"the cook host ended ({how}) without a summary while this call ran"


def trace_text(end: HostEnd, outcome: str, code: int) -> str:
    """What the call's trace row says."""
    what = f"{end.what}: " if end.what else ""
    return f"{what}the cook host ended here ({how_it_ended(outcome, code)})"
