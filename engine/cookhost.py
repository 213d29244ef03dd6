"""The cook host: one cook of one module file against one graph, in its own process.

    python -m scheduler_studio.engine.cookhost MODULE.py --graph NAME|PATH [--static] [--workdir DIR]
        [--tick-period S] [--max-items N] [--parm NAME=VALUE ...] [--timeout S]
        [--submit-as-job NODE_PATH] [--scratch DIR] [--callboard FILE]

Events go to stdout as NDJSON (`scheduler_studio.engine.cook.events`); anything the scheduler or its jobs
print goes to stderr, so it cannot corrupt the stream. SIGTERM or SIGINT cancels the
cook, breaking out of a callback that does not return; the host then ends every process
it started (it is a subreaper and its own process group) and exits:
0 = cook succeeded, 1 = failed/cancelled/timeout, 2 = the module or graph is unusable.
A caller that sets ``SCHEDSTUDIO_HOST_PARENT`` to its pid gets a host that cancels
(SIGTERM) when the caller dies. Events are flushed before any callback runs and written
through while it runs, and ``--callboard`` names the running callback, so a module that
ends the process (``os._exit``, a crash) loses no event and its caller can say where.

With ``--submit-as-job`` the host cooks nothing: it calls ``submitAsJob(graph file,
NODE_PATH)`` once and its summary carries ``submitted`` (``status_uri``, ``job_id``).
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from typing import Any, Optional

from .cook import forkguard
from .cook.callboard import CallBoard
from .cook.emitter import NdjsonEmitter
from .cook.errors import CancelInterrupt
from .cook.events import CallbackSlow, CookFinished, LogMessage
from .cook.options import add_host_options, cook_options, option_values
from .cook.summary import empty_summary, error_entry, exit_code, interruption_entries
from .debug.host import add_arguments as add_debug_arguments, make_debugger
from .factory import ModuleLoadError
from .model.graph import GraphError, load_graph, resolve_graph
from .processes import PARENT_PID_ENV, become_subreaper, die_with_parent, kill_tree
from .sandbox import (SandboxError, SandboxOptions, install_standins, load_parms_file,
                      package_dir, scene_environment, stand_in_timeout_error,
                      StudioTools, studio_tools_notes, studio_tools_on_path)
from .scheduler.params import ParameterError
from .session import CookSession

SLOW_CALL_S = 1.0
THREAD_GRACE_S = 1.0  # how long threads the module left running get to end on their own


def build_parser() -> argparse.ArgumentParser:
    """The module, then every option of `cook.options.HOST_OPTIONS` (the one table the
    callers' `host_command` writes from), then the debugger's."""
    parser = argparse.ArgumentParser(prog="python -m scheduler_studio.engine.cookhost")
    parser.add_argument("module")
    add_host_options(parser)
    add_debug_arguments(parser)
    return parser


def _private_event_stream():
    """Keep the real stdout for events; point fd 1 and sys.stdout at stderr."""
    sys.stdout.flush()
    events_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(events_fd, "w", encoding="utf-8", buffering=1 << 16)


class _Host:
    def __init__(self, args: argparse.Namespace, emit: NdjsonEmitter,
                 tools: Optional[StudioTools] = None):
        self.args, self.emit = args, emit
        self.tools = tools or StudioTools()   # the farm tools the studio ships (sandbox)
        self.session: Optional[CookSession] = None
        self.cancel_reason: Optional[str] = None
        self.done = threading.Event()
        self.finishing = False
        self.closing = False  # inside onStop: user code, so still interruptible
        self.debugger = None  # scheduler_studio.engine.debug, when the cook is debugged

    # signals arrive on the main thread, which is the thread running the cook loop
    def on_signal(self, signum: int, _frame: Any) -> None:
        self.interrupt("timeout" if signum == signal.SIGUSR1 else "cancelled")

    def interrupt(self, reason: str) -> None:
        first = self.cancel_reason is None
        if self.debugger is not None:
            try:
                self.debugger.detach()  # a cancelled cook stops nowhere on its way out
            except Exception as exc:  # noqa: BLE001 - the cancel must happen regardless
                self.emit(LogMessage("error", f"debugger: could not detach: {exc!r}"))
        self.cancel_reason = self.cancel_reason or reason
        if self.finishing and not self.closing:
            return  # the cook is over; clean-up and the summary must still happen
        session = self.session
        loop = session.loop if session else None
        if loop is not None:
            loop.request_cancel(self.cancel_reason)
            if loop.invoker.current is not None or not first:
                raise CancelInterrupt(self.cancel_reason)
        elif session is None or not first:
            raise CancelInterrupt(self.cancel_reason)

    def watchdog(self) -> None:
        """Report callbacks that run long, and fire the timeout."""
        reported = None
        # the cook's clock: it stands still while a debugger holds the cook
        clock = self.debugger.clock.now if self.debugger else time.monotonic
        deadline = clock() + self.args.timeout if self.args.timeout else None
        while not self.done.wait(0.2):
            session = self.session
            invoker = session.loop.invoker if session and session.loop else None
            current = invoker.current if invoker is not None else None
            if current is not None and current is not reported:
                elapsed = invoker.clock() - current[2]
                if elapsed >= SLOW_CALL_S:
                    self.emit(CallbackSlow(current[0], current[1], round(elapsed, 3)))
                    self.emit.flush()
                    reported = current
            if deadline is not None and clock() >= deadline:
                deadline = None
                signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)

    def run(self) -> int:
        args = self.args
        sandbox = SandboxOptions(args.module, args.source, args.workdir, args.standins, args.stubs)
        active = install_standins(sandbox, self.emit, self._current_callback)
        summary: Optional[dict[str, Any]] = None
        try:
            parameters = load_parms_file(args.parms_file) if args.parms_file else {}
            parameters.update(dict(args.parms))
            options = cook_options({**option_values(args), "parms": parameters})
            options.timeout_s = None  # the watchdog's: its clock stands still in a debugger
            # the graph first: one that cannot be used is refused before any user code runs
            spec = None if args.submit_node else load_graph(resolve_graph(args.graph))
            self.session = CookSession(args.module, args.type_name, self.emit,
                                       package_dir=package_dir(sandbox),
                                       debugger=self.debugger, parameters=parameters,
                                       class_name=args.class_name)
            if args.submit_node:
                summary = self._submit(args.submit_node)
            else:
                summary = self.session.cook(spec, options)
            if self.cancel_reason and summary["status"] in ("cancelled", "timeout"):
                summary["status"] = self.cancel_reason
        except (ModuleLoadError, GraphError, SandboxError, ParameterError) as exc:
            summary = _error_summary(args, exc, scheduler=self._type_name())
        except CancelInterrupt as exc:
            summary = _error_summary(args, None, self.cancel_reason or "cancelled",
                                     self._type_name())
            cut = getattr(exc, "record", None)  # onStart (or submitAsJob) was cut off
            summary["errors"] += interruption_entries([cut] if cut else [])
        except Exception as exc:  # a bug of ours must still end in a summary, not a trace
            self.emit(LogMessage("error", "internal error: " + "".join(
                traceback.format_exception(type(exc), exc, exc.__traceback__))))
            summary = _error_summary(args, exc, scheduler=self._type_name())
        except BaseException as exc:  # noqa: BLE001 - SystemExit... from user code outside
            # a callback (the scheduler's __init__): still a summary
            summary = _error_summary(args, exc, scheduler=self._type_name())
        finally:
            self.finishing = True
            self._close_session(summary)
        self._end_processes()
        stalled = stand_in_timeout_error(summary, active)
        if stalled:
            summary["errors"].append(error_entry(stalled))
        summary["stand_ins"] = active.used()
        summary["notes"] = (list(summary.get("notes", [])) + active.notes()
                            + studio_tools_notes(self.tools))
        if self.tools.error:   # a warning: a cook that needs no shipped tool is fine
            summary.setdefault("warnings", []).append(self.tools.error)
        leaked = self._leaked_threads()
        if leaked:
            self.emit(LogMessage("warning", f"{len(leaked)} thread(s) the scheduler started "
                                            f"still run ({', '.join(leaked[:5])}): the cook "
                                            "host exits without waiting for them"))
        self.emit(CookFinished(summary))
        self.emit.flush()
        return exit_code(summary["status"])

    def before_exit(self, why: str) -> None:
        """A callback is ending the process (`why`: "os._exit(3)"): the job reports the
        cook received count, as far as they can (see `CookLoop.apply_received`)."""
        session = self.session
        loop = session.loop if session is not None else None
        if loop is not None:
            try:
                loop.apply_received(why)
            except Exception as exc:  # noqa: BLE001 - the exit goes on regardless
                self.emit(LogMessage("error", f"internal error applying the reports "
                                              f"received before {why}: {exc!r}"))

    def start_debugger(self) -> None:
        """Before the watchdog starts: it reads the debugger's clock."""
        self.debugger = make_debugger(self.args, self._debug_warning, self.emit,
                                      lambda: self.interrupt("cancelled"))

    def _debug_warning(self, message: str) -> None:
        self.emit(LogMessage("warning", message, "debugger"))
        self.emit.flush()

    def _submit(self, node_path: str) -> dict[str, Any]:
        answer = self.session.submit_as_job(str(resolve_graph(self.args.graph)), node_path)
        error = answer.pop("error")
        errors = [error_entry(error["message"], "submitAsJob", error["file"], error["line"])
                  ] if error else []
        return empty_summary("failed" if error else "succeeded", self._type_name(),
                             self.args.graph, errors, submitted=answer,
                             callbacks={"submitAsJob": 1})

    def _current_callback(self) -> Optional[tuple]:
        """(callback, item id) the main thread is in, for a stand-in's trace event."""
        if threading.current_thread() is not threading.main_thread() or self.session is None:
            return None
        loop = self.session.loop
        invoker = loop.invoker if loop is not None else getattr(self.session, "_invoker", None)
        current = invoker.current if invoker is not None else None
        return (current[0], current[1]) if current else None

    def _type_name(self) -> str:
        return self.session.stype.name if self.session else ""

    def _close_session(self, summary: Optional[dict[str, Any]]) -> None:
        if self.session is None:
            return
        self.closing = True
        try:
            self.session.close(summary)
        except CancelInterrupt:
            self.emit(LogMessage("error", "onStop was interrupted"))
        finally:
            self.closing = False

    @staticmethod
    def _leaked_threads() -> list[str]:
        """Names of the non-daemon threads still running after a short grace: Python
        waits for them at exit, forever if they never end (see `__main__`)."""
        deadline = time.monotonic() + THREAD_GRACE_S
        for thread in _running_threads():
            thread.join(max(0.0, deadline - time.monotonic()))
        return [thread.name for thread in _running_threads()]

    def _end_processes(self) -> None:
        killed = kill_tree(os.getpid(), include_self=False, grace_s=1.0)
        if killed:
            self.emit(LogMessage("warning", f"ended {len(killed)} process(es) the cook left "
                                            f"running: {', '.join(map(str, killed))}"))


def _error_summary(args: argparse.Namespace, exc: Optional[BaseException], status: str = "error",
                   scheduler: str = ""):
    errors = []
    if exc is not None:
        text = str(exc)
        if not isinstance(exc, (ModuleLoadError, GraphError, SandboxError, ParameterError)):
            text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        errors = [error_entry(getattr(exc, "reason", text), file=getattr(exc, "file", None),
                              line=getattr(exc, "line", None),
                              missing_module=getattr(exc, "missing_module", None))]
    return empty_summary(status, scheduler or args.type_name or "", args.graph, errors)


def _running_threads() -> list[threading.Thread]:
    """Living threads that would keep the interpreter from exiting."""
    return [t for t in threading.enumerate()
            if t is not threading.main_thread() and not t.daemon and t.is_alive()]


def _flush_before_exit(emit: NdjsonEmitter, host: _Host) -> None:
    """``os._exit`` called by the module (any thread) still delivers every event
    produced, and the job reports received (`_Host.before_exit`), and the call board
    says where it was called."""
    real_exit = os._exit
    exiting: list[int] = []

    def exit_now(code: int) -> None:
        if os.getpid() == host_pid:
            if not exiting:  # once, should what runs now call os._exit again
                exiting.append(code)
                host.before_exit(f"os._exit({code})")
            emit.flush()
            if emit.board is not None:
                where = _user_frame()
                at = f" at {where[0]}:{where[1]}" if where else ""
                emit.board.note(f"os._exit({code}) called{at}", where)
        real_exit(code)
    host_pid = os.getpid()
    os._exit = exit_now


def _user_frame() -> Optional[tuple[str, int]]:
    """(file, line) of the innermost frame outside the engine, or None."""
    engine_dir = os.path.dirname(os.path.abspath(__file__))
    for frame in reversed(traceback.extract_stack()[:-2]):
        if not os.path.abspath(frame.filename).startswith(engine_dir):
            return frame.filename, frame.lineno
    return None


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        os.setsid()  # our own process group: the parent can end us and our jobs together
    except OSError:
        pass
    become_subreaper()
    parent = os.environ.pop(PARENT_PID_ENV, "")
    if parent.isdigit():
        die_with_parent(int(parent))  # SIGTERM when the caller ends: cancel, end the jobs
    if args.scratch:
        tempfile.tempdir = args.scratch  # what the host makes in temp goes with the folder
    # No scene here: $HIP (the usual working directory) is this cook's own folder, for
    # cooks and for submitAsJob alike; $HFS is our stand-in install
    made_hip = scene_environment(args.workdir or args.scratch)
    tools = studio_tools_on_path()
    faulthandler.enable()  # a crash in user code prints where it was, on stderr
    board = CallBoard(args.callboard) if args.callboard else None
    emit = NdjsonEmitter(_private_event_stream(), board=board)
    forkguard.install(emit)
    host = _Host(args, emit, tools)
    _flush_before_exit(emit, host)
    host.start_debugger()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1):
        signal.signal(signum, host.on_signal)
    watchdog = threading.Thread(target=host.watchdog, name="cookhost-watchdog", daemon=True)
    watchdog.start()
    try:
        return host.run()
    finally:
        host.done.set()
        # what the host made for itself goes with it (a cook that ended early, too;
        # the summary's notes removed the tools folder already when it got that far)
        for folder in (made_hip, tools.folder):
            if folder:
                shutil.rmtree(folder, ignore_errors=True)


