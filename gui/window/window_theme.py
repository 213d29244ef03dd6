"""The window's look from a theme file: palette, a small style sheet, problem icons.

Colours come only from the theme's ``ui`` table (resources/themes/*.json),
so a new theme is one more JSON file; this module just says which colour
goes where.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette

from scheduler_studio.gui.editor.themes import THEMES_DIR, Theme, theme_palette

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

_ICON_SIZE = 14


def window_palette(theme: Theme, base: QPalette | None = None) -> QPalette:
    palette = theme_palette(theme, base)
    muted = QColor(theme.colour("placeholder_text"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return palette


def style_sheet(theme: Theme) -> str:
    """Rules for the few widgets that stand out (object names set by the widgets)."""
    c = theme.colour
    accent = QColor(c("highlight"))
    return f"""
QPushButton#saveToPython {{
    background: {c("highlight")}; color: {c("highlighted_text")};
    font-weight: 600; padding: 6px 20px; border: 1px solid {accent.darker(130).name()};
    border-radius: 4px; min-width: 9em;
}}
QPushButton#saveToPython:hover {{ background: {accent.lighter(115).name()}; }}
QPushButton#saveToPython:pressed {{ background: {accent.darker(115).name()}; }}
QLabel#sectionTitle {{ font-weight: 600; }}
QLabel#sectionMarks[severity="error"] {{ color: {c("error")}; }}
QLabel#sectionMarks[severity="warning"] {{ color: {c("warning")}; }}
QLabel#sectionHelp {{ color: {c("placeholder_text")}; }}
QLabel#signature {{
    background: {c("margin_background")}; color: {c("foreground")};
    border: 1px solid {c("indent_guide")}; border-bottom: none;
    border-top-left-radius: 3px; border-top-right-radius: 3px; padding: 3px 0px;
}}
QToolButton#helpButton {{ color: {c("link")}; font-weight: 600; padding: 0px 4px; }}
QToolButton#exampleButton {{ color: {c("link")}; }}
QLineEdit[invalid="true"] {{ background: {c("invalid_field")}; }}
QLabel#notice {{
    background: {c("tooltip_base")}; color: {c("tooltip_text")};
    border: 1px solid {c("warning")}; border-radius: 3px; padding: 6px;
}}
QLabel#formProblem {{ color: {c("error")}; }}
QLabel#noProblems {{ color: {c("placeholder_text")}; }}
QLabel#rawModuleMessage {{ padding: 4px 6px; border-left: 4px solid {c("error")}; }}
QLabel#rawModuleMessage[state="ok"] {{ border-left: 4px solid {c("highlight")}; }}
QTabWidget#pages::pane {{ border-top: 1px solid {c("indent_guide")}; }}
"""


def severity_icons(theme: Theme) -> dict[str, QIcon]:
    """A red disc for errors and an amber triangle for warnings, as in the editor margin."""
    from PySide6.QtCore import QPointF, QRectF, Qt  # painting loads with the first problem
    from PySide6.QtGui import QIcon, QPainter, QPainterPath, QPixmap

    icons = {}
    for severity in ("error", "warning"):
        pixmap = QPixmap(_ICON_SIZE, _ICON_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.colour(severity)))
        if severity == "error":
            painter.drawEllipse(QRectF(2, 2, _ICON_SIZE - 4, _ICON_SIZE - 4))
        else:
            path = QPainterPath(QPointF(_ICON_SIZE / 2, 1.5))
            path.lineTo(_ICON_SIZE - 1.5, _ICON_SIZE - 2)
            path.lineTo(1.5, _ICON_SIZE - 2)
            path.closeSubpath()
            painter.drawPath(path)
        painter.end()
        icons[severity] = QIcon(pixmap)
    return icons


def resolve(theme: Theme | str) -> Theme:
    """A Theme from its name, read straight from its file.

    Only the colour tables are read here, so the window can be coloured
    before Scintilla is loaded; the editors load the same file through
    ``scheduler_studio.gui.editor.load_theme``, which checks its lexer style names.
    """
    if not isinstance(theme, str):
        return theme
    path = THEMES_DIR / f"{theme}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"no readable theme {theme!r}: {exc}") from None
    font = data.get("font", {})
    return Theme(name=str(data.get("name", theme)), label=str(data.get("label", theme)),
                 font_families=tuple(font.get("families", ())),
                 font_size=int(font.get("size", 10)), ui=dict(data.get("ui", {})),
                 styles={k: dict(v) for k, v in data.get("styles", {}).items()})


def resolve_or_default(name: str, default: str = "dark") -> Theme:
    """The named theme, or the default one when that name has no readable file."""
    try:
        return resolve(name)
    except ValueError:
        return resolve(default)
