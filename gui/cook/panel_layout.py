"""The cook panel's widgets and where they sit: the graph chooser and buttons, the count,
error and stand-in bars, and the dots beside the Item / Callback Trace / Log / Debugger /
Options / Submit As Job tabs. Apart from `CookPanel`, which wires them to its session
(as a Designer form's ``setupUi`` is apart from the widget's behaviour)."""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QPlainTextEdit, QPushButton, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from scheduler_studio.gui.cook.cook_state import CookState
from scheduler_studio.gui.cook.counts_bar import CountsBar
from scheduler_studio.gui.cook.debugger_view import DebuggerView
from scheduler_studio.gui.cook.dots_view import DotsView
from scheduler_studio.gui.cook.error_bar import ErrorBar
from scheduler_studio.gui.cook.graph_chooser import GraphChooser
from scheduler_studio.gui.cook.item_details import ItemDetails
from scheduler_studio.gui.cook.options import CookOptionsWidget
from scheduler_studio.gui.cook.standin_bar import StandInBar
from scheduler_studio.gui.cook.submit_job import SubmitJobWidget
from scheduler_studio.gui.cook.trace_model import TraceModel
from scheduler_studio.gui.cook.trace_view import TraceView

LOG_MAX_LINES = 5000


def build_body(panel, state: CookState, item_name: Callable[[Optional[int]], str]) -> QWidget:
    """The panel's body, laid out; its parts become attributes of `panel` under the names
    the panel's users know (``cook_button``, ``dots``, ``trace``, ``tabs``…)."""
    body = QWidget(panel)
    panel.graph_chooser = GraphChooser(body)
    panel.cook_button = QPushButton("Cook", body)
    panel.cook_static_button = QPushButton("Cook Static", body)
    panel.cancel_button = QPushButton("Cancel", body)
    panel.submit_button = QPushButton("Submit As Job", body)
    panel.cook_button.setToolTip("Cook the graph with the module as it is now (F5)")
    panel.cook_static_button.setToolTip("Cook through onScheduleStatic")
    panel.cancel_button.setToolTip("Ask the cook to stop; kill it if it does not")
    bar = QHBoxLayout()
    bar.addWidget(panel.graph_chooser)
    for button in (panel.cook_button, panel.cook_static_button, panel.cancel_button,
                   panel.submit_button):
        bar.addWidget(button)
    bar.addStretch(1)

    panel.counts = CountsBar(body)
    panel.error_bar = ErrorBar(body)
    panel.standin_bar = StandInBar(body)
    panel.dots = DotsView(state, body)
    panel.details = ItemDetails(body)
    panel.trace_model = TraceModel(item_name, panel)
    panel.trace = TraceView(panel.trace_model, body)
    log = panel.log = QPlainTextEdit(body)
    log.setObjectName("cook_log")
    log.setReadOnly(True)
    log.setMaximumBlockCount(LOG_MAX_LINES)
    log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    panel.options = CookOptionsWidget(body)
    panel.submit = SubmitJobWidget(body)
    panel.debugger = DebuggerView(body)
    panel.debugger.setObjectName("cook_debugger")
    tabs = panel.tabs = QTabWidget(body)
    for widget, title in ((panel.details, "Item"), (panel.trace, "Callback Trace"),
                          (log, "Log"), (panel.debugger, "Debugger"),
                          (panel.options, "Options"), (panel.submit, "Submit As Job")):
        tabs.addTab(widget, title)
    # Side by side: the dots and the views below them both get the panel's height
    # (stacked, a short window's panel left two trace rows and one node row).
    splitter = panel.splitter = QSplitter(Qt.Orientation.Horizontal, body)
    splitter.setObjectName("cook_splitter")
    splitter.addWidget(panel.dots)
    splitter.addWidget(tabs)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 2)
    splitter.setChildrenCollapsible(False)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(6, 4, 6, 6)
    layout.setSpacing(4)
    layout.addLayout(bar)
    for widget in (panel.counts, panel.error_bar, panel.standin_bar):
        layout.addWidget(widget)
    layout.addWidget(splitter, 1)
    return body
