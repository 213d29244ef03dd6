"""The test-cook dock: choose a graph, Cook, and watch the scheduler drive it live.

The panel renders the current module (unsaved edits included) to a scratch file — the
exact text Save To Python writes — and runs it in the cook host through
`CookHostProcess`, so nothing the user's code does can freeze or crash the window.
Events feed a `CookState`; views are refreshed at most every REFRESH_MS from what changed.
"""
from __future__ import annotations

import os
from typing import Callable, Optional

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QHBoxLayout, QPlainTextEdit,
                               QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget)

from engine.cli.hostrun import host_command, host_env
from engine.model.graph import sample_graphs
from gui.cook.cook_state import CookState
from gui.cook.counts_bar import CountsBar
from gui.cook.dots_view import DotsView
from gui.cook.host_process import CookHostProcess
from gui.cook.item_details import ItemDetails
from gui.cook.module_info import declared_parameters
from gui.cook.options import CookOptionsWidget
from gui.cook.scratch import CookScratch
from gui.cook.standin_bar import StandInBar
from gui.cook.submit_job import SubmitJobWidget
from gui.cook.submit_runner import JobSubmitter
from gui.cook.trace_model import TraceModel
from gui.cook.trace_view import TraceView

REFRESH_MS = 50
LOG_MAX_LINES = 5000
OTHER_GRAPH = "Other graph file…"
ModuleProvider = Callable[[], "tuple[str, Optional[list]] | str"]