WARM_FLAG = "--warm"


def wait_for_cook() -> Optional[list[str]]:
    """A warm host (the cook host's command with ``--warm``): started ahead of a cook,
    the engine imported, it waits for the cook's arguments, one JSON list of strings on a
    line of stdin, and is then the same host a fresh start with them would be (nothing
    else imported, the same environment, ``sys.argv`` as a fresh host's). None when the
    input closes first (the caller did not need it), or is not such a list."""
    parent = os.environ.get(PARENT_PID_ENV, "")  # main() takes it out of the environment
    if parent.isdigit():
        die_with_parent(int(parent))  # a waiting host goes with its caller, too
    line = bytearray()
    while not line.endswith(b"\n"):  # a byte at a time: the rest of stdin is the cook's
        byte = os.read(0, 1)
        if not byte:
            return None
        line += byte
    try:
        argv = json.loads(line)
    except ValueError:
        return None
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        return None
    sys.argv[1:] = argv
    return argv


if __name__ == "__main__":
    if sys.argv[1:] == [WARM_FLAG]:
        cook_args = wait_for_cook()
        if cook_args is None:
            sys.exit(0)
    code = main()
    if _running_threads():
        # Threads a callback started and never ended would hold the interpreter open at
        # exit, after the summary: the host must still end (it reported them already).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
