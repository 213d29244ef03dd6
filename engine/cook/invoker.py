"""Calls into the scheduler: counted, timed, traced, and never allowed to escape.

Every call the engine makes into user code goes through `CallbackInvoker.call`, which
returns ``(value, error)``. An error is a plain dict naming the callback, the message and
the file and line *in the scheduler module* where it was raised.
"""
from __future__ import annotations

import inspect
import os
import sys
import traceback
from collections import Counter
from time import perf_counter
from typing import Any, Callable, Optional

from . import forkguard
from .errors import CancelInterrupt
from .events import CallbackCalled, CallbackSlow
from .summary import INTERRUPTED

_ENGINE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def short_repr(value: Any, limit: int = 120) -> str:
    """A one-line description of an argument or result for the trace."""
    name = getattr(value, "name", None)
    if name is not None and hasattr(value, "state") and hasattr(value, "index"):
        return f"<WorkItem {name}>"
    if isinstance(value, (list, tuple, dict)) and len(value) > 5:
        return f"<{type(value).__name__} of {len(value)}>"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a user object whose __repr__ is broken
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_async_result(value: Any) -> bool:
    return inspect.iscoroutine(value) or inspect.isasyncgen(value)


def _frames(tb) -> list[dict[str, Any]]:
    return [
        {"file": f.filename, "line": f.lineno, "name": f.name, "text": f.line or ""}
        for f in traceback.extract_tb(tb)
    ]


def _is_user_frame(filename: str) -> bool:
    return not os.path.abspath(filename).startswith(_ENGINE_DIR)


