"""One code section of a page: title, help, the read-only ``def`` line, the body editor.

The section writes the editor's text into the DocumentModel on every change,
re-reads it when a whole new document is loaded, and shows a change the
model made to its field itself (a converted coding cookie) as an undoable edit. Its editor grows with
its text (between a few lines and the height of the page) so short
callbacks take little room and long ones scroll inside.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QSizePolicy, QToolButton,
                               QVBoxLayout, QWidget)

from scheduler_studio.gui.editor import CodeEditor, Theme
from scheduler_studio.gui.editor.margins import text_area_left
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.editor_sync import replace_changed_span
from scheduler_studio.gui.window.fields import SectionSpec

MIN_LINES = 4
FRAME_EXTRA = 6  # frame and rounding, in pixels


class CodeSection(QWidget):
    """Edits one field of the document in a CodeEditor."""

    sig_height_changed = Signal()
    """The editor's wanted height changed (the page re-lays out)."""

    def __init__(self, model: DocumentModel, spec: SectionSpec, theme: Theme,
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeSection")
        self._model = model
        self._spec = spec
        self._theme = theme
        self._max_height = 600
        self._fill = False
        self._loading = False
        self._problem_counts = (0, 0)
        self.editor = CodeEditor(self, theme=theme.name)  # load_theme checks the file
        self.editor.setObjectName(f"editor:{spec.field}")
        self._build()
        self._load()
        self.editor.sig_text_changed.connect(self._on_editor_changed)
        self.editor.linesAdded.connect(self._on_lines_added)
        self.editor.zoom.connect(self._on_zoom)
        model.sig_document_reset.connect(self._load)
        model.sig_field_changed.connect(self._on_field_changed)
        model.sig_modified_fields_changed.connect(self._update_title)

    def spec(self) -> SectionSpec:
        return self._spec

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("sectionTitle")
        self.title.setToolTip(self._spec.help)
        self.marks = QLabel(self)
        self.marks.setObjectName("sectionMarks")
        self.help_button = QToolButton(self, text="?", autoRaise=True)
        self.help_button.setObjectName("helpButton")
        self.help_button.setToolTip(self._spec.help)
        self.help_button.setCheckable(True)
        self.help_button.setAccessibleName(f"Help on {self._spec.title}")
        self.help_text = QLabel(self._spec.help, self)
        self.help_text.setObjectName("sectionHelp")
        self.help_text.setWordWrap(True)
        self.help_text.setVisible(False)
        self.help_button.toggled.connect(self.help_text.setVisible)
        self.help_button.toggled.connect(lambda _on: self.sig_height_changed.emit())
        self.example_button = QToolButton(self, text="Insert example", autoRaise=True)
        self.example_button.setObjectName("exampleButton")
        self.example_button.setToolTip("Fill this empty callback with a working example body")
        self.example_button.clicked.connect(self._on_insert_example)
        self.add_button = QToolButton(self, text="Add Callback", autoRaise=True)
        self.add_button.setObjectName("exampleButton")
        self.add_button.setToolTip("Add a callback the node has no field for, as a method")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setMenu(QMenu(self.add_button))
        self.add_button.menu().aboutToShow.connect(self._fill_add_menu)
        self.add_button.setVisible(self._spec.field == fields.EXTRA_MEMBERS)
        self.signature = QLabel(self)
        self.signature.setObjectName("signature")
        self.signature.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.signature.setVisible(self._spec.callback is not None)
        self.signature.setToolTip("Written for you: edit the body below")
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 6, 0)  # "Add Callback ⌄" keeps off the right edge
        head.setSpacing(6)
        head.addWidget(self.title)
        head.addWidget(self.help_button)
        head.addWidget(self.marks)
        head.addStretch(1)
        head.addWidget(self.example_button)
        head.addWidget(self.add_button)
        code = QVBoxLayout()  # the def line sits on the body like the module's first line
        code.setContentsMargins(0, 0, 0, 0)
        code.setSpacing(0)
        code.addWidget(self.signature)
        code.addWidget(self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.help_text)
        layout.addLayout(code)
        self._head = head

    def _on_zoom(self, *_args) -> None:
        self._update_height()
        self._align_signature()

    def chrome_height(self) -> int:
        """Height of everything above the editor (title row, help, def line)."""
        spacing = self.layout().spacing()
        height = self._head.sizeHint().height() + spacing
        if self.help_text.isVisibleTo(self):
            height += self.help_text.sizeHint().height() + spacing
        if self.signature.isVisibleTo(self):
            height += self.signature.sizeHint().height()
        return height

    def set_max_height(self, pixels: int, fill: bool = False) -> None:
        """The tallest the editor may grow (the page's visible height); ``fill``: be that tall."""
        self._max_height = max(pixels, 80)
        self._fill = fill
        self._update_height()

    def _update_height(self, *_args) -> None:
        editor = self.editor
        line_height = max(editor.textHeight(0), 1)
        lines = max(editor.lineCount(), MIN_LINES) + 1  # a spare line to click into
        bar = editor.horizontalScrollBar().sizeHint().height()
        wanted = lines * line_height + bar + FRAME_EXTRA
        minimum = MIN_LINES * line_height + bar + FRAME_EXTRA
        if self._fill:
            wanted = self._max_height
        height = min(max(wanted, minimum), max(self._max_height, minimum))
        if editor.height() != height or editor.minimumHeight() != height:
            editor.setFixedHeight(height)
            self.sig_height_changed.emit()

    # -- model <-> editor ------------------------------------------------------------
    def _load(self) -> None:
        self._loading = True
        try:
            self.editor.set_indent_unit(self._model.indent_unit())
            self.editor.set_text(self._model.value(self._spec.field))
            self.editor.setReadOnly(self._spec.field in self._model.read_only())
        finally:
            self._loading = False
        self._update_signature()
        self._update_title()
        self._update_height()
        self._update_example_button()

    def _on_editor_changed(self) -> None:
        if not self._loading:
            self._model.set_value(self._spec.field, self.editor.text())
            self._update_example_button()

    def _on_field_changed(self, key: str) -> None:
        """The model changed this field itself (convert to UTF-8 rewrites the
        prelude's cookie): show it as one undoable edit, else the editor's next
        key would copy the old text back."""
        if key == self._spec.field and not self._loading:
            replace_changed_span(self.editor, self._model.value(key))

    def _on_lines_added(self, _count: int) -> None:
        self._update_height()
        self._align_signature()  # the line-number margin may have widened

    def _on_insert_example(self) -> None:
        callback = self._spec.callback
        if callback is not None and not self.editor.text().strip():
            self.editor.selectAll()
            self.editor.replaceSel(callback.default_body + "\n")
            self.editor.go_to_line(1)

    def _fill_add_menu(self) -> None:
        menu = self.add_button.menu()
        menu.clear()
        text = self.editor.text()
        for callback in fields.member_callbacks():
            action = menu.addAction(f"{callback.name} — {callback.label}")
            action.setToolTip(callback.help)
            action.setEnabled(re.search(rf"^\s*def\s+{callback.name}\s*\(", text, re.M) is None)
            action.triggered.connect(lambda _=False, cb=callback: self._add_method(cb))

    def _add_method(self, callback) -> None:
        """Append a member callback with its example body; the caret goes to its def."""
        editor = self.editor
        text = editor.text().rstrip("\n")
        gap = "\n\n" if text.strip() else ""
        editor.setTargetRange(len(text.encode("utf-8")), editor.textLength())
        editor.replaceTarget(-1, gap + callback.method_text() + "\n")
        editor.go_to_line(text.count("\n") + 1 + (2 if gap else 0) + (1 if text else 0))

    def _update_example_button(self) -> None:
        callback = self._spec.callback
        self.example_button.setVisible(
            callback is not None and bool(callback.default_body)
            and not self.editor.text().strip())

    # -- titles ----------------------------------------------------------------------
    def set_problem_counts(self, errors: int, warnings: int) -> None:
        self._problem_counts = (errors, warnings)
        self._update_title()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        from scheduler_studio.gui.editor import apply_theme

        apply_theme(self.editor, theme.name)
        self._update_signature()
        self._update_height()

    def _update_title(self) -> None:
        modified = self._spec.field in self._model.modified_fields()
        elsewhere = self._spec.field in self._model.read_only()
        self.title.setText(self._spec.title + ("  •" if modified else "")
                           + ("  (defined in Extra members)" if elsewhere else ""))
        self.title.setToolTip(self._spec.help + ("\n\nUnsaved edits." if modified else "")
                              + ("\n\nThis module defines the method among its other "
                                 "members: edit it on the Extra members tab."
                                 if elsewhere else ""))
        errors, warnings = self._problem_counts
        parts = []
        if errors:
            parts.append(f"{errors} error{'s' if errors > 1 else ''}")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings > 1 else ''}")
        self.marks.setText("⚠ " + ", ".join(parts) if parts else "")
        self.marks.setProperty("severity", "error" if errors else "warning")
        self.marks.style().unpolish(self.marks)
        self.marks.style().polish(self.marks)

    def _update_signature(self) -> None:
        callback = self._spec.callback
        if callback is None:
            return
        self.signature.setText(signature_html(callback, self._model.document(), self._theme))
        self._align_signature()

    def _align_signature(self) -> None:
        """Same font as the editor, ``def`` one indent left of the body's text."""
        if self._spec.callback is None:
            return
        font = QFont(monospace_family(self._theme.font_families))
        font.setPointSizeF(max(self._theme.font_size + self.editor.zoom_level(), 4))
        self.signature.setFont(font)
        indent = text_area_left(self.editor) - round(4 * QFontMetricsF(font).horizontalAdvance("n"))
        self.signature.setIndent(max(indent, 4))


@lru_cache(maxsize=None)
def monospace_family(families: tuple[str, ...]) -> str:
    """The first installed family of a theme's list, else the system fixed font."""
    installed = set(QFontDatabase.families())
    for family in families:
        if family in installed:
            return family
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()


def signature_html(callback, doc, theme: Theme) -> str:
    """The ``def`` line as the editor would colour it."""
    def colour(style: str, fallback: str) -> str:
        return theme.styles.get(style, {}).get("fore", fallback)

    keyword = colour("SCE_P_WORD", "#0000ff")
    name = colour("SCE_P_DEFNAME", "#000000")
    text = colour("SCE_P_DEFAULT", "#000000")
    self_colour = colour("SCE_P_WORD2", text)
    args = ", ".join([f'<span style="color:{self_colour}">self</span>']
                     + [html.escape(a) for a in doc.args(callback.name)])
    method = html.escape(doc.method_name(callback.name))
    return (f'<span style="color:{keyword}">def</span> '
            f'<span style="color:{name}">{method}</span>'
            f'<span style="color:{text}">({args}):</span>')

