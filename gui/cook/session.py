"""The test cook's resources, apart from any widget: the cook host, the spare host that
waits behind it, the Submit As Job runner and the scratch folder the module is written to.

Whoever makes a `CookSession` closes it (`close`: the window, when it closes): every
process it started ends then, whatever the views showing it do. The session runs a cook
from text to end — writes the module, starts the host, applies the events to its
`CookState` and `CookErrors` — and says what happened through signals, so it works
without a widget; the cook panel is a view of it.
"""
from __future__ import annotations

import time
from typing import Callable, Optional

from PySide6.QtCore import QCoreApplication, QObject, Signal

from scheduler_studio.engine.cook.summary import INTERRUPTED
from scheduler_studio.engine.hostclient import host_command, host_env
from scheduler_studio.gui.cook import host_end, reclaim
from scheduler_studio.gui.cook.cook_errors import CookErrors
from scheduler_studio.gui.cook.cook_state import CookState
from scheduler_studio.gui.cook.host_process import CookHostProcess
from scheduler_studio.gui.cook.options import CookRunOptions
from scheduler_studio.gui.cook.scratch import CookScratch
from scheduler_studio.gui.cook.submit_runner import JobSubmitter

CLOSE_BOUND_S = 0.5
"""`close` ends the session's processes within about this much of the caller's time."""
DISCARDED = "discarded"
"""`sig_finished`'s outcome for a cook ended by `discard`: none of its events was shown."""


