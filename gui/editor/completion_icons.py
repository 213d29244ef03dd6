"""Small kind badges (f, c, m, v…) for the completion list.

Drawn once with QPainter and handed to Scintilla as RGBA images, so the list
says at a glance whether a name is a method, a class or a value.
"""
from __future__ import annotations

import ctypes
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from pyside6_scintilla import Scintilla

SIZE = 14
# jedi kind → (image number, letter, colour)
KINDS: dict[str, tuple[int, str, str]] = {
    "function": (1, "f", "#8250df"),
    "class": (2, "c", "#c27c00"),
    "module": (3, "m", "#0a7ea4"),
    "instance": (4, "v", "#2f8f46"),
    "statement": (4, "v", "#2f8f46"),
    "param": (5, "p", "#6e7781"),
    "property": (6, "a", "#2f8f46"),
    "keyword": (7, "k", "#cf222e"),
    "path": (8, "/", "#6e7781"),
}
TYPE_SEPARATOR = "?"


@lru_cache(maxsize=None)
def _badge(letter: str, colour: str) -> bytes:
    image = QImage(SIZE, SIZE, QImage.Format.Format_RGBA8888)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(0.5, 0.5, SIZE - 1, SIZE - 1), 3, 3)
    font = QFont()
    font.setPixelSize(SIZE - 4)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, SIZE, SIZE), Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return bytes(image.constBits())


def register_icons(editor) -> None:
    """Give ``editor`` the badges; list items then name one as ``name?N``."""
    editor.autoCSetTypeSeparator(ord(TYPE_SEPARATOR))
    editor.rGBAImageSetWidth(SIZE)
    editor.rGBAImageSetHeight(SIZE)
    editor.rGBAImageSetScale(100)
    done = set()
    for number, letter, colour in KINDS.values():
        if number not in done:
            _register(editor, number, _badge(letter, colour))
            done.add(number)


def _register(editor, number: int, pixels: bytes) -> None:
    """SCI_REGISTERRGBAIMAGE with a raw pointer: the binding's bytes overloads of
    registerRGBAImage/sends raise NameError, and a str would be re-encoded.
    Scintilla copies the pixels, so the buffer only has to outlive the call."""
    buffer = ctypes.create_string_buffer(pixels, len(pixels))
    editor.send(Scintilla.Message.RegisterRGBAImage, number, ctypes.addressof(buffer))


def list_item(name: str, kind: str) -> str:
    """One autoCShow entry: the name with its badge number, if the kind has one."""
    entry = KINDS.get(kind)
    return f"{name}{TYPE_SEPARATOR}{entry[0]}" if entry else name
