"""Lint problems: squiggles and margin markers on the right line, tooltips, clearing."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip

from scheduler_studio.gui.editor.indicators import INDIC_ERROR, INDIC_WARNING
from scheduler_studio.gui.editor.margins import MARGIN_PROBLEMS, MARKER_ERROR, MARKER_WARNING
from tests.gui.editor.helpers import Problem

BODY = "import os\nx = undefined_name + 1\nif x:\n    pass\n"


def _marker_point(editor, line0: int) -> QPoint:
    x = editor.marginWidthN(0) + editor.marginWidthN(MARGIN_PROBLEMS) // 2
    y = editor.pointYFromPosition(editor.positionFromLine(line0)) + editor.textHeight(line0) // 2
    return QPoint(x, y)


def _token_point(editor, pos: int, line0: int) -> QPoint:
    return QPoint(editor.pointXFromPosition(pos) + 3,
                  editor.pointYFromPosition(pos) + editor.textHeight(line0) // 2)


def test_error_squiggles_the_token_and_marks_the_line(make_editor):
    editor = make_editor(BODY)
    editor.set_problems([Problem(2, 4, "error", "undefined name 'undefined_name'")])
    token = editor.positionFromLine(1) + 4
    assert editor.indicatorValueAt(INDIC_ERROR, token) == 1
    assert editor.indicatorValueAt(INDIC_ERROR, token + len("undefined_name") - 1) == 1
    assert editor.indicatorValueAt(INDIC_ERROR, token + len("undefined_name")) == 0
    assert editor.indicatorValueAt(INDIC_ERROR, editor.positionFromLine(1)) == 0  # "x" is fine
    assert editor.markerGet(1) & (1 << MARKER_ERROR)
    assert editor.markerGet(0) == 0 and editor.markerGet(2) == 0


def test_warning_at_column_zero_covers_the_line_code(make_editor):
    editor = make_editor(BODY)
    editor.set_problems([Problem(1, 0, "warning", "'os' imported but unused")])
    assert editor.indicatorValueAt(INDIC_WARNING, 0) == 1
    assert editor.indicatorValueAt(INDIC_WARNING, len("import os") - 1) == 1
    assert editor.indicatorValueAt(INDIC_ERROR, 0) == 0
    assert editor.markerGet(0) == 1 << MARKER_WARNING


def test_new_set_replaces_the_old_one_and_empty_set_clears(make_editor):
    editor = make_editor(BODY)
    first = [Problem(2, 4, "error", "a"), Problem(1, 0, "warning", "b")]
    editor.set_problems(first)
    assert editor.problems() == first
    editor.set_problems([Problem(3, 3, "error", "c")])
    assert editor.markerGet(0) == 0 and editor.markerGet(1) == 0
    assert editor.indicatorValueAt(INDIC_ERROR, editor.positionFromLine(1) + 4) == 0
    assert editor.markerGet(2) & (1 << MARKER_ERROR)
    editor.set_problems([])
    assert editor.problems() == []
    assert all(editor.markerGet(line) == 0 for line in range(editor.lineCount()))


def test_problem_lines_out_of_range_are_clamped(make_editor):
    editor = make_editor("x = 1\n")
    editor.set_problems([Problem(99, 40, "error", "unexpected EOF")])
    assert editor.markerGet(editor.lineCount() - 1) & (1 << MARKER_ERROR)


def test_tooltip_text_over_marker_and_squiggle(make_editor):
    editor = make_editor(BODY)
    editor.set_problems([Problem(2, 4, "error", "undefined name 'undefined_name'"),
                         Problem(2, 0, "warning", "line is odd")])
    marker = _marker_point(editor, 1)
    margin_text = editor.tooltip_text_at(marker.x(), marker.y())
    assert "Error: undefined name 'undefined_name'" in margin_text
    assert "Warning: line is odd" in margin_text
    squiggle = _token_point(editor, editor.positionFromLine(1) + 6, 1)
    assert "undefined name" in editor.tooltip_text_at(squiggle.x(), squiggle.y())
    clean = _token_point(editor, editor.positionFromLine(2) + 1, 2)
    assert editor.tooltip_text_at(clean.x(), clean.y()) == ""


def test_tooltip_follows_the_line_when_text_is_inserted_above(make_editor, qtbot):
    editor = make_editor(BODY)
    editor.set_problems([Problem(2, 4, "error", "undefined name 'undefined_name'")])
    editor.gotoPos(0)
    qtbot.keyClicks(editor, "# new line")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    marker = _marker_point(editor, 2)
    assert "undefined name" in editor.tooltip_text_at(marker.x(), marker.y())


def test_hovering_a_squiggle_shows_the_tooltip(make_editor, qtbot):
    editor = make_editor(BODY)
    editor.setMouseDwellTime(50)
    editor.set_problems([Problem(2, 4, "error", "undefined name 'undefined_name'")])
    point = _token_point(editor, editor.positionFromLine(1) + 6, 1)
    qtbot.mouseMove(editor.viewport(), point)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and "undefined name" in QToolTip.text(),
                    timeout=3000)
    QToolTip.hideText()


def test_set_text_clears_problems(make_editor):
    editor = make_editor(BODY)
    editor.set_problems([Problem(2, 4, "error", "x")])
    editor.set_text("y = 2\n")
    assert editor.problems() == []
    assert editor.markerGet(0) == 0


def test_an_error_marker_does_not_look_like_a_breakpoint(editor):
    """Both sit in the same margin in the same red: an error is a square, a breakpoint
    the usual dot (a conditional one an orange dot), so the eye tells them apart."""
    from scheduler_studio.gui.editor.breakpoints import MARKER_BREAKPOINT, MARKER_CONDITIONAL
    from scheduler_studio.gui.editor.margins import MARKER_ERROR, MARKER_WARNING
    symbols = {n: editor.markerSymbolDefined(n)
               for n in (MARKER_ERROR, MARKER_WARNING, MARKER_BREAKPOINT, MARKER_CONDITIONAL)}
    assert symbols[MARKER_ERROR] not in (symbols[MARKER_BREAKPOINT],
                                         symbols[MARKER_CONDITIONAL]), symbols
    assert symbols[MARKER_WARNING] not in (symbols[MARKER_BREAKPOINT],
                                           symbols[MARKER_CONDITIONAL]), symbols
