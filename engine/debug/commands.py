"""Commands from the window to a paused cook: one JSON object per line on the host's stdin.

``{"v": 1, "cmd": "step_over"}``; the names and their fields are in `COMMANDS`. Plain data
only: nothing read here is evaluated, except the text of an ``eval`` command, which is
the user's own expression, evaluated in the paused frame they chose. A line that is not
a valid command is reported and dropped; the end of the input detaches the debugger
(the cook goes on without it).
"""
from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Optional

from ..cook.events import WIRE_VERSION
from .breakpoints import Breakpoint, BreakpointError

_INT, _STR, _LIST = int, str, list
COMMANDS: dict[str, dict[str, type]] = {
    "continue": {},
    "step_over": {},
    "step_into": {},
    "step_out": {},
    "run_to": {"file": _STR, "line": _INT},
    "frame": {"index": _INT},
    "eval": {"expression": _STR, "frame": _INT, "id": _INT},
    "expand": {"frame": _INT, "path": _LIST, "id": _INT},
    "breakpoints": {"breakpoints": _LIST},
    "detach": {},
    "pause": {},
    "unpause": {},
}
MAX_LINE = 1 << 20


class CommandError(ValueError):
    """A line that is not a command we take."""


@dataclass(frozen=True)
class Command:
    name: str
    args: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"v": WIRE_VERSION, "cmd": self.name, **self.args},
                          separators=(",", ":"))


def command_line(name: str, **args: Any) -> str:
    """The line the window writes (checked as the host will check it)."""
    line = Command(name, args).to_json()
    parse_command(line)
    return line + "\n"


def parse_command(line: str) -> Command:
    if len(line) > MAX_LINE:
        raise CommandError("command line too long")
    try:
        raw = json.loads(line)
    except ValueError as exc:
        raise CommandError(f"not JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise CommandError("a command is a JSON object")
    if raw.get("v") != WIRE_VERSION:
        raise CommandError(f"unsupported command version {raw.get('v')!r}")
    name = raw.get("cmd")
    fields = COMMANDS.get(name) if isinstance(name, str) else None
    if fields is None:
        raise CommandError(f"unknown command {name!r}")
    args = {}
    for key, kind in fields.items():
        value = raw.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise CommandError(f"{name}: {key} must be {kind.__name__}, not {value!r}")
        args[key] = value
    if name == "breakpoints":
        try:
            args["breakpoints"] = [Breakpoint.from_dict(b) for b in args["breakpoints"]]
        except BreakpointError as exc:
            raise CommandError(f"breakpoints: {exc}") from None
    if name == "expand" and not all(isinstance(i, int) and i >= 0 for i in args["path"]):
        raise CommandError("expand: path is a list of indexes")
    return Command(name, args)


EOF_COMMAND = Command("eof")


class CommandReader:
    """Reads commands on a thread; the paused cook takes them with `get`.

    New breakpoints are handed straight to `on_breakpoints` (the cook may be running:
    they apply at its next callback), and so are a pause to `on_pause` and its withdrawal
    to `on_unpause` (the cook is running: nothing waits for the queue); everything else
    waits in the queue.
    """

    def __init__(self, stream: IO[str], on_breakpoints: Callable[[list], None],
                 warn: Callable[[str], None], on_pause: Optional[Callable[[], None]] = None,
                 on_unpause: Optional[Callable[[], None]] = None):
        self._stream, self._on_breakpoints, self._warn = stream, on_breakpoints, warn
        self._on_pause = on_pause or (lambda: None)
        self._on_unpause = on_unpause or (lambda: None)
        self._queue: "queue.Queue[Command]" = queue.Queue()
        self._thread = threading.Thread(target=self._read, name="debug-commands", daemon=True)
        self._thread.start()

    def get(self, timeout: float) -> Optional[Command]:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def _read(self) -> None:
        try:
            for line in self._stream:
                line = line.strip()
                if not line:
                    continue
                try:
                    command = parse_command(line)
                except CommandError as exc:
                    self._warn(f"debugger command refused: {exc}")
                    continue
                if command.name == "breakpoints":
                    self._on_breakpoints(command.args["breakpoints"])
                elif command.name == "pause":
                    self._on_pause()
                elif command.name == "unpause":
                    self._on_unpause()
                else:
                    self._queue.put(command)
        except (OSError, ValueError) as exc:
            self._warn(f"debugger commands: input failed ({exc})")
        self._queue.put(EOF_COMMAND)
