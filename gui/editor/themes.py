"""Colour themes as data, applied to an editor by one function.

A theme is a JSON file in ``resources/themes/``: Lexilla Python style names
(``SCE_P_WORD``…) map to colours, and a ``ui`` table holds the colours of
everything that is not a lexer style (caret, margins, squiggles, find
matches) plus palette roles a host window can use through ``theme_palette``.
Keeping colours out of code lets a user theme be one more JSON file.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PySide6.QtGui import QColor, QFontDatabase, QPalette

from scheduler_studio.engine.package_files import resource_dir

THEMES_DIR = resource_dir("themes")
THEME_FORMAT = 1
DEFAULT_THEME = "light"



@dataclass(frozen=True)
class Theme:
    """One parsed theme file; ``styles`` keys are Lexilla style names."""

    name: str
    label: str
    font_families: tuple[str, ...]
    font_size: int
    ui: Mapping[str, str]
    styles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def colour(self, key: str) -> str:
        """A ``ui`` colour, falling back to the text colours so old files still load."""
        return self.ui.get(key) or self.ui.get("foreground", "#000000")


def available_themes() -> list[str]:
    """Names of the theme files shipped in ``resources/themes``."""
    return sorted(p.stem for p in THEMES_DIR.glob("*.json"))


def theme_from_dict(data: Mapping[str, Any]) -> Theme:
    """Build a Theme from parsed JSON; raise ValueError on a wrong format."""
    if data.get("format") != THEME_FORMAT:
        raise ValueError(f"theme format {data.get('format')!r} is not {THEME_FORMAT}")
    font = data.get("font", {})
    unknown = set(data.get("styles", {})) - set(style_numbers())
    if unknown:
        raise ValueError(f"unknown Lexilla style names: {sorted(unknown)}")
    return Theme(
        name=str(data["name"]),
        label=str(data.get("label", data["name"])),
        font_families=tuple(font.get("families", ())),
        font_size=int(font.get("size", 10)),
        ui=dict(data.get("ui", {})),
        styles={k: dict(v) for k, v in data.get("styles", {}).items()},
    )


@lru_cache(maxsize=None)
def load_theme(name: str) -> Theme:
    """Load (once) the theme called ``name`` from ``resources/themes``."""
    path = THEMES_DIR / f"{name}.json"
    if not path.is_file():
        raise ValueError(f"no theme {name!r}; have {available_themes()}")
    return theme_from_dict(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=None)
def style_numbers() -> dict[str, int]:
    """Lexilla's Python style names → numbers, asked from the lexer itself."""
    from lexilla import Language, create_lexer  # Scintilla loads only with the first editor

    lexer = create_lexer(Language.PYTHON)
    try:
        return {lexer.name_of_style(i): i for i in range(lexer.named_styles())}
    finally:
        lexer.release()


@lru_cache(maxsize=None)
def _font_family(families: tuple[str, ...]) -> str:
    """First installed family of the list, else the system fixed-width font."""
    installed = set(QFontDatabase.families())
    for family in families:
        if family in installed:
            return family
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()


def bgr(colour: str) -> int:
    """'#RRGGBB' → Scintilla's 0xBBGGRR integer."""
    c = QColor(colour)
    return c.red() | (c.green() << 8) | (c.blue() << 16)


def abgr(colour: str) -> int:
    """'#RRGGBB' or '#RRGGBBAA' → Scintilla's element colour (alpha in the top byte).

    The binding takes a signed 32-bit int, so the value is wrapped.
    """
    alpha = int(colour[7:9], 16) if len(colour) == 9 else 0xFF
    value = bgr(colour[:7]) | (alpha << 24)
    return value - (1 << 32) if value >= 1 << 31 else value


