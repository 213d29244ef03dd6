"""Margins of the code editor: line numbers, problem markers, folding.

Helpers over a ScintillaEdit, kept apart so the editor class stays small.
Folding uses Scintilla's automatic fold (click, show, change), so no
Python runs on margin clicks.
"""
from __future__ import annotations

from pyside6_scintilla import Scintilla

MARGIN_LINES = 0
MARGIN_PROBLEMS = 1
MARGIN_FOLD = 2

MARKER_ERROR = 0
MARKER_WARNING = 1
PROBLEM_MARKER_MASK = (1 << MARKER_ERROR) | (1 << MARKER_WARNING)

_SYMBOL_MARGIN_WIDTH = 14
_LINE_NUMBER_PADDING = 14
_MIN_DIGITS = 2

_M = Scintilla.MarkerSymbol
_O = Scintilla.MarkerOutline
_FOLD_MARKERS = {
    _O.FolderOpen: _M.BoxMinus,
    _O.Folder: _M.BoxPlus,
    _O.FolderSub: _M.VLine,
    _O.FolderTail: _M.LCorner,
    _O.FolderEnd: _M.BoxPlusConnected,
    _O.FolderOpenMid: _M.BoxMinusConnected,
    _O.FolderMidTail: _M.TCorner,
}


def setup_margins(editor) -> None:
    """Create the three margins and the fold markers (colours come from the theme)."""
    editor.setMargins(3)
    editor.setMarginTypeN(MARGIN_LINES, Scintilla.MarginType.Number)
    editor.setMarginMaskN(MARGIN_LINES, 0)

    editor.setMarginTypeN(MARGIN_PROBLEMS, Scintilla.MarginType.Symbol)
    editor.setMarginMaskN(MARGIN_PROBLEMS, PROBLEM_MARKER_MASK)
    editor.setMarginWidthN(MARGIN_PROBLEMS, _SYMBOL_MARGIN_WIDTH)

    editor.setMarginTypeN(MARGIN_FOLD, Scintilla.MarginType.Symbol)
    editor.setMarginMaskN(MARGIN_FOLD, Scintilla.MaskFolders)
    editor.setMarginWidthN(MARGIN_FOLD, _SYMBOL_MARGIN_WIDTH)
    editor.setMarginSensitiveN(MARGIN_FOLD, True)
    for number, symbol in _FOLD_MARKERS.items():
        editor.markerDefine(number, symbol)
    editor.setAutomaticFold(Scintilla.AutomaticFold.Show | Scintilla.AutomaticFold.Click
                            | Scintilla.AutomaticFold.Change)
    editor.setFoldFlags(Scintilla.FoldFlag.LineAfterContracted)
    editor.setMarginLeft(2)


def apply_colours(editor, *, fold_margin: int, fold_fore: int, fold_back: int) -> None:
    """Colour the fold margin and its markers (Scintilla BGR ints)."""
    editor.setFoldMarginColour(True, fold_margin)
    editor.setFoldMarginHiColour(True, fold_margin)
    for number in _FOLD_MARKERS:
        editor.markerSetFore(number, fold_fore)
        editor.markerSetBack(number, fold_back)
        editor.markerSetBackSelected(number, fold_back)
    editor.setElementColour(Scintilla.Element.FoldLine, _opaque(fold_back))


def update_line_number_width(editor) -> None:
    """Size the line-number margin to the widest line number at the current zoom."""
    digits = max(_MIN_DIGITS, len(str(editor.lineCount())))
    width = editor.textWidth(Scintilla.StylesCommon.LineNumber, "9" * digits)
    width += _LINE_NUMBER_PADDING
    if editor.marginWidthN(MARGIN_LINES) != width:
        editor.setMarginWidthN(MARGIN_LINES, width)


def text_area_left(editor) -> int:
    """x where the text starts: the sum of the margin widths (plus the left gap)."""
    return sum(editor.marginWidthN(m) for m in range(editor.margins())) + editor.marginLeft()


def _opaque(colour: int) -> int:
    value = colour | (0xFF << 24)
    return value - (1 << 32)
