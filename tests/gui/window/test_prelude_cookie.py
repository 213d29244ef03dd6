"""The field-by-field view saves a module in the encoding its text declares.

Convert to UTF-8 rewrites the coding cookie of the prelude; the prelude's
editor, if it is showing, shows the new cookie as one undoable edit, so its
next key does not copy the old cookie back, and every save reads back (as
Python reads it) as exactly the text the editor shows.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from scheduler_studio.gui.window import fields, prompts
from tests.gui.window.conftest import Answer, focus
from tests.gui.window.test_file_ops import Recorder
from tests.gui.window.test_lossless_save import _open
from tests.gui.window.test_raw_module_bytes import python_reads, type_keys

CTRL = Qt.KeyboardModifier.ControlModifier
LATIN1 = ("# -*- coding: latin-1 -*-\n"
          "import pdg\n"
          "from pdg.scheduler import PyScheduler\n"
          "GREETING = 'caf\xe9'\n"
          "\n\n"
          "class Old(PyScheduler):\n"
          "    def onSchedule(self, work_item):\n"
          "        print(GREETING)\n"
          "        return pdg.scheduleResult.Succeeded\n")


def show_prelude(window):
    window.tabs.setCurrentWidget(window.pages[fields.PRELUDE_PAGE])
    editor = window.editor_for(fields.PRELUDE)
    assert editor.isVisible()
    return editor


def type_after_line(editor, line: int, text: str) -> None:
    """Put the caret at the end of the (1-based) line and type ``text``."""
    focus(editor)
    editor.gotoPos(editor.lineEndPosition(line - 1))
    type_keys(editor, text)


def save(qtbot, editor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)


def module_text(window) -> str:
    return window.document_model.module_text()


def opened_latin1(make_window, monkeypatch, tmp_path):
    module = tmp_path / "old.py"
    module.write_bytes(LATIN1.encode("latin-1"))
    window = make_window()
    _open(window, monkeypatch, module)
    return window, module


def test_convert_shows_the_new_cookie_in_the_prelude_and_later_saves_read_back(
        make_window, qtbot, monkeypatch, tmp_path):
    window, module = opened_latin1(make_window, monkeypatch, tmp_path)
    editor = show_prelude(window)
    assert editor.text().splitlines()[0] == "# -*- coding: latin-1 -*-"
    type_after_line(editor, 4, "  # \u20ac")
    convert = Answer("convert")
    monkeypatch.setattr(prompts, "ask_convert_to_utf8", convert)
    save(qtbot, editor)
    assert len(convert.calls) == 1
    assert editor.text().splitlines()[0] == "# -*- coding: utf-8 -*-"   # what the file says
    assert python_reads(module.read_bytes()) == module_text(window)
    assert not window.isWindowModified()

    type_after_line(editor, 4, "!")   # the next key must not bring the old cookie back
    assert window.isWindowModified()
    assert editor.text().splitlines()[0] == "# -*- coding: utf-8 -*-"
    save(qtbot, editor)
    assert len(convert.calls) == 1    # UTF-8 now: no second question
    on_disk = python_reads(module.read_bytes())
    assert on_disk == module_text(window)
    assert on_disk.startswith("# -*- coding: utf-8 -*-\n")
    assert "GREETING = 'caf\xe9'  # \u20ac!\n" in on_disk
    assert not window.isWindowModified()


def test_the_converted_cookie_is_one_undo_step_and_undoing_it_asks_again(
        make_window, qtbot, monkeypatch, tmp_path):
    window, module = opened_latin1(make_window, monkeypatch, tmp_path)
    editor = show_prelude(window)
    type_after_line(editor, 4, "  # \u20ac")
    typed = editor.text()
    monkeypatch.setattr(prompts, "ask_convert_to_utf8", Answer("convert"))
    save(qtbot, editor)
    converted = module.read_bytes()
    assert editor.text() != typed
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == typed            # latin-1 again, the € kept
    assert window.isWindowModified()
    refuse = Answer("cancel")
    monkeypatch.setattr(prompts, "ask_convert_to_utf8", refuse)
    save(qtbot, editor)                       # latin-1 cannot hold €: asked, refused
    assert len(refuse.calls) == 1 and module.read_bytes() == converted
    assert window.isWindowModified()


def test_a_cookie_retyped_in_the_prelude_decides_the_encoding(make_window, qtbot, monkeypatch,
                                                               tmp_path):
    module = tmp_path / "mine.py"
    module.write_bytes(LATIN1.replace("latin-1", "utf-8").encode("utf-8"))
    window = make_window()
    _open(window, monkeypatch, module)
    editor = show_prelude(window)
    focus(editor)
    editor.setSelection(len("# -*- coding: "), len("# -*- coding: utf-8"))
    qtbot.keyClicks(editor, "latin-1")           # utf-8 -> latin-1, as a user types it
    save(qtbot, editor)
    data = module.read_bytes()
    assert b"GREETING = 'caf\xe9'\n" in data        # latin-1 bytes under the latin-1 cookie
    assert python_reads(data) == module_text(window)
    assert not window.isWindowModified()


def test_a_cookie_deleted_from_the_prelude_leaves_a_utf8_file(make_window, qtbot, monkeypatch,
                                                               tmp_path):
    window, module = opened_latin1(make_window, monkeypatch, tmp_path)
    editor = show_prelude(window)
    focus(editor)
    editor.setSelection(0, len("# -*- coding: latin-1 -*-\n"))
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    save(qtbot, editor)
    data = module.read_bytes()
    assert data.startswith(b"import pdg\n") and "caf\xe9".encode() in data
    assert python_reads(data) == module_text(window)


def test_an_unedited_save_stays_byte_identical(make_window, qtbot, monkeypatch, tmp_path):
    window, module = opened_latin1(make_window, monkeypatch, tmp_path)
    before = module.read_bytes()
    editor = show_prelude(window)
    focus(editor)
    window.document_model.mark_disk_differs()   # as after a reload: Save must write
    save(qtbot, editor)
    assert module.read_bytes() == before


@pytest.mark.parametrize("data, line, says", [
    (b"# coding: rot13\n" + LATIN1.split("\n", 1)[1].encode("latin-1"), 1,
     "'rot13', which is not a text encoding"),
    (b"#!/usr/bin/env python\n# coding: klingon\nimport pdg\n", 2,
     "'klingon', which is no encoding Python knows"),
    (b"\xef\xbb\xbf" + LATIN1.encode("latin-1"), 1,
     "byte-order mark but its coding cookie says latin-1, and Python refuses such a file"),
], ids=["rot13", "unknown", "bom-latin-1"])
def test_a_cookie_python_refuses_is_said_on_open_and_nothing_is_lost(
        make_window, qtbot, monkeypatch, tmp_path, data, line, says):
    window, module = opened_latin1(make_window, monkeypatch, tmp_path)
    editor = show_prelude(window)
    type_after_line(editor, 4, "  # mine")
    typed = editor.text()
    odd = tmp_path / "odd.py"
    odd.write_bytes(data)
    told = Recorder()
    monkeypatch.setattr(prompts, "tell", told)
    monkeypatch.setattr(prompts, "ask_save_changes", Answer("cancel"))
    assert not window.files.open_file(odd)            # asked to keep the edit: cancel
    monkeypatch.setattr(prompts, "ask_save_changes", Answer("discard"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(odd), "")))
    window.actions["file/open"].trigger()
    assert len(told.calls) == 1
    _parent, level, title, message = told.calls[0]
    assert (level, title) == ("critical", "Cannot Open Scheduler")
    assert message.startswith(f"{odd}, line {line}: ") and says in message
    assert "unchanged" in message
    assert window.document_model.path() == module       # the edited document stays
    assert editor.text() == typed and window.isWindowModified()
    assert odd.read_bytes() == data
