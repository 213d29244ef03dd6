"""What the window's and the terminal's debuggers share: a mixin over `bdb.Bdb`.

* The invoker calls a callback through `run_callback` only while a breakpoint is set or
  a step is pending (`wants_calls`), and tracing (``sys.settrace``) is on only for the
  length of such a call: a cook without breakpoints runs as an undebugged one.
* The debugger stops only in user code. Frames of the engine (the cook loop, ``pdg``,
  work items) are run through, never shown as a stop; a step that leaves a callback goes
  on at the first line of user code the cook runs next.
* A pause holds the cook's clock (`clock.PauseClock`); job reports that come meanwhile
  wait in the cook's inbox (`CookLoop.hold_call`).
* ``breakpoint()`` in user code stops here (`breakpoint_hook`), and an exception that
  escapes a callback can be looked at where it was raised (`post_mortem_at`).
* Pause (`request_pause`, from the command thread) stops the cook at the next line of
  user code, even inside a callback that loops for ever: the request is a signal to
  the cook's own (main) thread (`PAUSE_SIGNAL`), whose handler starts tracing from the
  frame it interrupted, as ``pdb`` does on Ctrl-C. Between callbacks it stops at the
  first line of the next one. A callback blocked in a C call (a long ``wait()``)
  stops once that call returns.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from typing import Any, Callable, Optional

from .breakpoints import Breakpoint, stop_line
from .clock import PauseClock

PAUSE_SIGNAL = signal.SIGUSR2
_ENGINE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_engine_file(filename: str) -> bool:
    return os.path.abspath(filename).startswith(_ENGINE_DIR)


class CookTracing:
    """Mixed in before a `bdb.Bdb` subclass; call `setup_tracing` from ``__init__``."""

    def setup_tracing(self, clock: PauseClock, post_mortem: bool = False,
                      on_quit: Optional[Callable[[], None]] = None,
                      warn: Optional[Callable[[str], None]] = None) -> None:
        self.clock = clock
        self.post_mortem_enabled = post_mortem
        self.on_quit = on_quit
        self.warn = warn or (lambda message: None)
        self.detached = False
        self.pending_breakpoints: Optional[list[Breakpoint]] = None  # set from any thread
        self.wants_calls = False    # the invoker calls through `run_callback` (see `_rearm`)
        self.invoker: Any = None    # the cook's `CallbackInvoker` (it sets this)
        self.stop_reason = ""       # why the next stop happens: "breakpoint", "exception"...
        self.exception_text = ""
        self._pending_step = False
        self._pause_asked = False
        self._depth = 0
        self._engine_files: dict[str, bool] = {}
        self.reset()  # bdb's own state (botframe...): a cancel may detach before any stop

    # -- the cook's side ----------------------------------------------------------------------
    @property
    def armed(self) -> bool:
        """Whether the next callback runs traced."""
        return not self.detached and (bool(self.breaks) or self._pending_step)

    def _rearm(self) -> None:
        """Callbacks go through `run_callback` only while there is something to trace
        or breakpoints to take: otherwise the invoker calls them directly (no cost)."""
        self.wants_calls = not self.detached and (
            bool(self.breaks) or self._pending_step or self.pending_breakpoints is not None)

    def take_breakpoints(self, breakpoints: list[Breakpoint]) -> None:
        """New breakpoints from another thread: the next callback applies them."""
        self.pending_breakpoints = breakpoints
        self.wants_calls = True

    @property
    def callback(self) -> tuple[str, Optional[int]]:
        """(callback, work item id) the cook is in."""
        current = self.invoker.current if self.invoker is not None else None
        return (current[0], current[1]) if current else ("", None)

    @property
    def paused(self) -> bool:
        return self.clock.is_paused

    def run_callback(self, func: Callable[..., Any], args: tuple, name: str = "",
                     item: Optional[int] = None) -> Any:
        """Call one callback, traced when a breakpoint or a step waits for it."""
        pending = self.pending_breakpoints
        if pending is not None:
            self.pending_breakpoints = None
            self.apply_breakpoints(pending)
        if self._depth:                 # a callback the cook calls from inside another
            return func(*args)
        self._depth += 1
        try:
            if not self.armed:
                return func(*args)
            self.botframe = sys._getframe()
            if self._pending_step:
                self._pending_step = False
                self._set_stopinfo(None, None)            # stop at the first user line
            else:
                self._set_stopinfo(self.botframe, None, -1)  # breakpoints only
            self.quitting = False
            sys.settrace(self.trace_dispatch)
            return func(*args)
        finally:
            self._depth -= 1
            if sys.gettrace() is not None:
                sys.settrace(None)
            self._rearm()

    def apply_breakpoints(self, breakpoints: list[Breakpoint]) -> list[str]:
        """Replace every breakpoint; a line that holds no statement moves to the next
        statement of its function. Returns the problems (also given to `warn`)."""
        self.clear_all_breaks()
        problems, sources = [], {}
        for wanted in breakpoints:
            path = self.canonic(wanted.file)
            if path not in sources:
                try:
                    with open(path, "rb") as handle:
                        sources[path] = handle.read().decode("utf-8-sig", "replace")
                except OSError as exc:
                    sources[path] = None
                    problems.append(f"breakpoint in {path}: cannot read it ({exc.strerror})")
            if sources[path] is None:
                continue
            line = stop_line(sources[path], wanted.line)
            error = self.set_break(path, line, cond=wanted.condition or None) if line else \
                f"no statement at or after line {wanted.line}"
            if error:
                problems.append(f"breakpoint at {os.path.basename(path)}:{wanted.line}: {error}")
                continue
            if wanted.hit_count > 1:
                self.get_breaks(path, line)[-1].ignore = wanted.hit_count - 1
        for problem in problems:
            self.warn(problem)
        self._rearm()
        return problems

    def detach(self) -> None:
        """Stop debugging this cook: no more stops, no more tracing. Tracing goes off
        first: a pause that set the trace inside a callback (one blocked in a C call, so
        it never reached its next line) would otherwise stop in what runs here."""
        sys.settrace(None)
        self.detached = True
        self._pending_step = False
        self.clear_all_breaks()
        self.set_continue()
        sys.settrace(None)
        self._rearm()

    def listen_for_pause(self) -> None:
        """Take `PAUSE_SIGNAL` on this (the cook's main) thread."""
        signal.signal(PAUSE_SIGNAL, self.on_pause_signal)

    def request_pause(self) -> None:
        """Pause the running cook at the next line of user code (any thread)."""
        if self.detached or self.paused:
            return
        self._pause_asked = True
        if signal.getsignal(PAUSE_SIGNAL) == self.on_pause_signal:
            signal.pthread_kill(threading.main_thread().ident, PAUSE_SIGNAL)
        else:  # no handler (not the host's main thread): the next callback stops
            self.stop_reason = "pause"
            self._pending_step = True
            self.wants_calls = True

    def withdraw_pause(self) -> None:
        """Forget a pause that has not stopped the cook yet (any thread): between two
        callbacks it waits for the next one, which may be long in coming (jobs running,
        no onTick). A pause that already stopped the cook, or set the trace inside a
        running callback, stands: the cook is paused, or will be at its next line."""
        if self.detached or self.paused:
            return
        self._pause_asked = False
        if self._pending_step and self.stop_reason == "pause":
            self._pending_step = False
            self.stop_reason = ""
            self._rearm()

    def on_pause_signal(self, _signum: int, frame) -> None:
        """On the cook's thread, between two bytecodes of whatever it was running."""
        if not self._pause_asked or self.detached or self.paused:
            return
        self._pause_asked = False
        self.stop_reason = "pause"
        user = frame
        while user is not None and self.is_engine_frame(user):
            user = user.f_back
        if user is not None and self.callback[0]:
            self.set_trace(frame)       # inside a callback: its next line stops
        else:
            self._pending_step = True   # between callbacks: the next one's first line
            self.wants_calls = True

    def breakpoint_hook(self, *_args: Any, **_kwargs: Any) -> None:
        """``sys.breakpointhook``: stop at the line after ``breakpoint()``."""
        frame = sys._getframe(1)
        if self.detached:
            return
        if threading.current_thread() is not threading.main_thread():
            self.warn(f"breakpoint() at {frame.f_code.co_filename}:{frame.f_lineno} in "
                      f"thread {threading.current_thread().name}: the test cook stops only "
                      "in callbacks, on the cook's own thread")
            return
        self.stop_reason = "breakpoint()"
        self.set_trace(frame)

    def post_mortem_at(self, exc: BaseException) -> None:
        """Pause where `exc` (escaping a callback) was raised, if post-mortem is on."""
        if self.detached or not self.post_mortem_enabled or \
                threading.current_thread() is not threading.main_thread():
            return
        tb = exc.__traceback__
        while tb is not None and self.is_engine_frame(tb.tb_frame):
            tb = tb.tb_next
        if tb is None:
            return
        self.stop_reason = "exception"
        self.exception_text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        self.reset()
        self.post_mortem_interaction(tb)

    def post_mortem_interaction(self, tb) -> None:
        raise NotImplementedError

    def hold(self, interact: Callable[[], None]) -> None:
        """Run a pause: the cook's clock stands still meanwhile."""
        with self.clock.paused():
            interact()

    # -- bdb's decisions --------------------------------------------------------------------
    def is_engine_frame(self, frame) -> bool:
        filename = frame.f_code.co_filename
        known = self._engine_files.get(filename)
        if known is None:
            known = self._engine_files[filename] = is_engine_file(filename) or \
                filename.startswith("<frozen ")
        return known

    def stop_here(self, frame) -> bool:
        if self.detached or self.is_engine_frame(frame):
            return False
        return super().stop_here(frame)

    def break_here(self, frame) -> bool:
        hit = super().break_here(frame)
        if hit:
            self.stop_reason = "breakpoint"
        return hit

    def user_call(self, frame, argument_list) -> None:
        """Steps stop at a function's first line, not at its call."""

    def user_return(self, frame, return_value) -> None:
        caller = frame.f_back
        if caller is None or self.is_engine_frame(caller):
            # a callback returns to the cook: the step goes on in the next callback
            self._pending_step = not self.detached
            self._rearm()
            return
        self.nested_return(frame, return_value)

    def nested_return(self, frame, return_value) -> None:
        """A user function returns to user code while stepping."""

    def do_clear(self, arg: str) -> None:  # bdb: remove a temporary breakpoint once hit
        self.clear_bpbynumber(arg)

    def evaluate(self, frame, frame_locals: dict, expression: str) -> tuple[bool, Any]:
        """The user's own expression (or statement) in the paused frame."""
        try:
            code = compile(expression, "<debugger>", "eval")
        except SyntaxError:
            try:
                code = compile(expression, "<debugger>", "exec")
            except SyntaxError as exc:
                return False, f"SyntaxError: {exc.msg}"
        try:
            value = eval(code, frame.f_globals, frame_locals)  # noqa: S307 - the user's own
        except Exception as exc:  # noqa: BLE001 - shown to the user
            return False, "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return True, value
