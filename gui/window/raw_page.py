"""The whole-module page: a module that does not read as a scheduler, fixed in place.

Shown instead of the header and the callback tabs when the file has a
syntax error, is Python 2, or has no scheduler class: one editor with the
file's exact text (its line ends kept), the error marked at its line and
said in a bar above. Every edit goes to the DocumentModel (Save writes the
text as edited, in the file's encoding) and, a short while after the last
key, the text is read again: once it parses, the bar offers the callback
view, which opens the edited text field by field (the user chooses when:
the window does not rearrange itself under their typing).
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from pyside6_scintilla import Scintilla

from scheduler_studio.gui.editor import CodeEditor
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.problem_map import FieldProblem
from scheduler_studio.gui.window.raw_text import error_text, try_parse

CHECK_DELAY_MS = 300  # quiet time after a key before the text is read again


def parse_problem(error) -> FieldProblem:
    code = "python2" if "Python 2" in error.message else "syntax-error"
    return FieldProblem(fields.SOURCE, max(1, int(error.line)), 0, "error", error.message,
                        code, error.line, inline=True)


class RawModulePage(QWidget):
    """One editor on the whole module, with a bar saying why it is shown whole."""

    sig_problems = Signal(list)
    """The whole module's problems now (list[FieldProblem]: its parse error, or none)."""

    sig_show_callbacks = Signal(object)
    """The user asked for the callback view of the SchedulerDocument the text now is."""

    def __init__(self, model, theme, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("rawModulePage")
        self._model = model
        self._document = None  # what the text reads as, once it parses
        self.message = QLabel(self)
        self.message.setObjectName("rawModuleMessage")
        self.message.setWordWrap(True)
        self.go_to_error = QPushButton("Go to Error", self)
        self.go_to_error.clicked.connect(self.show_error)
        self.show_callbacks = QPushButton("Show Callback View", self)
        self.show_callbacks.setToolTip("Open the module field by field (once it reads as a "
                                       "scheduler); your edits come along, saved or not")
        self.show_callbacks.clicked.connect(self._on_show_callbacks)
        bar = QHBoxLayout()
        bar.setContentsMargins(10, 6, 10, 6)
        bar.addWidget(self.message, 1)
        bar.addWidget(self.go_to_error)
        bar.addWidget(self.show_callbacks)
        self.editor = CodeEditor(self, theme=theme)
        self.editor.setObjectName("editor:" + fields.SOURCE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.editor, 1)
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self.editor.sig_text_changed.connect(self._on_edited)
        model.sig_raw_text_replaced.connect(self._on_replaced)
        self._error = None
        self._loading = False
        self.load()

    def load(self) -> None:
        """Show the model's whole-module text, exactly (line ends as the file has them)."""
        raw = self._model.raw()
        editor = self.editor
        self._loading = True
        editor.set_text("")  # clears marks, undo and the save point
        editor.setText(self._model.raw_text())  # not set_text: it would make ends LF
        ends = Scintilla.EndOfLine
        editor.setEOLMode({"\r\n": ends.CrLf, "\r": ends.Cr}.get(raw.newline, ends.Lf))
        editor.set_indent_unit("\t" if "\n\t" in raw.text else "    ")
        editor.emptyUndoBuffer()
        editor.setSavePoint()
        editor.gotoPos(0)
        self._loading = False
        self._error = raw.error
        self._document = None
        self._show_verdict()

    def text(self) -> str:
        return self.editor.text()

    def error(self):
        """The parse error of the text now (None once it reads as a scheduler)."""
        return self._error

    def problems(self) -> list:
        """The whole module's problems now (its parse error, or none)."""
        return [] if self._error is None else [parse_problem(self._error)]

    def document(self):
        """The SchedulerDocument the text reads as now, or None."""
        return self._document

    def stop(self) -> None:
        """The window is closing: no check after this."""
        self._timer.stop()

    def is_checking(self) -> bool:
        return self._timer.isActive()

    def show_error(self) -> None:
        if self._error is not None:
            self.editor.go_to_line(max(1, int(self._error.line)))

    def check_now(self) -> None:
        """Read the text again: the error it has now, or the document it makes."""
        self._timer.stop()
        raw = self._model.raw()
        if raw is None:
            return
        self._document, self._error = try_parse(raw, self.editor.text())
        self._show_verdict()

    def _on_replaced(self) -> None:
        """Show the text the model rewrote as one undoable edit of the part that
        changed (the cookie line), caret and the rest of the history kept."""
        new, old = self._model.raw_text(), self.editor.text()
        if new == old:
            return
        start = 0
        limit = min(len(new), len(old))
        while start < limit and new[start] == old[start]:
            start += 1
        end = 0
        while end < limit - start and new[-1 - end] == old[-1 - end]:
            end += 1
        editor = self.editor
        editor.beginUndoAction()
        try:  # Scintilla counts UTF-8 bytes
            editor.setTargetRange(len(old[:start].encode("utf-8")),
                                  len(old[:len(old) - end].encode("utf-8")))
            editor.replaceTarget(-1, new[start:len(new) - end])
        finally:
            editor.endUndoAction()

    def _on_edited(self) -> None:
        if self._loading:
            return
        self._model.set_raw_text(self.editor.text())
        self._timer.start()

    def _show_verdict(self) -> None:
        error = self._error
        problems = self.problems()
        self.editor.set_problems(problems)
        if error is not None:
            self.message.setText(f"<b>This module does not read as a scheduler</b> — "
                                 f"{_html(error_text(error))}. It is shown whole so you can "
                                 "fix it here; Save writes exactly this text.")
            self.message.setProperty("state", "error")
        else:
            name = self._document.class_name if self._document is not None else ""
            self.message.setText(f"<b>The module reads as a scheduler now</b> ({_html(name)})."
                                 " Show Callback View to edit it callback by callback.")
            self.message.setProperty("state", "ok")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.go_to_error.setEnabled(error is not None)
        self.show_callbacks.setEnabled(self._document is not None)
        self.sig_problems.emit(problems)

    def _on_show_callbacks(self) -> None:
        self.check_now()
        if self._document is not None:
            self.sig_show_callbacks.emit(self._document)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
