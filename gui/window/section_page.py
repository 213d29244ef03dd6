"""A page of code sections in a scroll area, both made the first time it is shown.

Only the page on show at start-up pays for its editors, and not before the
window's first paint; the others are made when the user (or a jump to a
problem) opens them. The scroll area is made with the sections: before that
the page is an empty widget, which is all the first paint needs (a scroll
area is a dozen widgets, some of classes PySide has to look up). The wheel
scrolls the page while the editor under the pointer has nothing left to scroll.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from scheduler_studio.gui.editor.themes import Theme
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.fields import SectionSpec

PAGE_MARGIN = 12
SECTION_SPACING = 18


class SectionPage(QWidget):
    """The sections of one tab, stacked; scrolls as a whole. ``ensure_built`` makes them."""

    sig_section_built = Signal(object)
    """A CodeSection was made (the window wires completion and problems to it)."""

    def __init__(self, model: DocumentModel, specs: tuple[SectionSpec, ...], theme: Theme,
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("sectionPage")
        self._model = model
        self._specs = specs
        self._theme = theme
        self._sections: dict = {}  # field -> CodeSection
        self._area: Optional[_PageArea] = None  # made with the sections
        self._layout: Optional[QVBoxLayout] = None  # the sections' column in the area
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def specs(self) -> tuple[SectionSpec, ...]:
        return self._specs

    def is_built(self) -> bool:
        return bool(self._sections) or not self._specs

    def scroll_area(self) -> QScrollArea:
        """The page's scroll area (made now if the sections are not made yet)."""
        if self._area is None:
            self._area = _PageArea(self._fit_editors, self)
            body = QWidget(self._area)
            body.setObjectName("pageBody")
            self._layout = QVBoxLayout(body)
            self._layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
            self._layout.setSpacing(SECTION_SPACING)
            self._layout.addStretch(1)
            self._area.setWidget(body)
            self.layout().addWidget(self._area)
            if self.isVisible():
                self._area.show()  # a layout shows a late child only on the next loop turn
            self._wheel = _WheelToPage(self._area)
        return self._area

    def ensure_built(self) -> None:
        """Make the sections now (first show, or a jump into this page)."""
        if self.is_built():
            return
        from scheduler_studio.gui.editor import component

        component.load()  # a clear EditorComponentError, not a page without editors
        from scheduler_studio.gui.window.code_section import CodeSection  # loads Scintilla: not at start-up

        body = self.scroll_area().widget()
        for spec in self._specs:
            section = CodeSection(self._model, spec, self._theme, body)
            section.editor.viewport().installEventFilter(self._wheel)
            self._layout.insertWidget(self._layout.count() - 1, section)
            if body.isVisible():
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

    def _fit_editors(self) -> None:
        """An editor may grow to fill the page with its title and def line still on show;
        a page with one section is all editor."""
        if self._area is None:
            return
        room = self._area.viewport().height() - 2 * PAGE_MARGIN
        alone = len(self._sections) == 1
        for section in self._sections.values():
            section.set_max_height(room - section.chrome_height(), fill=alone)


class _PageArea(QScrollArea):
    """The page's scroll area: frameless, vertical only; says when it is resized."""

    def __init__(self, on_resized, parent: QWidget) -> None:
        super().__init__(parent)
        self._on_resized = on_resized
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._on_resized()


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
