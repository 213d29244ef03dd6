"""The test-cook dock: choose a graph, Cook, and watch the scheduler drive it live.

The panel is a view of a `CookSession` (the window's: it owns the cook host, the spare
host and the submit host, and ends them when the window closes). It hands the session
the current module (unsaved edits included) — the exact text Save To Python writes — and
shows what the session's `CookState` and `CookErrors` became, refreshing its views at
most every REFRESH_MS from what changed.
"""
from __future__ import annotations

import os
from typing import Callable, Optional

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QWidget

from scheduler_studio.engine.standins import folder_beside  # not at a cook's end: ~10 ms
from scheduler_studio.gui.cook import gc_pause, turns
from scheduler_studio.gui.cook.cook_errors import UNDEFINED, WHERE_TO_SET, CookError, place
from scheduler_studio.gui.cook.debug_link import DebugLink
from scheduler_studio.gui.cook.module_info import declared_parameters
from scheduler_studio.gui.cook.panel_layout import LOG_MAX_LINES, build_body
from scheduler_studio.gui.cook.session import DISCARDED, CookSession

REFRESH_MS = 50
TRACE_PER_TURN = 300   # trace rows added in one turn (~2 ms) before the other views
ModuleProvider = Callable[[], "tuple[str, Optional[list]] | str"]


DOTS_SHARE = 0.34  # of the panel's width: the dots beside the item / trace / log views

