"""Text, save point, read-only, navigation, folding, zoom and creation cost."""
from __future__ import annotations


from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea, QTabWidget, QVBoxLayout, QWidget
from pyside6_scintilla import Scintilla

from scheduler_studio.gui.editor import CodeEditor
from scheduler_studio.gui.editor.margins import MARGIN_FOLD, MARGIN_LINES

CTRL = Qt.KeyboardModifier.ControlModifier


def test_text_round_trips_unicode_and_normalises_line_ends(editor):
    editor.set_text("s = 'héllo wörld ✓'\r\nt = 2\r\n")
    assert editor.text() == "s = 'héllo wörld ✓'\nt = 2\n"


def test_set_text_is_not_undoable_and_not_modified(editor, qtbot):
    editor.set_text("first\n")
    editor.set_text("second\n")
    assert not editor.is_modified()
    assert not editor.canUndo()
    editor.undo()
    assert editor.text() == "second\n"


def test_typing_modifies_and_save_point_resets(editor, qtbot):
    editor.set_text("x = 1\n")
    with qtbot.waitSignal(editor.sig_modified_changed, check_params_cb=lambda m: m is True):
        qtbot.keyClicks(editor, "y")
    assert editor.is_modified()
    with qtbot.waitSignal(editor.sig_modified_changed, check_params_cb=lambda m: m is False):
        editor.set_save_point()
    assert not editor.is_modified()
    qtbot.keyClicks(editor, "z")
    assert editor.is_modified()
    with qtbot.waitSignal(editor.sig_modified_changed, check_params_cb=lambda m: m is False):
        editor.undo()  # back at the save point
    assert editor.text() == "yx = 1\n"


def test_text_changed_signal_on_typing_and_load(editor, qtbot):
    with qtbot.waitSignal(editor.sig_text_changed):
        qtbot.keyClicks(editor, "a")
    with qtbot.waitSignal(editor.sig_text_changed):
        editor.set_text("b")


def test_read_only_refuses_typing_but_set_text_still_loads(editor, qtbot):
    editor.set_text("keep\n")
    editor.set_read_only(True)
    qtbot.keyClicks(editor, "xyz")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "keep\n"
    editor.set_text("loaded\n")
    assert editor.text() == "loaded\n" and editor.is_read_only()


def test_go_to_line_moves_caret_scrolls_and_focuses(make_editor, qtbot):
    editor = make_editor("\n".join(f"line_{i} = {i}" for i in range(1, 301)), size=(400, 200))
    other = QWidget()
    qtbot.addWidget(other)
    editor.go_to_line(250, 3)
    pos = editor.currentPos()
    assert editor.lineFromPosition(pos) == 249
    assert editor.column(pos) == 3
    first = editor.firstVisibleLine()
    assert first <= 249 < first + editor.linesOnScreen()
    qtbot.waitUntil(editor.hasFocus)


def test_go_to_line_brings_the_editor_into_view_in_tabs(qtbot):
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QWidget(), "first")
    page = QWidget()
    editor = CodeEditor(page)
    QVBoxLayout(page).addWidget(editor)
    tabs.addTab(page, "second")
    editor.set_text("a\nb\nc\n")
    tabs.show()
    qtbot.waitExposed(tabs)
    editor.go_to_line(2)
    assert tabs.currentWidget() is page


def test_go_to_line_scrolls_the_window_to_an_editor_far_down(qtbot):
    """The app stacks ~20 editors in a scroll area: jumping to the last one shows it."""
    area = QScrollArea(widgetResizable=True)
    qtbot.addWidget(area)
    column = QWidget()
    layout = QVBoxLayout(column)
    editors = [CodeEditor() for _ in range(20)]
    for editor in editors:
        editor.setMinimumHeight(150)
        editor.set_text("pass\n")
        layout.addWidget(editor)
    area.setWidget(column)
    area.resize(500, 400)
    area.show()
    qtbot.waitExposed(area)
    editors[-1].go_to_line(1)
    bar = area.verticalScrollBar()
    assert bar.value() > 0
    top = editors[-1].mapTo(column, editors[-1].rect().topLeft()).y()
    assert bar.value() <= top <= bar.value() + area.viewport().height()


