"""The debugger tab of the cook panel: where the paused cook is, and what it holds.

The stack (innermost first; the engine's frames below the callback folded into one
row), the locals of the selected frame as a tree (``work_item`` and ``self`` expand;
deeper nodes are asked of the host when opened), an expression prompt evaluated in that
frame (its results highlighted by pygments), and the step buttons. The view only says
what the user asked for (`sig_command`); `CookPanel` writes it to the cook host.
"""
from __future__ import annotations

import os
from typing import Callable, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QSplitter, QTextBrowser, QToolButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from scheduler_studio.gui.cook.look import code_html, is_dark

# (command, label, shortcut) of the buttons; the panel owns the shortcuts' actions
STEPS = (("continue", "Continue", "F5"), ("step_over", "Step Over", "F10"),
         ("step_into", "Step Into", "F11"), ("step_out", "Step Out", "Shift+F11"),
         ("run_to", "Run to Cursor", "Ctrl+F10"))
PAUSE = ("pause", "Pause", "F6")  # while the cook runs: stop at the next line of user code
UNPAUSE = "unpause"               # ... and, before it stopped, take that back
IDLE = ("Not paused, no cook runs: set a breakpoint (click the margin or F9) and cook, "
        "or press Pause (F6) while it cooks")
RUNNING = "Running, not paused: Pause (F6) stops at the next line of your code"
_PATH_ROLE = Qt.ItemDataRole.UserRole
_PENDING = "…"