DEFAULT_GRAPH = "frames"  # the graph a new window offers first

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

    def __init__(self, module_provider: ModuleProvider, parent: Optional[QWidget] = None,
                 title: str = "Test Cook",
                 source_provider: Optional[Callable[[], Optional[os.PathLike]]] = None):
        super().__init__(title, parent)
        self.setObjectName("cook_panel")
        self._provider = module_provider
        self._source_provider = source_provider  # the document's file: its stand-ins, package
        self._cooked_module = ""
        self._scratch = CookScratch()
        self._pending_trace: list = []
        self._pending_log: list[str] = []
        self.state = CookState()
        self.host = CookHostProcess(self)
        self.host.sig_events.connect(self._on_events)
        self.host.sig_output.connect(self._on_output)
        self.host.sig_finished.connect(self._on_host_finished)
        self._submitter = JobSubmitter(self)
        self._submitter.sig_submitted.connect(self._on_submitted)
        self._submitter.sig_failed.connect(self._on_submit_failed)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self._on_refresh)
        self._build()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        self._graph = QComboBox(body)
        self._graph.setObjectName("graph_chooser")
        self._graph.setMinimumContentsLength(14)
        for name, path in sample_graphs().items():
            self._graph.addItem(name, name)
            self._graph.setItemData(self._graph.count() - 1, str(path), Qt.ItemDataRole.ToolTipRole)
        self._graph.addItem(OTHER_GRAPH, "")
        self._graph.setCurrentIndex(max(0, self._graph.findData(DEFAULT_GRAPH)))
        self._graph.activated.connect(self._on_graph_activated)
        self.cook_button = QPushButton("Cook", body)
        self.cook_static_button = QPushButton("Cook Static", body)
        self.cancel_button = QPushButton("Cancel", body)
        self.submit_button = QPushButton("Submit As Job", body)
        self.cook_button.setToolTip("Cook the graph with the module as it is now (F5)")
        self.cook_button.setShortcut("F5")
        self.cook_static_button.setToolTip("Cook through onScheduleStatic")
        self.cancel_button.setToolTip("Ask the cook to stop; kill it if it does not")
        self.cook_button.clicked.connect(self._on_cook_clicked)
        self.cook_static_button.clicked.connect(self._on_cook_static_clicked)
        self.cancel_button.clicked.connect(self.cancel)
        self.submit_button.clicked.connect(self._on_submit_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self._graph)
        for button in (self.cook_button, self.cook_static_button, self.cancel_button,
                       self.submit_button):
            bar.addWidget(button)
        bar.addStretch(1)

        self.counts = CountsBar(body)
        self.standin_bar = StandInBar(body)
        self.standin_bar.sig_record_requested.connect(self._on_record_requested)
        self.standin_bar.sig_written.connect(self._on_standin_written)
        self.dots = DotsView(self.state, body)
        self.dots.sig_item_clicked.connect(self._on_item_clicked)
        self.details = ItemDetails(body)
        self.trace_model = TraceModel(self._item_name, self)
        self.trace = TraceView(self.trace_model, body)
        self.trace.sig_open_location.connect(self.sig_open_location)
        self.trace.sig_unmapped_location.connect(self._on_unmapped_location)
        self.log = QPlainTextEdit(body)
        self.log.setObjectName("cook_log")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(LOG_MAX_LINES)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.options = CookOptionsWidget(body)
        self.submit = SubmitJobWidget(body)
        self.submit.sig_submit_requested.connect(self._on_submit_requested)
        self.tabs = QTabWidget(body)
        self.tabs.addTab(self.details, "Item")
        self.tabs.addTab(self.trace, "Callback Trace")
        self.tabs.addTab(self.log, "Log")
        self.tabs.addTab(self.options, "Options")
        self.tabs.addTab(self.submit, "Submit As Job")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        splitter = QSplitter(Qt.Orientation.Vertical, body)
        splitter.addWidget(self.dots)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.counts)
        layout.addWidget(self.standin_bar)
        layout.addWidget(splitter, 1)
        self.setWidget(body)
        self._sync_buttons()

    # -- public API ------------------------------------------------------------------------
    def graph(self) -> str:
        """The sample graph name or graph file the next cook uses."""
        data = self._graph.currentData()
        return data if data else self._graph.itemText(0)

    def set_graph(self, name_or_path: str) -> None:
        """Choose a sample graph by name, or any graph JSON file by path."""
        index = self._graph.findData(name_or_path)
        if index < 0:
            if not os.path.isfile(name_or_path):
                raise ValueError(f"no sample graph or file named {name_or_path!r}")
            index = self._graph.count() - 1
            self._graph.insertItem(index, os.path.basename(name_or_path), name_or_path)
            self._graph.setItemData(index, name_or_path, Qt.ItemDataRole.ToolTipRole)
        self._graph.setCurrentIndex(index)
        self.submit.set_graph_file(self._graph_file())

    def is_cooking(self) -> bool:
        return self.host.is_running()

    def cook(self, static: bool = False) -> bool:
        """Render the module and start a cook of the chosen graph; False if it could not."""
        if self.host.is_running():
            return False
        module = self._write_module()
        if module is None:
            return False
        options = self.options.values()
        try:
            workdir = options.workdir or self._scratch.new_workdir()
        except OSError as exc:
            self._cannot("make a working folder for the cook", exc)
            return False
        cmd = host_command(module, self.graph(), static=static, workdir=workdir,
                           timeout=options.timeout, tick_period=options.tick_period,
                           max_items=options.max_items, parms=options.parms,
                           source=self._source(), standins=options.standins,
                           stubs=options.stubs, result_server_auth=options.result_server_auth)
        self._cooked_module = module
        self.standin_bar.clear()
        self.state.start(self.graph())
        self.dots.reset()
        self.trace_model.clear()
        self.trace.clear_detail()
        self.details.stop()
        self.details.show_item(None)
        self.log.clear()
        self._pending_trace, self._pending_log = [], []
        self._log_lines([f"cook {self.graph()} ({'static' if static else 'dynamic'}) "
                         f"in {workdir}"])
        if not options.result_server_auth:
            self._log_lines(["[warning] the result server accepts job reports without the "
                             "cook's secret, as Houdini's does (cook option)"])
        self.host.start(cmd, host_env())
        self._sync_buttons()
        self._on_refresh()
        self.sig_cook_started.emit(self.graph())
        return True

    def cancel(self) -> None:
        """Ask the cook to stop (the host cancels and ends its jobs), then kill it."""
        if self.host.is_running():
            self.host.cancel()
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
        """Stop everything now: the window is closing. Leaves no process behind."""
        self._refresh_timer.stop()
        self.host.abort()
        self._submitter.abort()
        self.details.stop()
        self.submit.stop()
        if not self.host.is_running():
            self._scratch.cleanup()

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
            path = self._scratch.write_module(text)
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
        graph = self.graph()
        return str(sample_graphs().get(graph, graph))

    def _item_name(self, item_id: Optional[int]) -> str:
        item = self.state.item(item_id) if item_id is not None else None
        return item.name if item else ("" if item_id is None else str(item_id))

    # -- slots -----------------------------------------------------------------------------
    def _on_cook_clicked(self) -> None:
        self.cook(static=False)

    def _on_cook_static_clicked(self) -> None:
        self.cook(static=True)

    def _on_events(self, events: list) -> None:
        self.state.apply_all(events)
        for event in events:
            if event.type in ("callback", "callback_slow", "standin_call"):
                self._pending_trace.append(event)
            elif event.type == "log":
                self._pending_log.append(f"[{event.level}] {event.source}: {event.message}")
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _on_output(self, lines: list) -> None:
        self._pending_log.extend(lines)
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _on_refresh(self) -> None:
        """Bring the views up to date with what the events changed."""
        self._refresh_timer.stop()
        if self._pending_trace:
            pending, self._pending_trace = self._pending_trace, []
            self.trace_model.add_events(pending)
        if self._pending_log:
            lines, self._pending_log = self._pending_log[-LOG_MAX_LINES:], []
            self._log_lines(lines)
        changes = self.state.take_changes()
        self.dots.refresh(changes)
        self.counts.update_counts(self.state)
        shown = self.details.item_id
        if shown is not None and (shown in changes.details or changes.status):
            self.details.update_item(self.state.running)

    def _on_host_finished(self, outcome: str, code: int) -> None:
        self.state.host_ended(outcome)
        if outcome != "exited":
            self._pending_log.append(f"cook host ended: {outcome} (exit code {code})")
        self._on_refresh()
        self.details.update_item(False)
        self.standin_bar.show_summary(self.state.summary, self._standins_folder())
        self._sync_buttons()
        self.sig_cook_finished.emit(self.state.status)

    def _source(self) -> Optional[str]:
        """The document's own file (None when never saved)."""
        try:
            path = self._source_provider() if self._source_provider else None
        except Exception:  # noqa: BLE001 - no path is a fine answer
            path = None
        return os.fspath(path) if path else None

    def _standins_folder(self) -> str:
        from engine.standins import folder_beside
        source = self._source() or self._cooked_module
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

    def _on_graph_activated(self, index: int) -> None:
        if self._graph.itemData(index):
            self.submit.set_graph_file(self._graph_file())
            return
        path, _ = QFileDialog.getOpenFileName(self, "Graph file", "", "Graph JSON (*.json)")
        if path:
            self.set_graph(path)
        else:
            self._graph.setCurrentIndex(max(0, self._graph.findData(DEFAULT_GRAPH)))

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
        if self._submitter.submit(module, self._graph_file(), node_path):
            self.submit.set_busy(True)

    def _on_submitted(self, status_uri: str, job_id: str) -> None:
        self.submit.set_result(status_uri, job_id)

    def _on_submit_failed(self, message: str) -> None:
        self.submit.set_busy(False)
        self.submit.set_message(message, error=True)

    # -- helpers ---------------------------------------------------------------------------
    def _log_lines(self, lines: list[str]) -> None:
        self.log.appendPlainText("\n".join(lines))

    def _sync_buttons(self) -> None:
        running = self.host.is_running()
        for button in (self.cook_button, self.cook_static_button, self._graph):
            button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