def test_line_number_margin_grows_with_line_count(editor):
    editor.set_text("x\n" * 5)
    narrow = editor.marginWidthN(MARGIN_LINES)
    editor.set_text("x\n" * 12000)
    assert editor.marginWidthN(MARGIN_LINES) > narrow


def test_clicking_the_fold_margin_folds_a_block(make_editor, qtbot):
    editor = make_editor("def f():\n    a = 1\n    return a\n\nx = 2\n")
    assert bytes(editor.property("fold")) == b"1"
    editor.colourise(0, -1)
    assert editor.foldLevel(0) & Scintilla.FoldLevel.HeaderFlag
    x = sum(editor.marginWidthN(m) for m in range(MARGIN_FOLD)) + editor.marginWidthN(MARGIN_FOLD) // 2
    y = editor.pointYFromPosition(0) + editor.textHeight(0) // 2
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert not editor.foldExpanded(0)
    assert not editor.lineVisible(1)


def test_zoom_keys_change_zoom_and_margin(editor, qtbot):
    editor.set_text("x = 1\n")
    width = editor.marginWidthN(MARGIN_LINES)
    qtbot.keyClick(editor, Qt.Key.Key_Plus, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Equal, CTRL)
    assert editor.zoom_level() == 2
    assert editor.marginWidthN(MARGIN_LINES) > width
    qtbot.keyClick(editor, Qt.Key.Key_Minus, CTRL)
    assert editor.zoom_level() == 1
    qtbot.keyClick(editor, Qt.Key.Key_0, CTRL)
    assert editor.zoom_level() == 0
    assert editor.marginWidthN(MARGIN_LINES) == width


def test_editor_keys_win_over_window_shortcuts(qtbot):
    """A window action on Ctrl+Z must not steal undo from the focused editor."""
    from PySide6.QtGui import QAction, QKeySequence

    window = QWidget()
    qtbot.addWidget(window)
    editor = CodeEditor(window)
    QVBoxLayout(window).addWidget(editor)
    fired = []
    action = QAction("Undo", window, shortcut=QKeySequence("Ctrl+Z"))
    action.triggered.connect(lambda: fired.append(True))
    window.addAction(action)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    QWidget.setFocus(editor)
    qtbot.keyClicks(editor, "abc")
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == ""
    assert not fired


def test_horizontal_scroll_width_tracks_longest_line(editor):
    editor.set_text("short\n")
    assert editor.scrollWidthTracking()
    assert editor.scrollWidth() < 400


def test_twenty_editors_each_keep_their_own_text(qtbot):
    # how long 20 editors take is `make bench` (bench_timings: "20 editors made and filled")
    editors = [CodeEditor() for _ in range(20)]
    for number, editor in enumerate(editors):
        qtbot.addWidget(editor)
        editor.set_text(f"def onSchedule(self, work_item):\n    return {number}\n")
    assert [e.text().splitlines()[-1] for e in editors] == [
        f"    return {n}" for n in range(20)]


def _colours(widget) -> set[int]:
    image = widget.grab().toImage()
    return {image.pixel(x, y) for x in range(image.width()) for y in range(min(image.height(), 40))}


def test_brace_next_to_caret_and_its_partner_are_lit(make_editor, qtbot):
    from PySide6.QtGui import QColor

    from scheduler_studio.gui.editor.themes import load_theme

    theme = load_theme("light")
    lit = QColor(theme.ui["brace_match_back"]).rgb()
    bad = QColor(theme.ui["brace_bad_fore"]).rgb()
    editor = make_editor("call(a, [b])\nx = (1\n", size=(300, 120))
    assert lit not in _colours(editor)
    editor.gotoPos(4)  # on "("
    qtbot.waitUntil(lambda: lit in _colours(editor))
    editor.gotoPos(editor.positionFromLine(1) + 5)  # after the unclosed "("
    qtbot.waitUntil(lambda: bad in _colours(editor) and lit not in _colours(editor))
