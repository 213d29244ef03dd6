"""Helpers for the debugger tests (no tests here): a cook host debugged over its wire
protocol, as the window drives it, and the lines the debuggee marks."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Optional

from scheduler_studio.engine.cli.hostrun import HostRun
from scheduler_studio.engine.hostclient import host_command
from scheduler_studio.engine.cook.events import DebugFrame, DebugPaused, DebugResumed, DebugValue
from scheduler_studio.engine.debug.breakpoints import Breakpoint
from scheduler_studio.engine.debug.commands import command_line
from scheduler_studio.engine.debug.host import host_arguments
from tests.engine.cookkit import SCHEDULERS, gen, line_of, write_graph
from tests.polling import wait_for

DEBUGGEE = SCHEDULERS / "debuggee.py"


def marked(marker: str, path: Path = DEBUGGEE) -> int:
    return line_of(path, marker)


def at(marker: str, path: Path = DEBUGGEE, **more: Any) -> Breakpoint:
    return Breakpoint(str(path), marked(marker, path), **more)


def four_items(tmp_path: Path) -> str:
    return str(write_graph(tmp_path, [gen("gen", 4)], "four").path)


class DebuggedHost:
    """A cook host with ``--debug wire``: commands in on stdin, events out."""

    started: list["DebuggedHost"] = []

    def __init__(self, module: Path, graph: str, tmp_path: Path, breakpoints=(),
                 post_mortem: bool = False, **options: Any):
        options.setdefault("workdir", str(tmp_path / "work"))
        options.setdefault("tick_period", 0.01)
        cmd = host_command(str(module), graph, **options) + host_arguments(
            "wire", list(breakpoints), post_mortem)
        self.run = HostRun(cmd, stdin=subprocess.PIPE)
        DebuggedHost.started.append(self)
        self._seen = 0
        self._ids = 0

    # -- driving it -----------------------------------------------------------------------
    def send(self, name: str, **args: Any) -> None:
        self.run.proc.stdin.write(command_line(name, **args))
        self.run.proc.stdin.flush()

    def next(self, kind: type, timeout: float = 30.0):
        """The next event of `kind` after the last one taken."""
        def find():
            events = self.run.events
            for index in range(self._seen, len(events)):
                if isinstance(events[index], kind):
                    self._seen = index + 1
                    return events[index]
            return None
        return wait_for(find, timeout, f"a {kind.__name__} event")

    def paused(self, timeout: float = 30.0) -> DebugPaused:
        return self.next(DebugPaused, timeout)

    def resume(self, how: str = "continue", **args: Any) -> DebugResumed:
        self.send(how, **args)
        return self.next(DebugResumed)

    def evaluate(self, expression: str, frame: int) -> DebugValue:
        self._ids += 1
        self.send("eval", expression=expression, frame=frame, id=self._ids)
        return self.next(DebugValue)

    def frame(self, index: int) -> DebugFrame:
        self.send("frame", index=index)
        return self.next(DebugFrame)

    def finish(self, timeout: float = 60.0) -> dict:
        """Close the commands (the debugger detaches) and wait for the summary."""
        self.run.proc.stdin.close()
        assert self.run.wait(timeout) is None
        return self.run.summary

    def pauses(self) -> list[DebugPaused]:
        return [e for e in self.run.events if isinstance(e, DebugPaused)]


def end_all() -> None:
    """Stop every host a test started (a failed test must not leave them running)."""
    while DebuggedHost.started:
        DebuggedHost.started.pop().run.stop(grace_s=1.0)


def where(paused: DebugPaused) -> tuple[str, int]:
    """(function, line) of the selected frame of a pause."""
    frame = paused.stack[paused.frame]
    return frame["function"], frame["line"]


def variable(tree: list, *names: str) -> Optional[dict]:
    """The node at `names` in a variables tree (children must have been sent)."""
    nodes, found = tree, None
    for name in names:
        found = next((n for n in nodes or [] if n["name"] == name), None)
        if found is None:
            return None
        nodes = found["children"]
    return found