class CallbackInvoker:
    """Owns the calls into one scheduler instance during a cook."""

    def __init__(self, scheduler: Any, module_file: str,
                 emit: Optional[Callable[[Any], None]] = None, debugger: Any = None):
        self.scheduler = scheduler
        self.module_file = os.path.abspath(module_file) if module_file else ""
        self.emit = emit
        # `scheduler_studio.engine.debug`: calls go through it (breakpoints, steps, post-mortem), and its
        # clock, which stands still while paused, times them
        self.debugger = debugger
        if debugger is not None:
            debugger.invoker = self
        self.clock: Callable[[], float] = debugger.clock.now if debugger else perf_counter
        self.counts: Counter[str] = Counter()
        self.errors: list[dict[str, Any]] = []
        # callbacks a cancel or the timeout broke out of: where each one was (not a
        # callback's error: the cook's status says how it ended)
        self.interruptions: list[dict[str, Any]] = []
        self.current: Optional[tuple[str, Optional[int], float]] = None
        # the event stream's hooks around user code (the cook host's `NdjsonEmitter`)
        self._enter = getattr(emit, "enter_user_code", None)
        self._leave = getattr(emit, "leave_user_code", None)

    def call(self, name: str, *args: Any, item: Any = None) -> tuple[Any, Optional[dict]]:
        method = getattr(self.scheduler, name)
        item_id = getattr(item, "id", None)
        self.counts[name] += 1
        code = getattr(method, "__code__", None)
        forkguard.only_the_host()
        if self._enter is not None:
            self._enter(name, item_id, code.co_filename if code else self.module_file,
                        code.co_firstlineno if code else None)
        clock, debugger = self.clock, self.debugger
        started = clock()
        self.current = (name, item_id, started)
        try:
            if debugger is None or not debugger.wants_calls:
                value = method(*args)
            else:
                value = debugger.run_callback(method, args, name, item_id)
        except CancelInterrupt as exc:
            self._interrupted(name, exc, item, started)
            raise
        except BaseException as exc:  # user code may raise anything: SystemExit,
            # KeyboardInterrupt, GeneratorExit... are that callback's error too
            forkguard.only_the_host()
            if debugger is not None:
                debugger.post_mortem_at(exc)
            error = self.error_record(name, exc, item_id)
            self.errors.append(error)
            if self.emit:
                self.emit(CallbackCalled(name, item_id, self._args(args),
                                         clock() - started, None, error))
            return None, error
        finally:
            self.current = None
            if self._leave is not None:
                self._leave()
        forkguard.only_the_host()
        if _is_async_result(value):
            return None, self._async_error(name, value, item, args, started)
        if self.emit:
            self.emit(CallbackCalled(name, item_id, self._args(args),
                                     clock() - started, short_repr(value)))
        return value, None

    def _interrupted(self, name: str, exc: CancelInterrupt, item: Any,
                     started: float) -> None:
        """Say where the callback was when the cancel broke out of it: the innermost
        call only (the exception passes through the calls it was made from)."""
        if getattr(exc, "recorded", False):
            return
        exc.recorded = True
        reason = str(exc.args[0]) if exc.args else "cancelled"
        ending = {"timeout": "timed out", "cancelled": "was cancelled"}.get(
            reason, f"stopped ({reason})")
        elapsed = self.clock() - started
        item_name = getattr(item, "name", None)
        on = f" on work item {item_name}" if item_name else ""
        frames = _frames(exc.__traceback__)
        where = self._blame([f for f in frames if _is_user_frame(f["file"])])
        record = {
            "callback": name,
            "item": getattr(item, "id", None),
            "type": INTERRUPTED,
            "message": f"still running{on} when the cook {ending}, {elapsed:.1f} s "
                       "after it was called",
            "file": where.get("file", self.module_file),
            "line": where.get("line"),
            "traceback": frames,
        }
        self.interruptions.append(record)
        exc.record = record  # for a caller outside the cook loop (onStart cut off)
        if self.emit:  # not a CallbackCalled with an error: the callback raised nothing
            self.emit(CallbackSlow(name, record["item"], round(elapsed, 3), reason,
                                   record["file"], record["line"]))

    @property
    def paused(self) -> bool:
        """Whether the debugger holds the cook (inside a callback)."""
        return self.debugger is not None and self.debugger.paused

    def _async_error(self, name: str, value: Any, item: Any, args: tuple,
                     started: float) -> dict:
        """An ``async def`` callback: PDG calls it and never awaits what it returns."""
        close = getattr(value, "close", None) or getattr(value, "aclose", None)
        if inspect.iscoroutine(value) and close:
            close()  # never awaited: say so here, not in a RuntimeWarning at exit
        kind = "an async generator" if inspect.isasyncgen(value) else "a coroutine"
        error = self.problem(name, f"{name} is an async def: it returned {kind}, which PDG "
                                   "never awaits, so its body did not run; make it a "
                                   "plain def", item)
        if self.emit:
            self.emit(CallbackCalled(name, error["item"], self._args(args),
                                     self.clock() - started, short_repr(value), error))
        return error

    @staticmethod
    def _args(args: tuple) -> str:
        return ", ".join(short_repr(a) for a in args)

    def error_record(self, name: str, exc: BaseException, item_id: Optional[int]) -> dict[str, Any]:
        frames = _frames(exc.__traceback__)
        where = self._blame(frames)
        record = {
            "callback": name,
            "item": item_id,
            "type": type(exc).__name__,
            "message": f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__,
            "file": where.get("file", self.module_file),
            "line": where.get("line"),
            "traceback": frames,
        }
        from ..standins.missing import missing_import, missing_program
        missing = missing_import(exc, self.module_file)
        if missing is not None:  # a farm library imported inside a callback
            record.update(message=missing["message"], missing_module=missing["module"])
        program = missing_program(exc, self.module_file)
        if program is not None:  # a farm command-line tool
            record["message"] = program
        return record

    def problem(self, name: str, message: str, item: Any = None, line: Optional[int] = None) -> dict:
        """Record an error that is not an exception (a wrong return value, say)."""
        method = getattr(type(self.scheduler), name, None)
        code = getattr(method, "__code__", None)
        error = {
            "callback": name,
            "item": getattr(item, "id", None),
            "type": "CallbackError",
            "message": message,
            "file": code.co_filename if code else self.module_file,
            "line": line if line is not None else (code.co_firstlineno if code else None),
            "traceback": [],
        }
        self.errors.append(error)
        return error

    def _blame(self, frames: list[dict[str, Any]]) -> dict[str, Any]:
        """The deepest frame in the module, else the deepest frame outside the engine."""
        for frame in reversed(frames):
            if self.module_file and os.path.abspath(frame["file"]) == self.module_file:
                return frame
        for frame in reversed(frames):
            if _is_user_frame(frame["file"]):
                return frame
        return frames[-1] if frames else {}


def defined_by_user(scheduler: Any, name: str, base: type) -> bool:
    """True when the scheduler's class (not our base) defines `name`."""
    for klass in type(scheduler).__mro__:
        if name in vars(klass):
            return klass.__module__ is not None and not _is_engine_class(klass, base)
    return False


def _is_engine_class(klass: type, base: type) -> bool:
    module = sys.modules.get(klass.__module__)
    filename = getattr(module, "__file__", "") or ""
    return klass is base or os.path.abspath(filename).startswith(_ENGINE_DIR) or klass is object
