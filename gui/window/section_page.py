"""A page of code sections in a scroll area, built the first time it is shown.

Only the page on show at start-up pays for its editors; the others are made
when the user (or a jump to a problem) opens them. The wheel scrolls the
page while the editor under the pointer has nothing left to scroll.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from gui.editor.themes import Theme
from gui.window.document_model import DocumentModel
from gui.window.fields import SectionSpec

PAGE_MARGIN = 12
SECTION_SPACING = 18


class SectionPage(QScrollArea):
    """The sections of one tab, stacked; scrolls as a whole. ``ensure_built`` makes them."""

    sig_section_built = Signal(object)
    """A CodeSection was made (the window wires completion and problems to it)."""

    def __init__(self, model: DocumentModel, specs: tuple[SectionSpec, ...], theme: Theme,
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("sectionPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._model = model
        self._specs = specs
        self._theme = theme
        self._sections: dict = {}  # field -> CodeSection
        self._wheel = _WheelToPage(self)
        self._body = QWidget(self)
        self._body.setObjectName("pageBody")
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self._layout.setSpacing(SECTION_SPACING)
        self._layout.addStretch(1)
        self.setWidget(self._body)

    def specs(self) -> tuple[SectionSpec, ...]:
        return self._specs

    def is_built(self) -> bool:
        return bool(self._sections) or not self._specs

    def ensure_built(self) -> None:
        """Make the sections now (first show, or a jump into this page)."""
        if self.is_built():
            return
        from gui.window.code_section import CodeSection  # loads Scintilla: not at start-up

        for spec in self._specs:
            section = CodeSection(self._model, spec, self._theme, self._body)
            section.editor.viewport().installEventFilter(self._wheel)
            self._layout.insertWidget(self._layout.count() - 1, section)
            if self._body.isVisible():
                section.show()  # a layout shows a late child only on the next loop turn
            self._sections[spec.field] = section
            section.sig_height_changed.connect(self._fit_editors)
            self.sig_section_built.emit(section)
        self._fit_editors()

    def section(self, field: str):
        return self._sections.get(field)

    def sections(self) -> list:
        return list(self._sections.values())

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for section in self._sections.values():
            section.set_theme(theme)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_editors()

    def _fit_editors(self) -> None:
        """An editor may grow to fill the page with its title and def line still on show;
        a page with one section is all editor."""
        room = self.viewport().height() - 2 * PAGE_MARGIN
        alone = len(self._sections) == 1
        for section in self._sections.values():
            section.set_max_height(room - section.chrome_height(), fill=alone)


class _WheelToPage(QObject):
    """Passes wheel turns to the page when the editor is at its end that way."""

    def __init__(self, page: QScrollArea) -> None:
        super().__init__(page)
        self._page = page

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.Wheel:
            return False
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False  # Ctrl+wheel zooms the editor
        delta = event.angleDelta()
        if abs(delta.x()) > abs(delta.y()):
            return False
        editor_bar = watched.parentWidget().verticalScrollBar()
        up = delta.y() > 0
        at_end = (editor_bar.maximum() == editor_bar.minimum()
                  or (up and editor_bar.value() <= editor_bar.minimum())
                  or (not up and editor_bar.value() >= editor_bar.maximum()))
        if not at_end:
            return False
        QCoreApplication.sendEvent(self._page.verticalScrollBar(), event)
        return True