class CookSession(QObject):
    """One cook at a time (and one Submit As Job), and what they leave: state and errors."""

    sig_started = Signal(str)
    """A cook of this graph is starting: `state` and `errors` were reset for it (the host
    process is started right after)."""
    sig_events = Signal(list)
    """A batch of the cook's events, already applied to `state` and `errors`."""
    sig_output = Signal(list)
    """Text lines for the cook's log: what the host printed, and the session's own notes."""
    sig_finished = Signal(str, str, int)
    """The host is gone and every event was delivered: (the cook's status, the host's
    outcome — `DISCARDED` after `discard` —, its exit code)."""
    sig_submitted = Signal(str, str)
    """Submit As Job: submitAsJob returned (status URI, job id)."""
    sig_submit_failed = Signal(str)
    """Submit As Job could not run or raised: a message for the user."""
    sig_closed = Signal()
    """`close` ran: nothing of the session runs any more."""

    def __init__(self, parent: Optional[QObject] = None):
        super().__init__(parent)
        self.state = CookState(discard=reclaim.later)   # the last cook freed a slice a turn
        self.errors = CookErrors()
        self.scratch = CookScratch()
        self.module_path = ""            # the module file of the last cook
        self.line_map: Optional[list] = None   # of the module written last
        self._discarding = False
        self._closed = False
        self.host_end: Optional[host_end.HostEnd] = None
        """The call the last cook's host was in when it ended without a summary."""
        self.host_end_text = ""          # ... and what its trace row says
        self._board = ""                 # the running cook's call board
        self._paused = None              # the running cook's pause (debug_paused), if any
        self.cancelled_paused_at = ""    # "onStart line 2": the last cook was cancelled
                                         # while paused there (the user's own stop)
        self.host = CookHostProcess(self)
        self.host.sig_events.connect(self.apply_events)
        self.host.sig_output.connect(self._on_output)
        self.host.sig_finished.connect(self._on_host_finished)
        self.submitter = JobSubmitter(self)
        self.submitter.sig_submitted.connect(self.sig_submitted)
        self.submitter.sig_failed.connect(self.sig_submit_failed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    # -- state -----------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self.host.is_running()

    def is_closed(self) -> bool:
        return self._closed

    def item_name(self, item_id: Optional[int]) -> str:
        item = self.state.item(item_id) if item_id is not None else None
        return item.name if item else ("" if item_id is None else str(item_id))

    def keep_warm(self, env: Optional[Callable[[], dict]] = host_env) -> None:
        """Keep a host waiting for the next cook (None: no spare, the waiting one ends)."""
        if not self._closed:
            self.host.keep_warm(env)

    # -- a cook ----------------------------------------------------------------------------
    def write_module(self, text: str, line_map: Optional[list] = None) -> str:
        """Write the module for the next cook or submit; its path. OSError: not written."""
        path = self.scratch.write_module(text)
        self.line_map = line_map
        return path

    def workdir(self, chosen: str = "") -> str:
        """`chosen`, else a fresh folder of the scratch space. OSError: none could be made."""
        return chosen or self.scratch.new_workdir()

    def start(self, module: str, graph: str, options: Optional[CookRunOptions] = None, *,
              static: bool = False, workdir: str = "", source: Optional[str] = None,
              extra_args: Optional[list] = None, class_name: Optional[str] = None) -> bool:
        """Cook `graph` with the module file `module` (`write_module`'s), as its scheduler
        class `class_name` (None: the type it registers first); False when a cook
        runs already or the session is closed. OSError: no working folder could be made."""
        if self._closed or self.host.is_running():
            return False
        options = options or CookRunOptions()
        workdir = workdir or self.workdir(options.workdir)
        cmd = host_command(module, graph, static=static, workdir=workdir,
                           timeout=options.timeout, tick_period=options.tick_period,
                           max_items=options.max_items, parms=options.parms,
                           source=source, standins=options.standins,
                           stubs=options.stubs, result_server_auth=options.result_server_auth,
                           class_name=class_name,
                           scratch=self.scratch.root,   # the host's temp files go with ours
                           callboard=self._new_board())
        cmd += list(extra_args or [])
        self.module_path = module
        self._paused, self.cancelled_paused_at = None, ""
        self.state.start(graph)
        self.errors.clear()
        self.errors.set_module(module, self.line_map)
        self.sig_started.emit(graph)
        notes = [f"cook {graph} ({'static' if static else 'dynamic'}) in {workdir}"]
        if not options.result_server_auth:
            notes.append("[warning] the result server accepts job reports without the "
                         "cook's secret, as Houdini's does (cook option)")
        self.sig_output.emit(notes)
        self.host.start(cmd, host_env(), keep_stdin=True)
        return True

    def _new_board(self) -> str:
        """The call board of the next cook (`host_end`), empty."""
        self.host_end, self.host_end_text = None, ""
        self._board = host_end.board_path(self.scratch.root)
        host_end.clear_board(self._board)
        return self._board

    def cancel(self) -> None:
        """Ask the cook to stop (the host cancels and ends its jobs), then kill it.

        Cancelled while paused in the debugger (not at a post-mortem stop, where the
        callback did raise): the user stopped the cook there, so the callback that was
        held is not said to have been "still running"; the log says where it was."""
        if self.host.is_running() and self._paused is not None and \
                self._paused.reason != "exception" and not self.cancelled_paused_at:
            self.cancelled_paused_at = self._pause_place(self._paused)
        self.host.cancel()

    def _pause_place(self, event) -> str:
        """"onStart line 2" (the paused line as its editor numbers it), else the
        callback's name."""
        from scheduler_studio.engine.debug.breakpoints import field_line

        frame = next((f for f in event.stack if f.get("user")), None)
        if frame and self.line_map and frame.get("file") == self.module_path:
            where = field_line(self.line_map, frame.get("line") or 0)
            if where is not None:
                return f"{where[0].split(':', 1)[-1]} line {where[1]}"
        if frame and frame.get("line"):
            return f"{event.callback or frame.get('function') or 'the module'} " \
                   f"(line {frame['line']} of the cooked module)"
        return event.callback or "a callback"

    def discard(self) -> None:
        """Cancel the cook and show none of what it still says (another file is shown)."""
        if self.host.is_running():
            self._discarding = True
            self.host.cancel()

    def reset(self) -> None:
        """Forget the last cook's state and errors."""
        self.state.reset()
        self.errors.clear()

    def apply_events(self, events: list) -> None:
        """Events as the host sends them (the host's slot; a recorded cook replays here)."""
        if self._discarding:
            return
        self.state.apply_all(events)
        for event in events:
            if event.type == "callback" and event.error:
                self.errors.add_callback_error(event.name, event.error,
                                               self.item_name(event.item))
            elif event.type == "cook_finished":
                self.errors.add_summary(self._without_the_users_stop(event.summary))
            elif event.type == "debug_paused":
                self._paused = event
            elif event.type == "debug_resumed":
                self._paused = None
        self.sig_events.emit(events)

    def _without_the_users_stop(self, summary: dict) -> dict:
        """`summary` less the interruptions a cancel while paused made (`cancel`)."""
        if not self.cancelled_paused_at or not isinstance(summary, dict):
            return summary
        errors = [e for e in summary.get("errors") or []
                  if not (isinstance(e, dict) and e.get("type") == INTERRUPTED)]
        return {**summary, "errors": errors}

    # -- Submit As Job -----------------------------------------------------------------------
    def submit(self, module: str, graph_file: str, node_path: str,
               class_name: Optional[str] = None) -> bool:
        """Run submitAsJob of the module file `module` (its class `class_name`); the
        answer comes as a signal."""
        return not self._closed and self.submitter.submit(module, graph_file, node_path,
                                                          class_name)

    def is_submitting(self) -> bool:
        return self.submitter.is_running()

    # -- the end ----------------------------------------------------------------------------
    def close(self) -> None:
        """End everything now: the cook and the jobs it detached, the spare host, the
        submit host (`CookHostProcess.abort`), within about CLOSE_BOUND_S (0.5 s) of
        the GUI thread, what the app's quit may take; and the scratch folder (removed
        on a thread the interpreter waits for at exit). It works with no event loop
        left, as at quit (`aboutToQuit`). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        deadline = time.monotonic() + CLOSE_BOUND_S
        self.host.abort(CLOSE_BOUND_S)
        self.submitter.abort(max(0.0, deadline - time.monotonic()))
        self.scratch.cleanup(background=True)
        self.sig_closed.emit()

    def _on_output(self, lines: list) -> None:
        if not self._discarding:
            self.sig_output.emit(lines)

    def _on_host_finished(self, outcome: str, code: int) -> None:
        if self._discarding:
            self._discarding = False
            self.sig_finished.emit("cancelled", DISCARDED, code)
            return
        self.state.host_ended(outcome)
        if self.cancelled_paused_at and outcome in ("exited", "cancelled", "killed"):
            self.sig_output.emit([f"[info] cancelled while paused at "
                                  f"{self.cancelled_paused_at}"])
        elif self.state.summary is None and outcome != "failed_to_start":
            self._explain_host_end(outcome, code)
        self._paused = None
        self.sig_finished.emit(self.state.status, outcome, code)

    def _explain_host_end(self, outcome: str, code: int) -> None:
        """No summary came: the error says which call the host was in and what ended it
        (its call board), as the CLI's summary does; else only how it ended."""
        end = host_end.read_board(self._board) if self._board else None
        if end is None:
            if outcome in ("cancelled", "killed"):
                return    # the user's cancel, before or between callbacks: nothing to say
            self.errors.add_host_end(None, f"{host_end.how_it_ended(outcome, code)}, "
                                           "without a summary")
            return
        self.host_end = end
        self.host_end_text = host_end.trace_text(end, outcome, code)
        self.errors.add_host_end(end.callback, host_end.message(end, outcome, code),
                                 end.file, end.line, self.item_name(end.item))
