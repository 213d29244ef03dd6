"""How the cook panel looks: state colours as data, and pygments for read-only text.

Colours are chosen to read on both the dark and the light theme. Pygments turns
tracebacks and logs into HTML for QTextBrowser; its inline styles need no stylesheet.
"""
from __future__ import annotations

import html

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, PythonTracebackLexer, TextLexer

from scheduler_studio.gui.cook.cook_state import CATEGORIES

STATE_COLOURS = {
    "waiting": "#8b929c",
    "scheduled": "#4a90d9",
    "cooking": "#e5a53a",
    "succeeded": "#3fae5a",
    "failed": "#e0473e",
    "cancelled": "#9c72cf",
}
STATE_LABELS = {c: c.capitalize() for c in CATEGORIES}
HIGHLIGHT_CHARS = 200_000     # beyond this, show plain text: pygments is not free


def state_colour(category: int) -> QColor:
    return QColor(STATE_COLOURS[CATEGORIES[category]])


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _formatter(dark: bool) -> HtmlFormatter:
    return HtmlFormatter(noclasses=True, nowrap=False,
                         style="monokai" if dark else "default",
                         prestyles="white-space: pre-wrap; margin: 0")


def code_html(text: str, kind: str, dark: bool) -> str:
    """`text` as highlighted HTML; kind is "traceback", "python" or "log"."""
    if len(text) > HIGHLIGHT_CHARS:
        return "<pre>" + html.escape(text) + "</pre>"
    if kind == "traceback":
        lexer = PythonTracebackLexer()
    elif kind == "python":
        lexer = PythonLexer()
    elif "Traceback (most recent call last)" in text:
        lexer = PythonTracebackLexer()
    else:
        lexer = TextLexer()
    body = highlight(text, lexer, _formatter(dark))
    # the formatter paints its own background: let the view's palette show instead
    return body.replace('background: #272822', "").replace('background: #f8f8f8', "")


def format_traceback(error: dict) -> str:
    """An engine error record as the usual Python traceback text."""
    lines = ["Traceback (most recent call last):"]
    for frame in error.get("traceback") or []:
        lines.append(f'  File "{frame.get("file")}", line {frame.get("line")}, '
                     f'in {frame.get("name")}')
        if frame.get("text"):
            lines.append("    " + str(frame["text"]).strip())
    message = str(error.get("message") or "")
    lines.append(message if ":" in message else f"{error.get('type', 'Error')}: {message}")
    return "\n".join(lines)
