"""The window's debugger: stops report `DebugPaused` as NDJSON; commands come back.

While paused, the cook's thread waits here for commands (`commands.CommandReader`)
and answers ``frame``, ``eval`` and ``expand`` until one resumes it: ``continue``,
``step_over``, ``step_into``, ``step_out``, ``run_to`` (a one-time breakpoint, then
continue) or ``detach``. The end of the input detaches. ``pause`` comes while the cook
runs: it stops at the next line of user code (`tracing.CookTracing.request_pause`);
``unpause`` withdraws a pause that has not stopped the cook yet. Cancel (SIGTERM) breaks out of
the wait as out of any callback.
"""
from __future__ import annotations

import bdb
import os
from typing import Any, Callable, Optional

from ..cook.events import DebugFrame, DebugPaused, DebugResumed, DebugValue
from .breakpoints import stop_line
from .clock import PauseClock
from .commands import EOF_COMMAND, Command, CommandReader
from .tracing import CookTracing
from .values import expand, locals_tree, safe_repr

POLL_S = 0.1
MAX_FRAMES = 60
_RESUMING = ("continue", "step_over", "step_into", "step_out", "run_to", "detach", "eof")


class WireDebugger(CookTracing, bdb.Bdb):
    def __init__(self, emit: Callable[[Any], None], clock: PauseClock,
                 post_mortem: bool = True, on_quit: Optional[Callable[[], None]] = None,
                 warn: Optional[Callable[[str], None]] = None):
        bdb.Bdb.__init__(self)
        self.setup_tracing(clock, post_mortem, on_quit, warn)
        self.emit = emit
        self.commands: Optional[CommandReader] = None
        self._frames: list = []          # the stack entries' frames (None: folded)
        self._locals: dict[int, dict] = {}
        self._selected = 0
        self._post_mortem = False

    def listen(self, stream) -> None:
        """Take commands from `stream` (the host's private stdin)."""
        self.commands = CommandReader(stream, self.take_breakpoints, self.warn,
                                      on_pause=self.request_pause,
                                      on_unpause=self.withdraw_pause)

    # -- stops ------------------------------------------------------------------------------
    def user_line(self, frame) -> None:
        reason, self.stop_reason = self.stop_reason or "step", ""
        self._pause(frame, None, reason)

    def post_mortem_interaction(self, tb) -> None:
        self._pause(None, tb, "exception", self.exception_text)

    def _pause(self, frame, tb, reason: str, message: str = "") -> None:
        stack = self._stack(frame, tb)
        self._post_mortem = tb is not None
        self._locals = {}
        self._selected = next((i for i, entry in enumerate(stack) if entry["user"]), 0)
        callback, item = self.callback
        self.emit(DebugPaused(reason, stack, self._selected, self._tree(self._selected),
                              callback, item, message))
        self._flush()
        how = "continue"
        try:
            self.hold(lambda: self._wait())
            how = self._how
        finally:
            self._frames, self._locals = [], {}
        self.emit(DebugResumed(how))
        self._flush()

    def _wait(self) -> None:
        self._how = "continue"
        while True:
            command = self.commands.get(POLL_S) if self.commands else EOF_COMMAND
            # breakpoints sent before this command apply before it (the reader hands
            # them over before it queues what follows)
            pending = self.pending_breakpoints
            if pending is not None:
                self.pending_breakpoints = None
                self.apply_breakpoints(pending)
            if command is None:
                self._flush()          # what other threads said during the pause
                continue
            if self._obey(command):
                self._how = command.name
                return

    def _obey(self, command: Command) -> bool:
        """Carry out one command; True when it resumes the cook."""
        name, args = command.name, command.args
        if name not in _RESUMING:
            if name == "frame":
                self._select(args["index"])
            elif name == "eval":
                self._eval(args["expression"], args["frame"], args["id"])
            elif name == "expand":
                self._expand(args["frame"], args["path"], args["id"])
            return False
        if name in ("detach", "eof"):
            self.detach()
        elif self._post_mortem:
            pass                                   # nothing left to run: the exception goes on
        elif name == "continue":
            self.set_continue()
        elif name == "step_over":
            self.set_next(self._frame())
        elif name == "step_into":
            self.set_step()
        elif name == "step_out":
            self.set_return(self._frame())
        elif name == "run_to":
            self._run_to(args["file"], args["line"])
        return True

    # -- answers ------------------------------------------------------------------------------
    def _frame(self):
        frame = self._frames[self._selected] if self._selected < len(self._frames) else None
        return frame or next(f for f in self._frames if f is not None)

    def _frame_locals(self, index: int) -> dict:
        if index not in self._locals:
            frame = self._frames[index]
            self._locals[index] = dict(frame.f_locals) if frame is not None else {}
        return self._locals[index]

    def _tree(self, index: int) -> list:
        if not (0 <= index < len(self._frames)) or self._frames[index] is None:
            return []
        return locals_tree(self._frame_locals(index))

    def _select(self, index: int) -> None:
        if 0 <= index < len(self._frames) and self._frames[index] is not None:
            self._selected = index
        self.emit(DebugFrame(index, self._tree(index)))
        self._flush()

    def _eval(self, expression: str, index: int, ident: int) -> None:
        if not (0 <= index < len(self._frames)) or self._frames[index] is None:
            self.emit(DebugValue(ident, index, False, "no such frame", expression))
        else:
            ok, value = self.evaluate(self._frames[index], self._frame_locals(index),
                                      expression)
            if ok:
                from .values import node
                tree = node("", value, 1)["children"] or []
                self.emit(DebugValue(ident, index, True, safe_repr(value, 4000), expression,
                                     children=tree))
            else:
                self.emit(DebugValue(ident, index, False, str(value), expression))
        self._flush()

    def _expand(self, index: int, path: list, ident: int) -> None:
        try:
            children = expand(self._frame_locals(index), path)
            self.emit(DebugValue(ident, index, True, path=path, children=children))
        except (IndexError, KeyError):
            self.emit(DebugValue(ident, index, False, "nothing there any more", path=path))
        self._flush()

    def _run_to(self, file: str, line: int) -> None:
        path = self.canonic(file)
        try:
            with open(path, "rb") as handle:
                stop = stop_line(handle.read().decode("utf-8-sig", "replace"), line)
        except OSError:
            stop = None
        if stop is None or self.set_break(path, stop, temporary=True):
            self.warn(f"run to {os.path.basename(path)}:{line}: no statement there")
        self.set_continue()
        self._rearm()

    def _stack(self, frame, tb) -> list[dict]:
        """Innermost first; the engine's frames below the last user frame folded."""
        frames = []
        if tb is not None:
            while tb is not None:
                frames.append((tb.tb_frame, tb.tb_lineno))
                tb = tb.tb_next
            frames.reverse()
        else:
            while frame is not None and len(frames) < 500:
                frames.append((frame, frame.f_lineno))
                frame = frame.f_back
        last_user = max((i for i, (f, _) in enumerate(frames) if not self.is_engine_frame(f)),
                        default=-1)
        entries, self._frames = [], []
        for index, (f, line) in enumerate(frames[: last_user + 1][:MAX_FRAMES]):
            entries.append({"file": f.f_code.co_filename, "line": line,
                            "function": f.f_code.co_name, "user": not self.is_engine_frame(f)})
            self._frames.append(f)
        folded = len(frames) - len(entries)
        if folded > 0:
            entries.append({"file": "", "line": 0, "function": f"engine ({folded} frames)",
                            "user": False, "folded": folded})
            self._frames.append(None)
        return entries

    def _flush(self) -> None:
        flush = getattr(self.emit, "flush", None)
        if flush:
            flush()
