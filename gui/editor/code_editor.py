"""The one editor class: Scintilla + Lexilla's Python lexer with the studio's habits.

The window shows one of these per scheduler callback, so construction does
only cheap Scintilla calls; the find bar and the completion glue are built
the first time they are used. Margins, indicators, indentation and themes are
small helper modules; this class wires them to Scintilla's signals and keys.
"""
from __future__ import annotations

import keyword
from collections.abc import Callable, Iterable
from typing import Any

from lexilla import Language, create_lexer
from lexilla.pyside6_scintilla import set_lexer
from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QMenu, QScrollArea, QStackedWidget, QTabWidget, QToolTip,
                               QWidget)
from pyside6_scintilla import Scintilla, ScintillaEdit

from scheduler_studio.gui.editor import autoindent, margins, shortcuts
from scheduler_studio.gui.editor.breakpoints import BreakpointMarks
from scheduler_studio.gui.editor.indicators import ProblemMarks, setup_indicators
from scheduler_studio.gui.editor.themes import DEFAULT_THEME, Theme, apply_theme

KEYWORDS = " ".join(sorted(set(keyword.kwlist) | set(keyword.softkwlist) - {"_"}))
KEYWORDS2 = "self cls"
_BRACES = frozenset(b"()[]{}")
_OPERATOR_STYLE = 10  # SCE_P_OPERATOR: braces inside strings/comments are not braces
_DWELL_MS = 400
_U = Scintilla.Update
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CodeEditor(ScintillaEdit):
    """A Python body editor (line numbers, folding, lint marks, find, completion)."""

    sig_text_changed = Signal()
    """The text changed: typing, undo/redo, replace or ``set_text``."""

    sig_modified_changed = Signal(bool)
    """True when the text leaves its save point, False when it returns to it."""

    sig_cursor_moved = Signal(int, int)
    """The caret moved: 1-based line, 0-based column (for a status bar)."""

    sig_definition_elsewhere = Signal(int, int)
    """Go to definition found the name in another part of the module: its 1-based line
    and 0-based column in the module the completion context gave (the host shows it)."""

    _ACTIONS = {
        "editor/find": "_on_find",
        "editor/replace": "_on_replace",
        "editor/find_next": "_on_find_next",
        "editor/find_previous": "_on_find_previous",
        "editor/complete": "request_completion",
        "editor/go_to_definition": "go_to_definition",
        "editor/zoom_in": "zoomIn",
        "editor/zoom_out": "zoomOut",
        "editor/zoom_reset": "zoom_reset",
        "editor/toggle_breakpoint": "_on_toggle_breakpoint",
        "editor/edit_breakpoint": "_on_edit_breakpoint",
    }

    def __init__(self, parent=None, *, theme: Theme | str | None = None) -> None:
        super().__init__(parent)
        self._theme: Theme | None = None
        self._marks = ProblemMarks(self)
        self._find_bar = None
        self._scrollbar_spacer = None
        self._completer = None
        self._braces_lit = False
        self._caret_said = (0, 0)  # (line, column) sig_cursor_moved gave last
        self._setup_scintilla()
        self.breakpoints = BreakpointMarks(self)
        apply_theme(self, theme or DEFAULT_THEME)
        self.notifyChange.connect(self._on_text_changed)
        self.savePointChanged.connect(self._on_save_point_changed)
        self.linesAdded.connect(self._on_lines_added)
        self.updateUi.connect(self._on_update_ui)
        self.charAdded.connect(self._on_char_added)
        self.dwellStart.connect(self._on_dwell_start)
        self.dwellEnd.connect(self._on_dwell_end)
        self.zoom.connect(self._on_zoom)  # the signal: the zoom() getter is shadowed

    def set_indent_unit(self, unit: str) -> None:
        """Indent as the open file does: with tabs, or with its own width of spaces."""
        tabs = unit == "\t"
        self.setUseTabs(tabs)
        width = autoindent.INDENT_WIDTH if tabs else max(1, len(unit))
        self.setIndent(width)

    def _setup_scintilla(self) -> None:
        set_lexer(self, create_lexer(Language.PYTHON))
        self.setKeyWords(0, KEYWORDS)
        self.setKeyWords(1, KEYWORDS2)
        for key, value in (("fold", "1"), ("fold.quotes.python", "1"),
                           ("lexer.python.keywords2.no.sub.identifiers", "1")):
            self.setProperty(key, value)
        self.setCodePage(Scintilla.CpUtf8)
        self.setEOLMode(Scintilla.EndOfLine.Lf)
        self.setUseTabs(False)
        self.setTabWidth(autoindent.INDENT_WIDTH)
        self.setIndent(autoindent.INDENT_WIDTH)
        self.setTabIndents(True)
        self.setBackSpaceUnIndents(True)
        self.setIndentationGuides(Scintilla.IndentView.LookBoth)
        self.setCaretLineVisibleAlways(False)
        self.setCaretWidth(2)
        self.setScrollWidth(1)  # grow with the longest line seen, never jump back
        self.setScrollWidthTracking(True)
        self.setMouseDwellTime(_DWELL_MS)
        # Only text edits notify: marker and indicator changes (lint marks) must
        # not look like typing to sig_text_changed and the completer.
        self.setModEventMask(Scintilla.ModificationFlags.InsertText
                             | Scintilla.ModificationFlags.DeleteText)
        self.autoCSetIgnoreCase(True)
        self.autoCSetCaseInsensitiveBehaviour(Scintilla.CaseInsensitiveBehaviour.RespectCase)
        self.autoCSetOrder(Scintilla.Ordering.Custom)  # keep jedi's ranking
        self.autoCSetMaxHeight(10)
        margins.setup_margins(self)
        setup_indicators(self)

    # -- text and save point ---------------------------------------------------
    def text(self) -> str:
        """The whole text as a Python string."""
        return bytes(self.getText(self.textLength() + 1)).decode("utf-8")

    def set_text(self, text: str) -> None:
        """Load ``text`` (line ends become LF) as a fresh, unmodified, non-undoable state.

        Problems shown for the old text are cleared.
        """
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        read_only = self.readOnly()
        self.setReadOnly(False)
        self._marks.clear()
        self.setText(text)
        self.setReadOnly(read_only)
        self.emptyUndoBuffer()
        self.setSavePoint()
        self.gotoPos(0)
        self._report_caret()

    def is_modified(self) -> bool:
        """True when the text differs from its save point."""
        return self.modify()

    def set_save_point(self) -> None:
        """Mark the current text as saved (``sig_modified_changed(False)`` follows)."""
        self.setSavePoint()

    def set_read_only(self, read_only: bool) -> None:
        """Forbid (or allow again) edits by the user and by completion."""
        self.setReadOnly(read_only)

    def is_read_only(self) -> bool:
        return self.readOnly()

    def theme(self) -> Theme | None:
        """The theme last applied with ``apply_theme``."""
        return self._theme

    # -- navigation ------------------------------------------------------------
    def go_to_line(self, line: int, column: int = 0) -> None:
        """Put the caret at 1-based ``line``, 0-based ``column``; scroll it into view and focus.

        Also brings the editor itself into view when it sits in a scroll area
        or a tab of the host window.
        """
        line0 = min(max(line - 1, 0), self.lineCount() - 1)
        self.ensureVisible(line0)  # unfold
        pos = self.findColumn(line0, max(column, 0))
        self.setEmptySelection(pos)
        self.chooseCaretX()
        shown = self.visibleFromDocLine(line0)
        first, count = self.firstVisibleLine(), max(self.linesOnScreen(), 1)
        if not first <= shown < first + count:
            self.setFirstVisibleLine(max(0, shown - count // 2))
        self.scrollCaret()
        self._report_caret()
        self._reveal_in_window()
        QWidget.setFocus(self, Qt.FocusReason.OtherFocusReason)  # ScintillaEdit.setFocus is SCI_SETFOCUS

    def _reveal_in_window(self) -> None:
        child, parent = self, self.parentWidget()
        while parent is not None:
            if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
                parent.parentWidget().setCurrentWidget(child)
            elif isinstance(parent, QStackedWidget):
                parent.setCurrentWidget(child)
            if isinstance(parent.parentWidget(), QScrollArea):
                parent.parentWidget().ensureWidgetVisible(self, 0, 40)
            child, parent = parent, parent.parentWidget()

    # -- problems --------------------------------------------------------------
    def set_problems(self, problems: Iterable[Any]) -> None:
        """Show lint problems (``.line`` 1-based, ``.column``, ``.severity``, ``.message``)."""
        self._marks.set(problems)

    def problems(self) -> list[Any]:
        """The problems currently shown."""
        return self._marks.problems()

    def tooltip_text_at(self, x: int, y: int) -> str:
        """The problem tooltip for viewport point (x, y): margin marker or squiggle."""
        if x < margins.text_area_left(self) - self.marginLeft():
            line = self.lineFromPosition(self.positionFromPoint(x, y))
            return "\n".join(self._marks.messages_on_line(line))
        pos = self.positionFromPointClose(x, y)
        return "\n".join(self._marks.messages_at(pos)) if pos >= 0 else ""

    def _on_dwell_start(self, x: int, y: int) -> None:
        text = self.tooltip_text_at(x, y)
        if text:
            QToolTip.showText(self.viewport().mapToGlobal(QPoint(x, y)), text, self.viewport())

    def _on_dwell_end(self, x: int, y: int) -> None:
        QToolTip.hideText()

    # -- zoom ------------------------------------------------------------------
    def zoom_level(self) -> int:
        """Zoom in points added to every font (0 = the theme's size)."""
        return self.send(Scintilla.Message.GetZoom)

    def zoom_reset(self) -> None:
        self.setZoom(0)

    def _on_zoom(self, _level: int = 0) -> None:
        margins.update_line_number_width(self)

    # -- breakpoints -----------------------------------------------------------
    def caret_line(self) -> int:
        """1-based line of the caret."""
        return self.lineFromPosition(self.currentPos()) + 1

    def _on_toggle_breakpoint(self) -> None:
        self.breakpoints.toggle(self.caret_line())

    def _on_edit_breakpoint(self) -> None:
        self.breakpoints.edit(self.caret_line())

    # -- find bar --------------------------------------------------------------
    def find_bar(self):
        """The find/replace bar, created on first use."""
        if self._find_bar is None:
            from scheduler_studio.gui.editor.find_bar import FindBar  # built lazily: most editors never search

            self._find_bar = FindBar(self)
            self._find_bar.sig_visibility_changed.connect(self._layout_find_bar)
        return self._find_bar

    def show_find_bar(self, replace: bool = False) -> None:
        """Open the find bar (with the replace row when ``replace``), seeded from the selection."""
        self.find_bar().open(replace=replace)

    def _on_find(self) -> None:
        self.show_find_bar(replace=False)

    def _on_replace(self) -> None:
        self.show_find_bar(replace=not self.readOnly())

    def _on_find_next(self) -> None:
        self.find_bar().find_next()

    def _on_find_previous(self) -> None:
        self.find_bar().find_previous()

    def _layout_find_bar(self) -> None:
        """Reserve room below the text for the bar (the viewport shrinks, nothing overlaps).

        Qt lays scroll bars over the whole height whatever the viewport
        margins, so a spacer added under the vertical bar shortens it.
        """
        bar = self._find_bar
        height = bar.sizeHint().height() if bar is not None and bar.isVisibleTo(self) else 0
        if self._scrollbar_spacer is None and height:
            self._scrollbar_spacer = QWidget(self)
            self.addScrollBarWidget(self._scrollbar_spacer, Qt.AlignmentFlag.AlignBottom)
        if self._scrollbar_spacer is not None:
            self._scrollbar_spacer.setFixedHeight(height)
            self._scrollbar_spacer.setVisible(bool(height))
        self.setViewportMargins(0, 0, 0, height)
        if height:
            rect = self.contentsRect()
            bar.setGeometry(rect.left(), rect.bottom() + 1 - height, rect.width(), height)
            bar.raise_()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._find_bar is not None:
            self._layout_find_bar()

    # -- completion ------------------------------------------------------------
    def set_completion_provider(self, provider,
                                context: Callable[[], tuple] | None = None,
                                definition_context: Callable[[], tuple] | None = None) -> None:
        """Complete with ``provider`` (a CompletionProvider, shared by many editors).

        ``context()`` returns ``(module_source, line_offset)`` or
        ``(module_source, line_offset, column_offset)``: the full module that
        contains this editor's *current* text, the number of module lines above
        its first line, and its indent there (inferred when omitted). Without
        a context the editor's text is the whole module. ``definition_context``, of
        the same form, is what Go to Definition asks (``context`` when omitted): the
        module whose lines ``sig_definition_elsewhere`` gives.
        """
        from scheduler_studio.gui.editor.completer import EditorCompleter

        if self._completer is not None:
            self._completer.detach()
        self._completer = EditorCompleter(self, provider, context, definition_context) \
            if provider else None

    def request_completion(self) -> None:
        """Ask for completions at the caret now (Ctrl+Space)."""
        if self._completer is not None:
            self._completer.request_completions(manual=True)

    def request_call_tip(self) -> None:
        """Ask for the call tip of the call around the caret now."""
        if self._completer is not None:
            self._completer.request_call_tip()

    def go_to_definition(self) -> None:
        """Go to where the name at the caret is defined (F12, Ctrl+click, context menu).

        In this editor: the caret goes there. Elsewhere in the module:
        ``sig_definition_elsewhere``. In pdg/hou: a tip shows its signature and doc.
        """
        if self._completer is not None:
            self.autoCCancel()
            self._completer.request_definition()

    def context_menu(self) -> QMenu:
        """The editor's right-click menu (built anew each time; the caller owns it)."""
        menu = QMenu(self)
        go = menu.addAction("Go to &Definition", self.go_to_definition)
        go.setShortcut(QKeySequence("F12"))
        go.setEnabled(self._completer is not None)
        menu.addSeparator()
        writable = not self.readOnly()
        has_selection = not self.selectionEmpty()
        for text, method, key, enabled in (
                ("&Undo", "undo", QKeySequence.StandardKey.Undo, writable and self.canUndo()),
                ("&Redo", "redo", QKeySequence.StandardKey.Redo, writable and self.canRedo()),
                (None, None, None, None),
                ("Cu&t", "cut", QKeySequence.StandardKey.Cut, writable and has_selection),
                ("&Copy", "copy", QKeySequence.StandardKey.Copy, has_selection),
                ("&Paste", "paste", QKeySequence.StandardKey.Paste, writable and self.canPaste()),
                (None, None, None, None),
                ("Select &All", "selectAll", QKeySequence.StandardKey.SelectAll, True)):
            if text is None:
                menu.addSeparator()
                continue
            action = menu.addAction(text, getattr(self, method))
            action.setShortcut(QKeySequence(key))
            action.setEnabled(bool(enabled))
        return menu

    def contextMenuEvent(self, event) -> None:
        if event.reason() == event.Reason.Mouse:  # the menu acts at the clicked word
            pos = self.positionFromPointClose(event.pos().x(), event.pos().y())
            if pos >= 0 and self.selectionEmpty():
                self.gotoPos(pos)
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()
        event.accept()

    def call_tip_text(self) -> str:
        """The call tip on show ("" when none): Scintilla has no getter for it."""
        return self._completer.call_tip_text() if self._completer is not None else ""

    # -- keys ------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        """Claim our keys before window shortcuts (Ctrl+Z, Ctrl+F…) can take them."""
        if event.type() == QEvent.Type.ShortcutOverride and shortcuts.is_editing_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        try:
            self._key_press(event)
        finally:
            self._report_caret()

    def _key_press(self, event) -> None:
        command = shortcuts.editing_command(event)
        if command is not None:
            self.autoCCancel()
            getattr(self, command)()
            event.accept()
            return
        if self.autoCActive():  # the list owns Enter/Tab/Esc/arrows
            super().keyPressEvent(event)
            return
        action = shortcuts.action_for(event)
        if action is not None:
            getattr(self, self._ACTIONS[action])()
            event.accept()
            return
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        if key in _ENTER_KEYS and plain and not self.readOnly():
            self.callTipCancel()
            autoindent.newline_and_indent(self)
            event.accept()
            return
        if key == Qt.Key.Key_Backtab and not self.readOnly():
            autoindent.dedent_lines(self)
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self._find_bar is not None and self._find_bar.isVisible():
            if not self.callTipActive():
                self._find_bar.close_bar()
                event.accept()
                return
        super().keyPressEvent(event)

    # -- Scintilla notifications ------------------------------------------------
    def _on_text_changed(self) -> None:
        self.sig_text_changed.emit()

    def _on_save_point_changed(self, dirty: bool) -> None:
        # The binding's docstring says True = save point reached; the widget
        # really sends True when the text *leaves* it (checked in the tests).
        self.sig_modified_changed.emit(dirty)

    def _on_lines_added(self, _count: int) -> None:
        margins.update_line_number_width(self)

    def _on_char_added(self, ch: int) -> None:
        if ch == ord(":"):
            autoindent.dedent_block_continuation(self)
        if self._completer is not None:
            self._completer.on_char_added(ch)

    def _on_update_ui(self, updated: int) -> None:
        if updated & (_U.Content | _U.Selection):
            self._match_braces()
        self._report_caret()

    def _report_caret(self) -> None:
        """Emit ``sig_cursor_moved`` if the caret is not where it was last said to be.

        Scintilla's updateUi comes when the widget paints, one or more keys late;
        so every key, click, undo and text change also asks here.
        """
        pos = self.currentPos()
        where = (self.lineFromPosition(pos) + 1, self.column(pos))
        if where != self._caret_said:
            self._caret_said = where
            self.sig_cursor_moved.emit(*where)

    def undo(self) -> None:
        super().undo()
        self._report_caret()

    def redo(self) -> None:
        super().redo()
        self._report_caret()

    def mousePressEvent(self, event) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.button() == Qt.MouseButton.LeftButton and self._completer is not None:
            point = event.position().toPoint()
            pos = self.positionFromPointClose(point.x(), point.y())
            if pos >= 0:  # Ctrl+click on a name: go to its definition
                self.setEmptySelection(pos)
                self._report_caret()
                self.go_to_definition()
                event.accept()
                return
        super().mousePressEvent(event)
        self._report_caret()

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        self._report_caret()

    def _match_braces(self) -> None:
        """Light the brace next to the caret and its partner, or mark it unmatched."""
        pos = self.currentPos()
        brace = next((p for p in (pos - 1, pos)
                      if p >= 0 and self.charAt(p) in _BRACES
                      and self.styleAt(p) == _OPERATOR_STYLE), -1)
        if brace < 0:
            if self._braces_lit:
                self.braceHighlight(Scintilla.InvalidPosition, Scintilla.InvalidPosition)
                self._braces_lit = False
            return
        match = self.braceMatch(brace, 0)
        if match < 0:
            self.braceBadLight(brace)
        else:
            self.braceHighlight(brace, match)
        self._braces_lit = True
