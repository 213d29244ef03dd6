"""Lint problems on the editor: squiggles, margin markers and their tooltips.

A problem is any object with ``.line`` (1-based), ``.column`` (0-based),
``.severity`` ("error" | "warning") and ``.message``. Each one gets a squiggle
whose indicator *value* is its index + 1, and a marker whose handle Scintilla
moves with edits, so the tooltip still finds the right message after the user
types above it. A problem with a true ``.inline`` (an error the test cook hit)
also writes its message at the end of its line, where the eye already is.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyside6_scintilla import Scintilla

from scheduler_studio.gui.editor.margins import MARKER_ERROR, MARKER_WARNING

INDIC_ERROR = Scintilla.IndicatorNumbers.Container  # 8: first indicator for apps
INDIC_WARNING = INDIC_ERROR + 1
INDIC_FIND = INDIC_ERROR + 2
INDIC_FIND_CURRENT = INDIC_ERROR + 3
STYLE_INLINE_ERROR = 60  # a style number no lexer uses: the end-of-line messages
INLINE_CHARS = 160

_SEVERITY = {
    "error": (INDIC_ERROR, MARKER_ERROR),
    "warning": (INDIC_WARNING, MARKER_WARNING),
}


def setup_indicators(editor) -> None:
    """Define the squiggle, find-match and marker symbols (colours from the theme)."""
    for indic in (INDIC_ERROR, INDIC_WARNING):
        editor.indicSetStyle(indic, Scintilla.IndicatorStyle.SquigglePixmap)
        editor.indicSetUnder(indic, False)
    editor.indicSetStyle(INDIC_FIND, Scintilla.IndicatorStyle.StraightBox)
    editor.indicSetAlpha(INDIC_FIND, 70)
    editor.indicSetOutlineAlpha(INDIC_FIND, 160)
    editor.indicSetUnder(INDIC_FIND, True)
    editor.indicSetStyle(INDIC_FIND_CURRENT, Scintilla.IndicatorStyle.StraightBox)
    editor.indicSetAlpha(INDIC_FIND_CURRENT, 140)
    editor.indicSetOutlineAlpha(INDIC_FIND_CURRENT, 255)
    editor.indicSetUnder(INDIC_FIND_CURRENT, True)
    editor.eOLAnnotationSetVisible(Scintilla.EOLAnnotationVisible.Boxed)
    editor.markerDefine(MARKER_ERROR, Scintilla.MarkerSymbol.SmallRect)
    editor.markerDefine(MARKER_WARNING, Scintilla.MarkerSymbol.ShortArrow)


def apply_colours(editor, *, error: int, warning: int, find: int) -> None:
    """Colour squiggles, markers and find matches (Scintilla BGR ints)."""
    editor.indicSetFore(INDIC_ERROR, error)
    editor.indicSetFore(INDIC_WARNING, warning)
    editor.indicSetFore(INDIC_FIND, find)
    editor.indicSetFore(INDIC_FIND_CURRENT, find)
    editor.styleSetFore(STYLE_INLINE_ERROR, error)  # after the theme's styleClearAll
    editor.styleSetItalic(STYLE_INLINE_ERROR, True)
    for marker, colour in ((MARKER_ERROR, error), (MARKER_WARNING, warning)):
        editor.markerSetFore(marker, colour)
        editor.markerSetBack(marker, colour)


class ProblemMarks:
    """Owns the problems shown in one editor (a helper, not a widget)."""

    def __init__(self, editor) -> None:
        self._editor = editor
        self._problems: list[Any] = []
        self._handles: list[int] = []

    def problems(self) -> list[Any]:
        """The problems currently drawn, in the order they were given."""
        return list(self._problems)

    def set(self, problems: Iterable[Any]) -> None:
        """Replace what is shown by ``problems``.

        A test cook's problem (``from_cook``) already shown stays on the line its marker
        moved to as the user edited: its own line number is the cooked module's, older
        than the text (a lint problem is recomputed from the text, so its line is new)."""
        moved = self._cook_lines_now()
        self.clear()
        editor = self._editor
        for index, problem in enumerate(problems):
            indic, marker = _SEVERITY.get(str(problem.severity).lower(), _SEVERITY["error"])
            line = moved.get(_key(problem)) if getattr(problem, "from_cook", False) else None
            if line is None:
                line = min(max(int(problem.line) - 1, 0), editor.lineCount() - 1)
            start, end = self._span(line, int(problem.column or 0))
            if end > start:
                editor.setIndicatorCurrent(indic)
                editor.setIndicatorValue(index + 1)
                editor.indicatorFillRange(start, end - start)
            self._handles.append(editor.markerAdd(line, marker))
            self._problems.append(problem)
            if getattr(problem, "inline", False) and not bytes(editor.eOLAnnotationText(line)):
                message = str(problem.message)
                if len(message) > INLINE_CHARS:
                    message = message[:INLINE_CHARS - 1] + "…"
                editor.eOLAnnotationSetText(line, message)
                editor.eOLAnnotationSetStyle(line, STYLE_INLINE_ERROR)

    def _cook_lines_now(self) -> dict:
        """Where the markers of the cook's problems shown now sit (0-based lines)."""
        editor = self._editor
        return {_key(problem): editor.markerLineFromHandle(handle)
                for problem, handle in zip(self._problems, self._handles)
                if getattr(problem, "from_cook", False)
                and editor.markerLineFromHandle(handle) >= 0}

    def clear(self) -> None:
        """Remove every squiggle and marker."""
        editor = self._editor
        length = editor.textLength()
        for indic in (INDIC_ERROR, INDIC_WARNING):
            editor.setIndicatorCurrent(indic)
            editor.indicatorClearRange(0, length)
        editor.markerDeleteAll(MARKER_ERROR)
        editor.markerDeleteAll(MARKER_WARNING)
        editor.eOLAnnotationClearAll()
        self._problems.clear()
        self._handles.clear()

    def messages_at(self, position: int) -> list[str]:
        """Messages of the squiggles covering ``position`` (a byte position)."""
        found = []
        for indic in (INDIC_ERROR, INDIC_WARNING):
            value = self._editor.indicatorValueAt(indic, position)
            if value > 0:  # 0 where the indicator is absent
                found.append(value - 1)
        return [_describe(self._problems[i]) for i in sorted(found) if i < len(self._problems)]

    def messages_on_line(self, line: int) -> list[str]:
        """Messages of the problems whose marker sits on ``line`` (0-based) now."""
        editor = self._editor
        return [_describe(problem) for problem, handle in zip(self._problems, self._handles)
                if editor.markerLineFromHandle(handle) == line]

    def _span(self, line: int, column: int) -> tuple[int, int]:
        """Byte range to squiggle: the token at ``column``, or the line's code."""
        editor = self._editor
        line_start = editor.positionFromLine(line)
        line_end = editor.lineEndPosition(line)
        code_start = min(editor.lineIndentPosition(line), line_end)
        if column <= 0:
            return code_start, line_end
        start = min(max(editor.findColumn(line, column), code_start), line_end)
        if start >= line_end:  # past the end (e.g. "unexpected EOF"): the last char
            return max(editor.positionBefore(line_end), line_start), line_end
        end = editor.wordEndPosition(start, True)
        if end <= start:
            end = editor.positionAfter(start)
        return start, min(end, line_end)


def _describe(problem: Any) -> str:
    severity = str(problem.severity).lower()
    label = "Warning" if severity == "warning" else "Error"
    return f"{label}: {problem.message}"


def _key(problem: Any) -> tuple:
    """A problem's identity across two `ProblemMarks.set` calls (its line aside)."""
    return (getattr(problem, "field", ""), int(problem.line), str(problem.message),
            str(problem.severity))
