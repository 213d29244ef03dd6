"""The cook panel's debugger glue: breakpoints out, pauses in, commands back.

At each cook the editors' breakpoints (field, line in that editor) are mapped through
the module's line map to lines of the scratch module the host runs; while the cook
runs, changed breakpoints are sent as they change. A pause fills the `DebuggerView`,
brings its tab forward and names the line to highlight (`sig_paused_at`, in editor
terms). The step keys (F5 Continue, F10, F11, Shift+F11, Ctrl+F10) and F6 Pause are
window-wide actions of the panel; F5 cooks when nothing is paused.
"""
from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from scheduler_studio.engine.debug.breakpoints import Breakpoint, field_line, module_line
from scheduler_studio.engine.debug.commands import CommandError, command_line
from scheduler_studio.engine.debug.host import host_arguments
from scheduler_studio.gui.cook.debugger_view import PAUSE, STEPS, DebuggerView

PAUSED_HOW = {"breakpoint": "Paused at a breakpoint", "breakpoint()": "Paused at breakpoint()",
              "pause": "Paused (you pressed Pause)", "step": "Paused after a step",
              "exception": "Paused where an exception was raised"}
"""The panel's status while the cook is paused, by the pause's reason."""
# () -> [(field, EditorBreakpoint)]: the breakpoints the editors hold now
BreakpointsProvider = Callable[[], list]
CursorProvider = Callable[[], Optional[tuple[str, int]]]


class DebugLink(QObject):
    sig_paused_at = Signal(str, int)
    """Highlight this line of this field's editor (field "" : the cook is not paused)."""

    def __init__(self, panel, host, view: DebuggerView):
        super().__init__(panel)
        self._panel, self._host, self.view = panel, host, view
        self._breakpoints: Optional[BreakpointsProvider] = None
        self._cursor: Optional[CursorProvider] = None
        self._module = ""
        self._line_map: Optional[list] = None
        view.sig_command.connect(self.send)
        view.sig_frame_selected.connect(self._on_frame_selected)
        view.set_locator(self._locate)
        self.actions: dict[str, QAction] = {}
        for name, label, key in (PAUSE,) + STEPS:
            action = QAction(label, panel)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, n=name: self.step(n))
            panel.addAction(action)
            self.actions[name] = action

    def set_providers(self, breakpoints: Optional[BreakpointsProvider],
                      cursor: Optional[CursorProvider] = None) -> None:
        self._breakpoints, self._cursor = breakpoints, cursor

    # -- a cook starts ----------------------------------------------------------------------
    def host_arguments(self, module: str, line_map: Optional[list],
                       post_mortem: bool = True) -> list[str]:
        """The cook host's debugging words: the window's debugger, post-mortem (the
        cook option, on by default), and the editors' breakpoints in `module`'s lines."""
        self._module, self._line_map = module, line_map
        self.view.clear()
        self.view.set_cooking(True)
        return host_arguments("wire", self.module_breakpoints(), post_mortem=post_mortem)

    def module_breakpoints(self) -> list[Breakpoint]:
        if self._breakpoints is None or not self._line_map or not self._module:
            return []
        out = []
        for field, bp in self._breakpoints():
            line = module_line(self._line_map, field, bp.line)
            if line is not None:
                out.append(Breakpoint(self._module, line, bp.condition, bp.hit_count))
        return out

    def breakpoints_changed(self) -> None:
        """The user changed a breakpoint: a running cook takes the new set at once."""
        if self._host.is_running() and self._module:
            self.send("breakpoints", {"breakpoints": [b.to_dict() for b in
                                                      self.module_breakpoints()]})

    # -- events --------------------------------------------------------------------------------
    def on_event(self, event) -> None:
        if event.type == "debug_paused":
            item = self._panel.state.item(event.item) if event.item is not None else None
            self.view.set_paused(event, item.name if item else "")
            self._panel.tabs.setCurrentWidget(self.view)
            self._panel.counts.set_paused(self._paused_text(event, item.name if item else ""))
        elif event.type == "debug_frame":
            self.view.set_frame(event)
        elif event.type == "debug_value":
            self.view.show_value(event)
        elif event.type == "debug_resumed":
            self.view.set_running()
            self._panel.counts.set_paused("")
            self.sig_paused_at.emit("", 0)

    def _paused_text(self, event, item_name: str) -> str:
        """The panel's status while paused: "Paused at a breakpoint: onSchedule line 3
        (render_1)"."""
        how = PAUSED_HOW.get(event.reason, f"Paused ({event.reason})")
        frame = next((f for f in event.stack if f.get("user")), None)
        where = self._locate(frame["file"], frame["line"]) if frame else None
        where = where or event.callback
        item = f" ({item_name})" if item_name else ""
        return f"{how}: {where}{item}" if where else how

    def cook_ended(self) -> None:
        self._panel.counts.set_paused("")
        self.view.set_cooking(False)
        if self.view.is_paused() or self._module:
            self.view.set_running()
            self.sig_paused_at.emit("", 0)
        self._module = ""

    # -- commands ------------------------------------------------------------------------------
    def step(self, name: str) -> None:
        """A step key or button: F5 cooks when the cook is not paused."""
        if name == PAUSE[0]:
            self.view.pause()
            return
        if not self.view.is_paused():
            if name == "continue" and not self._host.is_running():
                self._panel.cook()
            return
        if name == "run_to":
            target = self._run_to_target()
            if target is None:
                self._panel.counts.update_counts(self._panel.state, note="Run to Cursor: put "
                                                 "the caret on a line of a callback first")
                return
            self.send("run_to", {"file": self._module, "line": target})
            return
        self.send(name, {})

    def send(self, name: str, args: dict) -> None:
        try:
            line = command_line(name, **args)
        except CommandError as exc:  # a bug of ours: say so rather than send it
            self._panel._log_lines([f"debugger: not sent: {exc}"])
            return
        self._host.write_command(line)

    def _run_to_target(self) -> Optional[int]:
        where = self._cursor() if self._cursor else None
        if where is None or not self._line_map:
            return None
        return module_line(self._line_map, *where)

    def _locate(self, file: str, line: int) -> Optional[str]:
        """"onSchedule line 3": a line of the cooked module as its editor numbers it."""
        if file != self._module or not self._line_map:
            return None
        where = field_line(self._line_map, line)
        if where is None:
            return None
        field, field_line_number = where
        return f"{field.split(':', 1)[-1]} line {field_line_number}"

    def _on_frame_selected(self, file: str, line: int) -> None:
        if file != self._module or not self._line_map:
            return
        where = field_line(self._line_map, line)
        if where is not None:
            self.sig_paused_at.emit(*where)
