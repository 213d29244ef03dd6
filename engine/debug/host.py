"""The cook host's debugging options, and the one place it builds a debugger.

    --debug wire        the window's debugger: NDJSON commands on stdin
    --debug terminal    a pdb prompt: commands on stdin, its output on --debug-out-fd
    --breakpoints JSON  [{"file", "line", "condition", "hit_count"}, ...]
    --post-mortem       pause where an exception escapes a callback

Either way the host keeps stdin to itself: fd 0 becomes /dev/null, so a job the
scheduler starts cannot read the debugger's commands. Without ``--debug``,
``breakpoint()`` in the module is reported and passed over, never a prompt that waits
on nothing.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
from typing import Any, Callable, Optional

from .breakpoints import Breakpoint, BreakpointError
from .clock import PauseClock


def _breakpoints(text: str) -> list[Breakpoint]:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--breakpoints is JSON: {exc}") from None
    if not isinstance(raw, list):
        raise argparse.ArgumentTypeError("--breakpoints is a JSON list")
    try:
        return [Breakpoint.from_dict(b) for b in raw]
    except BreakpointError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("debugging (scheduler_studio.engine.debug)")
    group.add_argument("--debug", choices=("wire", "terminal"))
    group.add_argument("--breakpoints", type=_breakpoints, default=[])
    group.add_argument("--post-mortem", action="store_true")
    group.add_argument("--debug-out-fd", type=int, metavar="FD")


def host_arguments(mode: Optional[str], breakpoints: list[Breakpoint] = (),
                   post_mortem: bool = False, out_fd: Optional[int] = None) -> list[str]:
    """The cook host's command-line words for these debugging options."""
    if not mode:
        return []
    words = ["--debug", mode]
    if breakpoints:
        words += ["--breakpoints", json.dumps([b.to_dict() for b in breakpoints])]
    if post_mortem:
        words.append("--post-mortem")
    if out_fd is not None:
        words += ["--debug-out-fd", str(out_fd)]
    return words


def make_debugger(args: argparse.Namespace, warn: Callable[[str], None],
                  emit: Callable[[Any], None], on_quit: Callable[[], None]):
    """The debugger the options ask for (None: not debugging), with breakpoint() set."""
    commands = _private_stdin()
    if not args.debug:
        sys.breakpointhook = _not_debugging(warn)
        return None
    clock = PauseClock()
    if args.debug == "wire":
        from .wire import WireDebugger
        debugger = WireDebugger(emit, clock, args.post_mortem, on_quit, warn)
        debugger.listen_for_pause()
        debugger.listen(commands)
    else:
        from .terminal import TerminalDebugger
        out = os.fdopen(args.debug_out_fd, "w", encoding="utf-8", buffering=1) \
            if args.debug_out_fd is not None else sys.stderr
        debugger = TerminalDebugger(commands, out, clock, args.post_mortem, on_quit, warn)
    debugger.apply_breakpoints(args.breakpoints)
    sys.breakpointhook = debugger.breakpoint_hook
    return debugger


def _private_stdin() -> io.TextIOBase:
    """The host's stdin for the debugger alone; fd 0 (what jobs inherit) is /dev/null."""
    try:
        fd = os.dup(0)
    except OSError:
        fd = os.open(os.devnull, os.O_RDONLY)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(0, encoding="utf-8", closefd=False)
    return os.fdopen(fd, "r", encoding="utf-8", errors="replace")


def _not_debugging(warn: Callable[[str], None]):
    def hook(*_args: Any, **_kwargs: Any) -> None:
        frame = sys._getframe(1)
        warn(f"breakpoint() at {frame.f_code.co_filename}:{frame.f_lineno} passed over: "
             "the cook is not being debugged (cook in the window, or with --break or --pdb)")
    return hook