class DebuggerView(QWidget):
    sig_command = Signal(str, dict)
    """A command for the paused cook: (name, arguments) as `scheduler_studio.engine.debug.commands`."""
    sig_frame_selected = Signal(str, int)
    """The selected frame's (file, line): show it in its editor."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._paused = False
        self._cooking = False
        self._pausing = False
        self._frame = 0
        self._stack: list[dict] = []
        self._next_id = 0
        self._expanding: dict[int, QTreeWidgetItem] = {}
        self._locate: Callable[[str, int], Optional[str]] = lambda file, line: None
        self._build()
        self.set_running()

    def _build(self) -> None:
        self.status = QLabel("Not paused", self)
        self.status.setObjectName("debugStatus")
        # wrapped: a long exception must not widen the tabs and squeeze the dots aside
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        for name, label, key in (PAUSE,) + STEPS:
            button = QToolButton(self, text=label)
            button.setObjectName(f"debug_{name}")
            button.setToolTip(f"{label} ({key})")
            button.clicked.connect(lambda _=False, n=name: self.request(n))
            self.buttons[name] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.stack = QListWidget(self)
        self.stack.setObjectName("debugStack")
        self.stack.currentRowChanged.connect(self._on_frame_row)
        self.locals = QTreeWidget(self)
        self.locals.setObjectName("debugLocals")
        self.locals.setHeaderLabels(["Name", "Value", "Type"])
        self.locals.setColumnWidth(0, 160)
        self.locals.setColumnWidth(1, 320)
        self.locals.itemExpanded.connect(self._on_expanded)
        self.output = QTextBrowser(self)
        self.output.setObjectName("debugOutput")
        self.prompt = QLineEdit(self)
        self.prompt.setObjectName("debugPrompt")
        self.prompt.setPlaceholderText("Evaluate in the selected frame, e.g. work_item.name")
        self.prompt.returnPressed.connect(self._on_prompt)
        console = QWidget(self)
        column = QVBoxLayout(console)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.output, 1)
        column.addWidget(self.prompt)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.stack)
        split.addWidget(self.locals)
        split.addWidget(console)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def set_locator(self, locate: Callable[[str, int], Optional[str]]) -> None:
        """`locate(file, line)`: where the editors show that line ("onSchedule line 3"),
        None for a file of its own."""
        self._locate = locate

    # -- what the host said ---------------------------------------------------------------
    def is_paused(self) -> bool:
        return self._paused

    def set_paused(self, event, item_name: str = "") -> None:
        """A `DebugPaused` event: show its stack and the selected frame's locals."""
        self._paused, self._pausing = True, False
        self._stack = list(event.stack)
        where = f" in {event.callback}" if event.callback else ""
        item = f" (work item {item_name})" if item_name else ""
        reason = event.message or ("paused by you" if event.reason == "pause" else event.reason)
        self.status.setText(f"Paused{where}{item}: {reason}")
        self.stack.blockSignals(True)
        self.stack.clear()
        for entry in self._stack:
            where = None if entry.get("folded") else self._locate(entry["file"], entry["line"])
            text = entry["function"] if entry.get("folded") else \
                f"{entry['function']}  —  {where or os.path.basename(entry['file'])}" \
                + ("" if where else f":{entry['line']}")
            row = QListWidgetItem(text, self.stack)
            if entry.get("folded") or not entry.get("user"):
                row.setForeground(self.palette().placeholderText())
            if entry.get("folded"):
                row.setFlags(Qt.ItemFlag.NoItemFlags)
        self._frame = event.frame
        self.stack.setCurrentRow(event.frame)   # its locals came with the event
        self.stack.blockSignals(False)
        self._show_variables(event.variables)
        self._sync_buttons(event.reason == "exception")
        self._show_selected()

    def set_frame(self, event) -> None:
        """A `DebugFrame` event: the locals of the frame the user chose."""
        if event.frame == self._frame:
            self._show_variables(event.variables)

    def show_value(self, event) -> None:
        """A `DebugValue` event: an expression's result, or a node's children."""
        node = self._expanding.pop(event.id, None)
        if node is not None:
            node.takeChildren()
            if event.ok:
                path = node.data(0, _PATH_ROLE)
                for index, child in enumerate(event.children):
                    self._add_node(node, child, path + [index])
            return
        dark = is_dark(self)
        self.output.append(code_html(f">>> {event.expression}", "python", dark))
        self.output.append(code_html(event.text, "python" if event.ok else "traceback", dark))

    def set_running(self) -> None:
        """The cook goes on (or ended): nothing to step. The status says which from
        `set_cooking`, not from whether it was paused: a cook cancelled while paused
        has ended, it does not run."""
        self._paused = False
        self._show_idle()
        self.stack.clear()
        self.locals.clear()
        self._stack = []
        self._expanding.clear()
        self._sync_buttons(False)

    def clear(self) -> None:
        self.set_running()
        self.output.clear()

    # -- what the user asks ---------------------------------------------------------------
    def request(self, name: str, **args) -> None:
        if name == PAUSE[0]:
            self.pause()
        elif self._paused:
            self.sig_command.emit(name, args)

    def set_cooking(self, cooking: bool) -> None:
        """A cook runs (Pause can stop it) or none does."""
        self._cooking = cooking
        self._pausing = self._pausing and cooking
        if not self._paused:
            self._show_idle()
        self._sync_buttons(False)

    def _show_idle(self) -> None:
        """The status when nothing is paused: a cook runs (or is pausing), or none does."""
        if not self._cooking:
            self.status.setText(IDLE)
        elif not self._pausing:
            self.status.setText(RUNNING)

    def pause(self) -> None:
        """Ask the running cook to stop at the next line of user code; asked again
        before it stopped (Don't Pause), take that back: between callbacks the stop
        waits for the next one, which may be long in coming."""
        if not self._cooking or self._paused:
            return
        if self._pausing:
            self._pausing = False
            self.status.setText("Running: the pause was taken back")
            self._sync_buttons(False)
            self.sig_command.emit(UNPAUSE, {})
            return
        self._pausing = True
        self.status.setText("Pausing: the cook stops at the next line of your code (a "
                            "callback blocked in a long call stops when it returns; "
                            "Don't Pause takes it back)")
        self._sync_buttons(False)
        self.sig_command.emit(PAUSE[0], {})

    def evaluate(self, expression: str) -> None:
        if self._paused and expression.strip():
            self.sig_command.emit("eval", {"expression": expression, "frame": self._frame,
                                           "id": self._new_id()})

    def _on_prompt(self) -> None:
        text = self.prompt.text()
        self.prompt.clear()
        self.evaluate(text)

    def _on_frame_row(self, row: int) -> None:
        if not (0 <= row < len(self._stack)) or self._stack[row].get("folded"):
            return
        self._frame = row
        self.sig_command.emit("frame", {"index": row})
        self._show_selected()

    def _show_selected(self) -> None:
        if 0 <= self._frame < len(self._stack):
            entry = self._stack[self._frame]
            if entry.get("file"):
                self.sig_frame_selected.emit(entry["file"], entry["line"])

    def _on_expanded(self, node: QTreeWidgetItem) -> None:
        if node.childCount() == 1 and node.child(0).text(0) == _PENDING and self._paused:
            ident = self._new_id()
            self._expanding[ident] = node
            self.sig_command.emit("expand", {"frame": self._frame,
                                             "path": node.data(0, _PATH_ROLE), "id": ident})

    # -- helpers ---------------------------------------------------------------------------
    def _show_variables(self, variables: list) -> None:
        self.locals.clear()
        self._expanding.clear()
        for index, node in enumerate(variables):
            item = self._add_node(self.locals.invisibleRootItem(), node, [index])
            if node["name"] == "work_item":
                item.setExpanded(True)

    def _add_node(self, parent: QTreeWidgetItem, node: dict, path: list) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [node["name"], node["repr"], node["type"]])
        item.setData(0, _PATH_ROLE, path)
        item.setToolTip(1, node["repr"])
        children = node.get("children")
        if children:
            for index, child in enumerate(children):
                self._add_node(item, child, path + [index])
        elif node.get("expandable"):
            QTreeWidgetItem(item, [_PENDING])
        return item

    def find_variable(self, *names: str) -> Optional[QTreeWidgetItem]:
        """The locals row at `names` (tests and tools)."""
        parent = self.locals.invisibleRootItem()
        found = None
        for name in names:
            found = next((parent.child(i) for i in range(parent.childCount())
                          if parent.child(i).text(0) == name), None)
            if found is None:
                return None
            parent = found
        return found

    def _sync_buttons(self, post_mortem: bool) -> None:
        for name, button in self.buttons.items():
            if name == PAUSE[0]:
                button.setEnabled(self._cooking and not self._paused)
                button.setText("Don't Pause" if self._pausing else PAUSE[1])
                button.setToolTip(("Take the pause back" if self._pausing else PAUSE[1])
                                  + f" ({PAUSE[2]})")
                continue
            button.setEnabled(self._paused and (name == "continue" or not post_mortem))
        self.prompt.setEnabled(self._paused)

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id
