"""Breakpoints in an editor's margin, and the line a paused cook stopped at.

A click in the marker margin or F9 toggles a breakpoint on the line; Shift+click or
Shift+F9 opens a small dialog for its condition and hit count. Breakpoints are Scintilla
markers, so they move with the text as it is edited; their condition and hit count are
kept by marker handle. `sig_changed` fires after every change the user makes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox,
                               QWidget)
from pyside6_scintilla import Scintilla

from scheduler_studio.gui.editor.margins import MARGIN_PROBLEMS

MARKER_BREAKPOINT = 2
MARKER_CONDITIONAL = 3
MARKER_PAUSED = 4          # the arrow in the margin
MARKER_PAUSED_LINE = 5     # the line's background
BREAKPOINT_MARKER_MASK = (1 << MARKER_BREAKPOINT) | (1 << MARKER_CONDITIONAL) \
    | (1 << MARKER_PAUSED)
_RED, _ORANGE, _YELLOW, _PAUSED_BACK = 0x3030E0, 0x1C8CF0, 0x30D0F0, 0x304838  # BGR


@dataclass(frozen=True)
class EditorBreakpoint:
    line: int                 # 1-based, in this editor
    condition: str = ""
    hit_count: int = 0

    def to_dict(self) -> dict:
        return {"line": self.line, "condition": self.condition, "hit_count": self.hit_count}


class BreakpointMarks(QObject):
    sig_changed = Signal()
    """The user set, removed or edited a breakpoint."""

    def __init__(self, editor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._extra: dict[int, tuple[str, int]] = {}   # marker handle -> (condition, hits)
        self._define()
        editor.setMarginSensitiveN(MARGIN_PROBLEMS, True)
        editor.setMarginMaskN(MARGIN_PROBLEMS, editor.marginMaskN(MARGIN_PROBLEMS)
                              | BREAKPOINT_MARKER_MASK)
        editor.marginClicked.connect(self._on_margin_clicked)

    def _define(self) -> None:
        editor = self._editor
        for number, colour in ((MARKER_BREAKPOINT, _RED), (MARKER_CONDITIONAL, _ORANGE)):
            editor.markerDefine(number, Scintilla.MarkerSymbol.Circle)
            editor.markerSetFore(number, colour)
            editor.markerSetBack(number, colour)
        editor.markerDefine(MARKER_PAUSED, Scintilla.MarkerSymbol.ShortArrow)
        editor.markerSetFore(MARKER_PAUSED, 0x000000)
        editor.markerSetBack(MARKER_PAUSED, _YELLOW)
        editor.markerDefine(MARKER_PAUSED_LINE, Scintilla.MarkerSymbol.Background)
        editor.markerSetBack(MARKER_PAUSED_LINE, _PAUSED_BACK)

    # -- breakpoints ------------------------------------------------------------------------
    def breakpoints(self) -> list[EditorBreakpoint]:
        editor, out = self._editor, []
        mask = (1 << MARKER_BREAKPOINT) | (1 << MARKER_CONDITIONAL)
        line = editor.markerNext(0, mask)
        while line >= 0:
            handle = self._handle(line)
            condition, hits = self._extra.get(handle, ("", 0))
            out.append(EditorBreakpoint(line + 1, condition, hits))
            line = editor.markerNext(line + 1, mask)
        return out

    def set_breakpoints(self, breakpoints: list[EditorBreakpoint]) -> None:
        """Show these breakpoints (lines past the end are dropped); no `sig_changed`."""
        editor = self._editor
        editor.markerDeleteAll(MARKER_BREAKPOINT)
        editor.markerDeleteAll(MARKER_CONDITIONAL)
        self._extra.clear()
        for bp in breakpoints:
            if 1 <= bp.line <= editor.lineCount():
                self._add(bp.line - 1, bp.condition, bp.hit_count)

    def toggle(self, line: int) -> None:
        """Set or remove the breakpoint on 1-based `line`."""
        if self.has(line):
            self._remove(line - 1)
        else:
            self._add(line - 1, "", 0)
        self.sig_changed.emit()

    def has(self, line: int) -> bool:
        mask = (1 << MARKER_BREAKPOINT) | (1 << MARKER_CONDITIONAL)
        return bool(self._editor.markerGet(line - 1) & mask)

    def edit(self, line: int, parent: Optional[QWidget] = None) -> bool:
        """Ask for the condition and hit count of the breakpoint on `line` (made if need
        be); False when the dialog was cancelled."""
        current = next((b for b in self.breakpoints() if b.line == line), None)
        dialog = BreakpointDialog(parent or self._editor, line, current)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.update(line, dialog.condition(), dialog.hit_count())
        return True

    def update(self, line: int, condition: str, hit_count: int) -> None:
        """Set the breakpoint on `line` with this condition and hit count."""
        if self.has(line):
            self._remove(line - 1)
        self._add(line - 1, condition.strip(), max(0, hit_count))
        self.sig_changed.emit()

    def _add(self, line0: int, condition: str, hits: int) -> None:
        number = MARKER_CONDITIONAL if condition or hits > 1 else MARKER_BREAKPOINT
        handle = self._editor.markerAdd(line0, number)
        if condition or hits:
            self._extra[handle] = (condition, hits)

    def _remove(self, line0: int) -> None:
        handle = self._handle(line0)
        self._extra.pop(handle, None)
        self._editor.markerDelete(line0, MARKER_BREAKPOINT)
        self._editor.markerDelete(line0, MARKER_CONDITIONAL)

    def _handle(self, line0: int) -> int:
        editor = self._editor
        for which in range(8):
            handle = editor.markerHandleFromLine(line0, which)
            if handle < 0:
                return -1
            if editor.markerNumberFromLine(line0, which) in (MARKER_BREAKPOINT,
                                                             MARKER_CONDITIONAL):
                return handle
        return -1

    # -- the paused line --------------------------------------------------------------------
    def show_paused(self, line: Optional[int]) -> None:
        """Mark 1-based `line` as where the cook is paused (None: nowhere)."""
        editor = self._editor
        editor.markerDeleteAll(MARKER_PAUSED)
        editor.markerDeleteAll(MARKER_PAUSED_LINE)
        if line is not None and 1 <= line <= editor.lineCount():
            editor.markerAdd(line - 1, MARKER_PAUSED)
            editor.markerAdd(line - 1, MARKER_PAUSED_LINE)

    def paused_line(self) -> Optional[int]:
        line = self._editor.markerNext(0, 1 << MARKER_PAUSED)
        return line + 1 if line >= 0 else None

    def _on_margin_clicked(self, position: int, modifiers: int, margin: int) -> None:
        if margin != MARGIN_PROBLEMS:
            return
        line = self._editor.lineFromPosition(position) + 1
        if modifiers & Scintilla.KeyMod.Shift:
            self.edit(line)
        else:
            self.toggle(line)


class BreakpointDialog(QDialog):
    """The condition (a Python expression) and hit count of one breakpoint."""

    def __init__(self, parent: QWidget, line: int, current: Optional[EditorBreakpoint]):
        super().__init__(parent)
        self.setWindowTitle(f"Breakpoint on line {line}")
        self._condition = QLineEdit(current.condition if current else "", self)
        self._condition.setObjectName("breakpointCondition")
        self._condition.setPlaceholderText("e.g. work_item.index == 7 (empty: always)")
        self._hits = QSpinBox(self)
        self._hits.setObjectName("breakpointHits")
        self._hits.setRange(0, 1_000_000)
        self._hits.setValue(current.hit_count if current else 0)
        self._hits.setSpecialValueText("every time")
        self._hits.setToolTip("Stop from the Nth time the line is reached on")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Stop when", self._condition)
        form.addRow("From hit", self._hits)
        form.addRow(buttons)
        self._condition.setFocus(Qt.FocusReason.OtherFocusReason)

    def _accept(self) -> None:
        text = self._condition.text().strip()
        if text:
            try:
                compile(text, "<condition>", "eval")
            except SyntaxError as exc:
                self._condition.setToolTip(f"Not an expression: {exc.msg}")
                self._condition.setStyleSheet("border: 1px solid #e03030;")
                return
        self.accept()

    def condition(self) -> str:
        return self._condition.text().strip()

    def hit_count(self) -> int:
        return self._hits.value()