class CookPanel(QDockWidget):
    """Graph chooser, Cook / Cook Static / Cancel / Submit As Job, dots, details, trace."""

    sig_open_location = Signal(str, int)
    """Open the callback editor: (field as in the line map, e.g. "callback:onSchedule",
    1-based line in that field's editor)."""
    sig_cook_started = Signal(str)
    """A cook of this graph started."""
    sig_cook_finished = Signal(str)
    """The cook ended and every event was shown: its status ("succeeded", "failed",
    "cancelled", "timeout", "error", "crashed")."""
    sig_errors_changed = Signal(list)
    """The cook's errors (list of `CookError`) changed; [] when a cook starts or the
    results are cleared."""
    sig_cook_context_changed = Signal()
    """What the next cook would be given changed (`cook_context`): the window's live
    checks weigh it."""
    sig_missing_module = Signal(str)
    """The module could not be loaded because it imports this module, which the test
    cook lacks. The hook for stand-in actions: connect here and add buttons to
    `error_bar` (`ErrorBar.add_action`)."""

    def __init__(self, module_provider: ModuleProvider, parent: Optional[QWidget] = None,
                 title: str = "Test Cook",
                 source_provider: Optional[Callable[[], Optional[os.PathLike]]] = None,
                 session: Optional[CookSession] = None,
                 class_provider: Optional[Callable[[], Optional[str]]] = None):
        """`session`: the cook session to show (the window's); without one the panel
        makes its own, and `shutdown` closes it. `class_provider`: the scheduler class
        to cook when the module holds several (None: the type it registers first)."""
        super().__init__(title, parent)
        self.setObjectName("cook_panel")
        self._provider = module_provider
        self._source_provider = source_provider  # the document's file: its stand-ins, package
        self._class_provider = class_provider
        self._owns_session = session is None
        self.session = session = session if session is not None else CookSession(self)
        self.state = session.state
        self.errors = session.errors
        self._pending_trace: list = []
        self._pending_log: list[str] = []
        self._errors_shown = -1
        self._split_done = False
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_due)
        self._refresh_turn = QTimer(self, singleShot=True, interval=1)  # its next turn
        self._refresh_turn.timeout.connect(self._on_refresh_due)
        self._build()
        session.sig_started.connect(self._on_started)
        session.sig_events.connect(self._on_events)
        session.sig_output.connect(self._on_output)
        session.sig_finished.connect(self._on_finished)
        session.sig_submitted.connect(self._on_submitted)
        session.sig_submit_failed.connect(self._on_submit_failed)
        session.sig_closed.connect(self._stop_views)

    @property
    def host(self):
        """The session's `CookHostProcess`."""
        return self.session.host

    # -- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        self.setWidget(build_body(self, self.state, self.session.item_name))
        self._graph = self.graph_chooser
        self._graph.sig_graph_changed.connect(self.submit_graph_changed)
        self._graph.sig_graph_changed.connect(self._on_graph_changed)
        self.cook_button.clicked.connect(self._on_cook_clicked)
        self.cook_static_button.clicked.connect(self._on_cook_static_clicked)
        self.cancel_button.clicked.connect(self.cancel)
        self.submit_button.clicked.connect(self._on_submit_clicked)
        self.error_bar.sig_go_to_error.connect(self.open_error)
        self.options.sig_given_changed.connect(self.sig_cook_context_changed)
        self.standin_bar.sig_record_requested.connect(self._on_record_requested)
        self.standin_bar.sig_written.connect(self._on_standin_written)
        self.dots.sig_item_clicked.connect(self._on_item_clicked)
        self.details.sig_error_activated.connect(self._on_item_error_activated)
        self.details.set_locator(self._place_item_error)
        self.trace.sig_open_location.connect(self.sig_open_location)
        self.trace.sig_unmapped_location.connect(self._on_unmapped_location)
        self.submit.sig_submit_requested.connect(self._on_submit_requested)
        self.debug = DebugLink(self, self.session.host, self.debugger)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.splitter.splitterMoved.connect(lambda *_: setattr(self, "_split_done", True))
        self._sync_buttons()
        self._on_graph_changed(self._graph_file())

    def _on_graph_changed(self, graph_file: str) -> None:
        """The bar's item count before a cook is the new graph's."""
        self.counts.set_graph_file(graph_file)
        self.counts.update_counts(self.state)

    # -- public API ------------------------------------------------------------------------
    def graph(self) -> str:
        """The sample graph name or graph file the next cook uses."""
        return self._graph.graph()

    def set_graph(self, name_or_path: str) -> None:
        """Choose a sample graph by name, or any graph JSON file by path."""
        self._graph.set_graph(name_or_path)

    def submit_graph_changed(self, graph_file: str) -> None:
        self.submit.set_graph_file(graph_file)

    def is_cooking(self) -> bool:
        return self.session.is_running()

    def cook(self, static: bool = False) -> bool:
        """Render the module and start a cook of the chosen graph; False if it could not."""
        session = self.session
        if session.is_running() or session.is_closed():
            return False
        module = self._write_module()
        if module is None:
            return False
        options = self.options.values()
        try:
            workdir = session.workdir(options.workdir)
        except OSError as exc:
            self._cannot("make a working folder for the cook", exc)
            return False
        debug_args = self.debug.host_arguments(module, session.line_map, options.post_mortem)
        if not session.start(module, self.graph(), options, static=static, workdir=workdir,
                             source=self._source(), extra_args=debug_args,
                             class_name=self._class_provider() if self._class_provider
                             else None):
            return False
        self._on_refresh()
        return True

    def cook_context(self) -> dict:
        """What a cook would be given, as the live checks take it (`LintWorker.
        set_cook_context`): the document's file, stand-in folders, stubs, parameter names."""
        options = self.options.values()
        return {"path": self._source() or "", "standins": list(options.standins),
                "stubs": list(options.stubs), "parms": sorted(options.parms)}

    def clear_results(self) -> None:
        """Forget the last cook (a new or another file is shown): a running cook is
        cancelled, and the dots, trace, log, item, errors and debugger are emptied."""
        if self.session.is_running():
            self.session.discard()  # what the cancelled cook still says is not shown
            self._show_cancelling()
        self.session.reset()
        self._clear_views()
        self.debugger.clear()   # the other file's stack, locals and evaluate output
        self.counts.update_counts(self.state)
        self.dots.refresh(self.state.take_changes())

    def open_error(self, error: CookError) -> None:
        """Open the editor at the line of `error` (or say why there is none)."""
        if error.field:
            self.sig_open_location.emit(error.field, error.field_line)
        elif error.line:
            self._on_unmapped_location(error.file, error.line)

    def cancel(self) -> None:
        """Ask the cook to stop (the host cancels and ends its jobs), then kill it."""
        if self.session.is_running():
            self.session.cancel()
            self._show_cancelling()

    def _show_cancelling(self) -> None:
        self.counts.update_counts(self.state, note="Cancelling…")
        self.cancel_button.setEnabled(False)

    def refresh_parameters(self) -> None:
        """Re-read the spare parameters the module declares."""
        text, _ = self._module()
        if text is not None:
            self.options.set_parameters(declared_parameters(text))

    def document_changed(self, *_args) -> None:
        """The document was edited: re-read its parameters now if the Options tab shows,
        else when it is next shown or cooked (an edit costs no render here)."""
        if self.tabs.currentWidget() is self.options and self.isVisible():
            self.refresh_parameters()

    def log_text(self) -> str:
        return self.log.toPlainText()

    def shutdown(self) -> None:
        """The panel is going away: its views stop, and the session with them when the
        panel made it (the window's session is the window's to close)."""
        self._stop_views()
        if self._owns_session:
            self.session.close()

    def _stop_views(self) -> None:
        """Stop the views' timers and followers (the session closed, or the panel)."""
        self._refresh_timer.stop()
        self._refresh_turn.stop()
        self.dots.stop()
        gc_pause.release(self)
        self.details.stop()
        self.submit.stop()

    # -- cooking ---------------------------------------------------------------------------
    def _module(self) -> tuple[Optional[str], Optional[list]]:
        try:
            provided = self._provider()
        except Exception as exc:  # the document may be mid-edit: say so, do not crash
            self._log_lines([f"could not get the module text: {exc}"])
            return None, None
        if isinstance(provided, str):
            return provided, None
        text, line_map = provided
        return text, line_map

    def _write_module(self) -> Optional[str]:
        text, line_map = self._module()
        if text is None:
            self.counts.update_counts(self.state, note="No module to cook")
            return None
        self.options.set_parameters(declared_parameters(text))
        try:
            path = self.session.write_module(text, line_map)
        except OSError as exc:  # a full or read-only temp folder: say so, cook nothing
            self._cannot("write the module for the cook", exc)
            return None
        self.trace.set_module(path, line_map)
        return path

    def _cannot(self, what: str, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        self.counts.update_counts(self.state, note=f"Could not {what}: {reason}")
        self._log_lines([f"could not {what}: {exc}"])

    def _graph_file(self) -> str:
        return self._graph.graph_file()

    # -- slots -----------------------------------------------------------------------------
    def _on_cook_clicked(self) -> None:
        self.cook(static=False)

    def _on_cook_static_clicked(self) -> None:
        self.cook(static=True)

    def _on_started(self, graph: str) -> None:
        """The session starts a cook: its state was reset, so are the views."""
        self.standin_bar.clear()
        self._clear_views()
        self._sync_buttons(running=True)
        self.sig_cook_started.emit(graph)

    def _on_events(self, events: list) -> None:
        """A batch the session applied to the state: the trace, log and debugger's part."""
        for event in events:
            if event.type in ("callback", "callback_slow", "standin_call"):
                self._pending_trace.append(event)
            elif event.type == "log":
                self._pending_log.append(f"[{event.level}] {event.source}: {event.message}")
            elif event.type.startswith("debug_"):
                self.debug.on_event(event)
            elif event.type == "cook_finished":
                self._pending_log.extend(f"[error] {e.summary()} ({e.where() or 'no line'})"
                                         for e in self.errors.load_errors())
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _on_output(self, lines: list) -> None:
        self._pending_log.extend(lines)
        if len(self._pending_log) > 2 * LOG_MAX_LINES:   # a flood between two refreshes:
            del self._pending_log[:-LOG_MAX_LINES]         # the log shows only its tail
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _on_refresh_due(self) -> None:
        """The refresh timer: turns of its own, not on top of a drain (`turns`); a big
        cook's new trace rows go in first, TRACE_PER_TURN a turn, then the other views."""
        self._refresh_turn.stop()          # one refresh at a time, whichever timer called
        if not turns.refresh_waits():
            if len(self._pending_trace) <= TRACE_PER_TURN:
                self._on_refresh()
                turns.refreshed()
                return
            self.trace_model.add_events(self._pending_trace[:TRACE_PER_TURN])
            del self._pending_trace[:TRACE_PER_TURN]
            turns.refreshed()
        self._refresh_turn.start()         # a timer, not a posted call: due ones go first

    def _on_refresh(self) -> None:
        """Bring the views up to date with what the events changed."""
        self._refresh_timer.stop()
        if self.session.is_running():
            gc_pause.hold(self)  # what the cook made so far: no full GC rescans it
        if self._pending_trace:
            pending, self._pending_trace = self._pending_trace, []
            self.trace_model.add_events(pending)
        if self._pending_log:
            lines, self._pending_log = self._pending_log[-LOG_MAX_LINES:], []
            self._log_lines(lines)
        changes = self.state.take_changes()
        self.dots.refresh(changes)
        self.counts.update_counts(self.state)
        self._show_errors()
        shown = self.details.item_id
        if shown is not None and (shown in changes.details or changes.status):
            self.details.update_item(self.state.running)

    def _on_finished(self, status: str, outcome: str, code: int) -> None:
        gc_pause.release(self)
        self.debug.cook_ended()
        if outcome == DISCARDED:
            self._sync_buttons()
            self.sig_cook_finished.emit(status)
            return
        if outcome != "exited":
            self._pending_log.append(f"cook host ended: {outcome} (exit code {code})")
        self._on_refresh()
        end = self.session.host_end
        if end is not None:   # no summary: the call it was in, and what ended it
            self.trace_model.add_host_end(end.callback, end.item, self.session.host_end_text)
            self._log_lines([f"[error] {e.summary()} ({e.where() or 'no line'})"
                             for e in self.errors.errors()[-1:]])
        self.details.update_item(False)
        self.standin_bar.show_summary(self.state.summary, self._standins_folder())
        self._sync_buttons()
        self.sig_cook_finished.emit(status)

    def _source(self) -> Optional[str]:
        """The document's own file (None when never saved)."""
        try:
            path = self._source_provider() if self._source_provider else None
        except Exception:  # noqa: BLE001 - no path is a fine answer
            path = None
        return os.fspath(path) if path else None

    def _standins_folder(self) -> str:
        source = self._source() or self.session.module_path
        return folder_beside(source) if source else ""

    def _on_record_requested(self, module: str) -> None:
        self.options.add_stub(module)
        self._log_lines([f"recording stand-in for {module}: cooking again"])
        self.cook()

    def _on_standin_written(self, module: str, folder: str) -> None:
        self._log_lines([f"wrote a stand-in for {module} in {folder}: fill it in; cooking "
                         "again"])
        self.cook()

    def _on_item_clicked(self, item_id: int) -> None:
        self.details.show_item(self.state.item(item_id), self.state.workdir)
        self.tabs.setCurrentWidget(self.details)

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.options:
            self.refresh_parameters()
        elif self.tabs.widget(index) is self.submit:
            self.submit.set_graph_file(self._graph_file())

    def _on_unmapped_location(self, path: str, line: int) -> None:
        self.counts.update_counts(self.state, note=f"Line {line} of the cooked module has no "
                                                   "editor (the module was not rendered "
                                                   "from a document)")

    def _on_submit_clicked(self) -> None:
        self.tabs.setCurrentWidget(self.submit)
        self._on_submit_requested(self.submit.node_path)

    def _on_submit_requested(self, node_path: str) -> None:
        module = self._write_module()
        if module is None:
            return
        self.submit.set_graph_file(self._graph_file())
        class_name = self._class_provider() if self._class_provider else None
        if self.session.submit(module, self._graph_file(), node_path, class_name):
            self.submit.set_busy(True)

    def _on_submitted(self, status_uri: str, job_id: str) -> None:
        self.submit.set_result(status_uri, job_id)

    def _on_submit_failed(self, message: str) -> None:
        self.submit.set_busy(False)
        self.submit.set_message(message, error=True)

    def _place_item_error(self, callback: str, error: dict) -> CookError:
        found = CookError(callback, str(error.get("message") or ""), str(error.get("file") or ""),
                          error.get("line"), error=error)
        return place(found, self.errors.module_path, self.session.line_map)

    def _on_item_error_activated(self, callback: str, error: dict) -> None:
        self.open_error(self._place_item_error(callback, error))

    # -- helpers ---------------------------------------------------------------------------
    def _clear_views(self) -> None:
        self.dots.reset()
        self.trace_model.clear()
        self.trace.clear_detail()
        self.details.stop()
        self.details.show_item(None)
        self.log.clear()
        self._pending_trace, self._pending_log = [], []
        self.standin_bar.clear()
        self._show_errors()

    def _show_errors(self) -> None:
        """The error line and `sig_errors_changed`, when the errors changed."""
        if self.errors.version == self._errors_shown:
            return
        self._errors_shown = self.errors.version
        shown = self.errors.headline()
        self.error_bar.show_error(shown, self.errors.others())
        if shown is not None and shown.kind == UNDEFINED:
            self.error_bar.add_action("Set them in Options", self.show_more_parameters,
                                      f"Open {WHERE_TO_SET} to give them values")
        self.sig_errors_changed.emit(self.errors.listed())
        if shown is not None and shown.callback is None and shown.missing_module:
            self.sig_missing_module.emit(shown.missing_module)

    def show_more_parameters(self) -> None:
        """The Options tab, at the field that gives parameters the module lacks values."""
        self.tabs.setCurrentWidget(self.options)
        self.options.focus_more_parameters()

    def resizeEvent(self, event) -> None:
        """The dots keep their share of the width until the user moves the split."""
        super().resizeEvent(event)
        width = self.splitter.width()
        if not self._split_done and width > 0:
            self.splitter.setSizes([round(width * DOTS_SHARE), round(width * (1 - DOTS_SHARE))])

    def _log_lines(self, lines: list[str]) -> None:
        self.log.appendPlainText("\n".join(lines))

    def _sync_buttons(self, running: Optional[bool] = None) -> None:
        running = self.session.is_running() if running is None else running
        for button in (self.cook_button, self.cook_static_button, self._graph):
            button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
