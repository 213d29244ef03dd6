"""Find/replace bar docked under one CodeEditor.

Enter finds the next match, Shift+Enter the previous, Esc closes; matches are
highlighted with an indicator and counted ("3 of 12"). Searching uses
Python's ``re`` through ``scheduler_studio.gui.editor.search``.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QStyle,
                               QToolButton, QVBoxLayout, QWidget)

from scheduler_studio.gui.editor.indicators import INDIC_FIND, INDIC_FIND_CURRENT
from scheduler_studio.gui.editor.search import Match, SearchOptions, compile_pattern, find_matches

_MAX_HIGHLIGHTS = 2_000
_REFRESH_MS = 60
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FindBar(QWidget):
    """Find and replace in one editor; the editor shows it with Ctrl+F / Ctrl+H."""

    sig_visibility_changed = Signal(bool)
    """The bar was opened (True) or closed (False); the editor re-lays out."""

    def __init__(self, editor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._matches: list[Match] | None = None  # None = must search again
        self._error = ""
        self._anchor = 0
        self._refresh = QTimer(self, singleShot=True, interval=_REFRESH_MS)
        self._refresh.timeout.connect(self._on_refresh)
        self.setAutoFillBackground(True)
        self.hide()
        self._build()
        editor.sig_text_changed.connect(self._on_editor_text_changed)

    def _build(self) -> None:
        self.find_edit = QLineEdit(self, placeholderText="Find", clearButtonEnabled=True)
        self.replace_edit = QLineEdit(self, placeholderText="Replace")
        self.case_button = self._tool("Aa", "Match case", checkable=True)
        self.word_button = self._tool("ab|", "Whole word", checkable=True)
        self.regex_button = self._tool(".*", "Regular expression (Python re)", checkable=True)
        style = self.style()
        self.prev_button = self._tool("", "Previous match (Shift+Enter)",
                                      icon=style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp))
        self.next_button = self._tool("", "Next match (Enter)",
                                      icon=style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown))
        self.close_button = self._tool("✕", "Close (Esc)")
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("9999 of 9999"))
        self.replace_button = self._tool("Replace", "Replace this match (Enter)")
        self.replace_all_button = self._tool("Replace All", "Replace every match")

        find_row = QHBoxLayout()
        for widget in (self.find_edit, self.case_button, self.word_button, self.regex_button,
                       self.count_label, self.prev_button, self.next_button, self.close_button):
            find_row.addWidget(widget)
        self._replace_row = QWidget(self)
        replace_row = QHBoxLayout(self._replace_row)
        replace_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.replace_edit, self.replace_button, self.replace_all_button):
            replace_row.addWidget(widget)
        replace_row.addStretch(0)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 3, 4, 3)
        column.setSpacing(3)
        column.addLayout(find_row)
        column.addWidget(self._replace_row)
        for edit in (self.find_edit, self.replace_edit):
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            edit.installEventFilter(self)

        self.find_edit.textChanged.connect(self._on_find_text_changed)
        for button in (self.case_button, self.word_button, self.regex_button):
            button.toggled.connect(self._on_find_text_changed)
        self.replace_edit.textChanged.connect(self._on_replace_text_changed)
        self.prev_button.clicked.connect(self.find_previous)
        self.next_button.clicked.connect(self.find_next)
        self.close_button.clicked.connect(self.close_bar)
        self.replace_button.clicked.connect(self.replace_current)
        self.replace_all_button.clicked.connect(self.replace_all)

    def _tool(self, text: str, tip: str, *, checkable: bool = False, icon=None) -> QToolButton:
        button = QToolButton(self, text=text, toolTip=tip, checkable=checkable, autoRaise=True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        if icon is not None:
            button.setIcon(icon)
        return button

    # -- public -----------------------------------------------------------------
    def open(self, replace: bool = False) -> None:
        """Show the bar (replace row too when ``replace``) and focus the find field."""
        editor = self._editor
        self._anchor = editor.selectionStart()  # before setText: it searches from here
        selected = bytes(editor.getSelText()).decode("utf-8", "replace")
        if selected and "\n" not in selected:
            self.find_edit.setText(selected)
        self._replace_row.setVisible(replace and not editor.readOnly())
        self.show()
        self.sig_visibility_changed.emit(True)  # also when open: the replace row may change
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()
        self._invalidate()
        self._highlight()
        self._update_count()

    def close_bar(self) -> None:
        """Hide the bar, drop the highlights and give the focus back to the editor."""
        self._refresh.stop()
        self._clear_highlights()
        self.hide()
        self.sig_visibility_changed.emit(False)
        QWidget.setFocus(self._editor, Qt.FocusReason.OtherFocusReason)  # not SCI_SETFOCUS

    def options(self) -> SearchOptions:
        return SearchOptions(self.find_edit.text(), self.case_button.isChecked(),
                             self.word_button.isChecked(), self.regex_button.isChecked())

    def matches(self) -> list[Match]:
        """Current matches as byte spans (searched again after any change)."""
        if self._matches is None:
            self._error = ""
            try:
                pattern = compile_pattern(self.options())
                self._matches = find_matches(self._editor.text(), pattern,
                                             self.replace_edit.text(), self.regex_button.isChecked())
            except (re.error, IndexError) as exc:
                self._error = str(exc)
                self._matches = []
        return self._matches

    def current_index(self) -> int:
        """0-based index of the match that is selected in the editor, or -1."""
        start, end = self._editor.selectionStart(), self._editor.selectionEnd()
        return next((i for i, m in enumerate(self.matches())
                     if m.start == start and m.end == end), -1)

    def count_text(self) -> str:
        """What the count label says: "3 of 12", "12 matches", "No results"."""
        return self.count_label.text()

    def find_next(self) -> bool:
        """Select the next match after the selection, wrapping to the first."""
        matches = self.matches()
        if not matches:
            self._update_count()
            return False
        after = self._editor.selectionEnd()
        self._select(next((m for m in matches if m.start >= after), matches[0]))
        return True

    def find_previous(self) -> bool:
        """Select the match before the selection, wrapping to the last."""
        matches = self.matches()
        if not matches:
            self._update_count()
            return False
        before = self._editor.selectionStart()
        self._select(next((m for m in reversed(matches) if m.end <= before), matches[-1]))
        return True

    def replace_current(self) -> bool:
        """Replace the selected match (if one is selected), then go to the next."""
        editor = self._editor
        index = self.current_index()
        if index >= 0 and not editor.readOnly():
            match = self.matches()[index]
            editor.setTargetRange(match.start, match.end)
            length = editor.replaceTarget(-1, match.replacement)
            editor.setEmptySelection(match.start + length)
            self._refresh_now()
        return self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        editor = self._editor
        matches = self.matches()
        if not matches or editor.readOnly():
            return 0
        editor.beginUndoAction()
        try:
            for match in reversed(matches):
                editor.setTargetRange(match.start, match.end)
                editor.replaceTarget(-1, match.replacement)
        finally:
            editor.endUndoAction()
        self._refresh_now()
        self.count_label.setText(f"Replaced {len(matches)}")
        return len(matches)

    # -- internals ----------------------------------------------------------------
    def _select(self, match: Match) -> None:
        editor = self._editor
        editor.ensureVisible(editor.lineFromPosition(match.start))
        editor.setSel(match.start, match.end)
        # The selection is drawn "inactive" while the bar has focus: mark the
        # current match more strongly than the others so it stands out.
        editor.setIndicatorCurrent(INDIC_FIND_CURRENT)
        editor.indicatorClearRange(0, editor.textLength())
        editor.indicatorFillRange(match.start, match.end - match.start)
        editor.scrollRange(match.end, match.start)
        self._update_count()

    def _invalidate(self) -> None:
        self._matches = None

    def _highlight(self) -> None:
        self._clear_highlights()
        editor = self._editor
        editor.setIndicatorCurrent(INDIC_FIND)
        for match in self.matches()[:_MAX_HIGHLIGHTS]:
            editor.indicatorFillRange(match.start, match.end - match.start)

    def _clear_highlights(self) -> None:
        editor = self._editor
        for indicator in (INDIC_FIND, INDIC_FIND_CURRENT):
            editor.setIndicatorCurrent(indicator)
            editor.indicatorClearRange(0, editor.textLength())

    def _update_count(self) -> None:
        matches = self.matches()
        if self._error:
            text = "Invalid pattern"
        elif not self.find_edit.text():
            text = ""
        elif not matches:
            text = "No results"
        else:
            index = self.current_index()
            text = f"{index + 1} of {len(matches)}" if index >= 0 else f"{len(matches)} matches"
        self.count_label.setText(text)
        self.count_label.setToolTip(self._error)
        self._mark_field(bool(self._error) or (bool(self.find_edit.text()) and not matches))

    def _mark_field(self, bad: bool) -> None:
        palette = self.find_edit.palette()
        theme = self._editor.theme()
        base = QColor(theme.colour("invalid_field")) if bad and theme else self.palette().base().color()
        palette.setColor(QPalette.ColorRole.Base, base)
        self.find_edit.setPalette(palette)

    def _on_find_text_changed(self, *_args) -> None:
        """Incremental search: select the first match at or after where the search began."""
        self._invalidate()
        self._highlight()
        matches = self.matches()
        if matches:
            self._select(next((m for m in matches if m.start >= self._anchor), matches[0]))
        else:
            self._editor.setEmptySelection(self._anchor)
            self._update_count()

    def _on_replace_text_changed(self, _text: str) -> None:
        self._invalidate()  # regex replacements are expanded per match

    def _on_editor_text_changed(self) -> None:
        if self.isVisible():
            self._invalidate()
            self._refresh.start()

    def _on_refresh(self) -> None:
        self._highlight()
        self._update_count()

    def _refresh_now(self) -> None:
        """After our own edits: search again at once instead of after the debounce."""
        self._refresh.stop()
        self._invalidate()
        self._on_refresh()

    # -- keys ---------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter/Shift+Enter in the fields search instead of reaching the editor."""
        if event.type() == QEvent.Type.KeyPress and event.key() in _ENTER_KEYS:
            if watched is self.replace_edit:
                self.replace_current()
            elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.find_previous()
            else:
                self.find_next()
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        event.accept()  # never let a key fall through to the editor underneath
