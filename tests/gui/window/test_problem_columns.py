"""A problem's column is the editor's column, whatever the module's line endings and
indentation: the squiggle sits under the name, a click in Problems puts the caret on it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from scheduler_studio.gui.editor.indicators import INDIC_WARNING
from scheduler_studio.gui.window import fields
from tests.gui.window.conftest import focus, type_text, wait_checked
from tests.gui.window.test_file_ops import Recorder

ON_SCHEDULE = fields.callback_field("onSchedule")

# Written by hand: a farm scheduler of the kind TDs keep in git. {I} is one indent.
MODULE = """\
import pdg
from pdg.scheduler import PyScheduler


class ColumnFarmScheduler(PyScheduler):
{I}def _job_line(self, procx):
{I}{I}return "job %d" % procx.pid

{I}def onSchedule(self, work_item):
{I}{I}if work_item.index > 100:
{I}{I}{I}return pdg.scheduleResult.Deferred
{I}{I}return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
{I}type_registry.registerScheduler(ColumnFarmScheduler, label="Column Farm")
"""

VARIANTS = {"lf": ("    ", "\n"), "crlf": ("    ", "\r\n"), "tabs": ("\t", "\n"),
            "tabs-crlf": ("\t", "\r\n")}


@pytest.fixture(params=sorted(VARIANTS))
def opened(request, make_window, monkeypatch, tmp_path):
    indent, newline = VARIANTS[request.param]
    path = tmp_path / "columnfarm.py"
    path.write_bytes(MODULE.replace("{I}", indent).replace("\n", newline).encode())
    window = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(path), "")))
    window.actions["file/open"].trigger()
    assert window.document_model.path() == path
    return window


def _retype_line(qtbot, editor, line0: int, text: str) -> None:
    """Select the code of a line (Home, Shift+End) and type over it."""
    focus(editor)
    editor.gotoLine(line0)
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Home)  # the first non-blank character
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    type_text(qtbot, editor, text)


def _line(editor, line0: int) -> str:
    return bytes(editor.getLine(line0)).decode("utf-8")


def _problem(window, editor, name):
    return next((p for p in editor.problems() if name in p.message), None)


def _click_row(qtbot, window, name) -> None:
    qtbot.mouseClick(window.status.checks, Qt.MouseButton.LeftButton)
    view = window.problems_panel.view()
    qtbot.waitUntil(view.isVisible, timeout=3000)
    row = next(i for i, p in enumerate(window.problems_model.problems()) if name in p.message)
    rect = view.visualRect(window.problems_model.index(row, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _assert_on(qtbot, window, editor, line0: int, name: str, word: str) -> None:
    qtbot.waitUntil(lambda: _problem(window, editor, name) is not None, timeout=10000)
    wait_checked(qtbot, window)
    start = editor.positionFromLine(line0) + bytes(editor.getLine(line0)).index(word.encode())
    # the squiggle covers the name, from its first character, and nothing before it
    assert editor.indicatorValueAt(INDIC_WARNING, start) >= 1
    assert editor.indicatorValueAt(INDIC_WARNING, start + len(word) - 1) >= 1
    assert editor.indicatorValueAt(INDIC_WARNING, start - 1) == 0
    _click_row(qtbot, window, name)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=3000)
    assert editor.lineFromPosition(editor.currentPos()) == line0
    assert editor.currentPos() == start
    shown = editor.column(editor.currentPos())
    assert window.status.position.text().endswith(f"Col {shown + 1}")


def test_undefined_name_in_a_callback_is_marked_at_the_editors_column(opened, qtbot):
    window = opened
    wait_checked(qtbot, window)
    editor = window.editor_for(ON_SCHEDULE)
    last = editor.lineCount() - 1
    while not _line(editor, last).strip():
        last -= 1
    _retype_line(qtbot, editor, last, "return pdgx.scheduleResult.Succeeded")
    _assert_on(qtbot, window, editor, last, "pdgx", "pdgx")
    assert editor.column(editor.currentPos()) == len("return ")


def test_nested_line_in_a_callback_expands_its_tab_as_the_editor_does(opened, qtbot):
    window = opened
    wait_checked(qtbot, window)
    editor = window.editor_for(ON_SCHEDULE)
    line0 = next(i for i in range(editor.lineCount()) if "Deferred" in _line(editor, i))
    _retype_line(qtbot, editor, line0, "return pdgy.scheduleResult.Deferred")
    _assert_on(qtbot, window, editor, line0, "pdgy", "pdgy")


def test_undefined_name_in_extra_members_is_marked_at_the_editors_column(opened, qtbot):
    window = opened
    wait_checked(qtbot, window)
    editor = window.editor_for(fields.EXTRA_MEMBERS)
    line0 = next(i for i in range(editor.lineCount()) if "procx.pid" in _line(editor, i))
    _retype_line(qtbot, editor, line0, 'return "job %d" % procy.pid')
    _assert_on(qtbot, window, editor, line0, "procy", "procy")
