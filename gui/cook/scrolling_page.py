"""A tab page whose content scrolls when the cook panel's dock is short.

The panel's tabs are as tall as their tallest page needs; a form page in a
scroll area needs little, so on a 1280x800 screen the dock leaves the
callback editors their room and the form scrolls instead.
"""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


def scrolling_layout(page: QWidget) -> QVBoxLayout:
    """The layout for ``page``'s content, inside a frameless scroll area that fills it.

    Widgets made with ``page`` as their parent move into the scroll area when
    they are added to this layout.
    """
    area = QScrollArea(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    content = QWidget(area)
    area.setWidget(content)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    return QVBoxLayout(content)