def apply_theme(editor, theme: Theme | str) -> None:
    """Colour ``editor`` (a ScintillaEdit) with ``theme`` (a Theme or its name)."""
    from pyside6_scintilla import Scintilla

    from scheduler_studio.gui.editor import indicators, margins

    _S, _E = Scintilla.StylesCommon, Scintilla.Element
    if isinstance(theme, str):
        theme = load_theme(theme)
    numbers = style_numbers()
    family = _font_family(theme.font_families)
    default = theme.styles.get("SCE_P_DEFAULT", {})

    editor.styleResetDefault()
    editor.styleSetFont(_S.Default, family)
    editor.styleSetSize(_S.Default, theme.font_size)
    editor.styleSetFore(_S.Default, bgr(default.get("fore", theme.colour("foreground"))))
    editor.styleSetBack(_S.Default, bgr(theme.colour("background")))
    editor.styleClearAll()
    for name, spec in theme.styles.items():
        _apply_style(editor, numbers[name], spec)

    editor.styleSetFore(_S.LineNumber, bgr(theme.colour("line_number")))
    editor.styleSetBack(_S.LineNumber, bgr(theme.colour("margin_background")))
    editor.styleSetFore(_S.BraceLight, bgr(theme.colour("brace_match_fore")))
    editor.styleSetBack(_S.BraceLight, bgr(theme.colour("brace_match_back")))
    editor.styleSetBold(_S.BraceLight, True)
    editor.styleSetFore(_S.BraceBad, bgr(theme.colour("brace_bad_fore")))
    editor.styleSetBold(_S.BraceBad, True)
    editor.styleSetFore(_S.IndentGuide, bgr(theme.colour("indent_guide")))

    editor.setElementColour(_E.Caret, abgr(theme.colour("caret")))
    editor.setElementColour(_E.CaretLineBack, abgr(theme.colour("caret_line")))
    editor.setElementColour(_E.SelectionBack, abgr(theme.colour("selection")))
    editor.setElementColour(_E.SelectionInactiveBack, abgr(theme.colour("selection_inactive")))
    editor.setElementColour(_E.WhiteSpace, abgr(theme.colour("whitespace")))
    for element, key in ((_E.List, "list_foreground"), (_E.ListBack, "list_background"),
                         (_E.ListSelected, "list_selected_foreground"),
                         (_E.ListSelectedBack, "list_selected_background")):
        editor.setElementColour(element, abgr(theme.colour(key)))

    editor.callTipSetBack(bgr(theme.colour("calltip_background")))
    editor.callTipSetFore(bgr(theme.colour("calltip_foreground")))
    editor.callTipSetForeHlt(bgr(theme.colour("calltip_highlight")))

    margins.apply_colours(editor, fold_margin=bgr(theme.colour("fold_margin")),
                          fold_fore=bgr(theme.colour("fold_marker_fore")),
                          fold_back=bgr(theme.colour("fold_marker_back")))
    indicators.apply_colours(editor, error=bgr(theme.colour("error")),
                             warning=bgr(theme.colour("warning")),
                             find=bgr(theme.colour("find_match")))
    margins.update_line_number_width(editor)
    editor._theme = theme  # read back by CodeEditor.theme() and the find bar


def _apply_style(editor, number: int, spec: Mapping[str, Any]) -> None:
    """Set one lexer style from its theme entry (missing keys keep the default)."""
    if "fore" in spec:
        editor.styleSetFore(number, bgr(spec["fore"]))
    if "back" in spec:
        editor.styleSetBack(number, bgr(spec["back"]))
    if spec.get("bold"):
        editor.styleSetBold(number, True)
    if spec.get("italic"):
        editor.styleSetItalic(number, True)


_PALETTE_ROLES = {
    "window": QPalette.ColorRole.Window,
    "window_text": QPalette.ColorRole.WindowText,
    "base": QPalette.ColorRole.Base,
    "alternate_base": QPalette.ColorRole.AlternateBase,
    "text": QPalette.ColorRole.Text,
    "button": QPalette.ColorRole.Button,
    "button_text": QPalette.ColorRole.ButtonText,
    "highlight": QPalette.ColorRole.Highlight,
    "highlighted_text": QPalette.ColorRole.HighlightedText,
    "placeholder_text": QPalette.ColorRole.PlaceholderText,
    "tooltip_base": QPalette.ColorRole.ToolTipBase,
    "tooltip_text": QPalette.ColorRole.ToolTipText,
    "link": QPalette.ColorRole.Link,
}


def theme_palette(theme: Theme | str, base: QPalette | None = None) -> QPalette:
    """A QPalette with the theme's ``ui`` roles, for the host to set on the app."""
    if isinstance(theme, str):
        theme = load_theme(theme)
    palette = QPalette(base) if base is not None else QPalette()
    for key, role in _PALETTE_ROLES.items():
        if key in theme.ui:
            palette.setColor(role, QColor(theme.ui[key]))
    return palette
