"""A module open whole is saved in the encoding its text declares, byte for byte.

What the user sees in the editor is what Python reads back from the file:
after "convert to UTF-8" the editor shows the new cookie (an undoable edit),
a cookie edited by hand decides the encoding, and a save without edits, or
with one, leaves every other byte as it was (cookie, BOM, CRLF, no final
newline).
"""
from __future__ import annotations

import io
import tokenize

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from scheduler_studio.gui.window import prompts
from tests.gui.window.conftest import Answer, focus
from tests.gui.window.test_raw_module import opened

CTRL = Qt.KeyboardModifier.ControlModifier
LATIN1 = ("# -*- coding: latin-1 -*-\n"
          "x = 'caf\xe9'\n"
          "def broken(:\n"
          "    pass\n")


def python_reads(data: bytes) -> str:
    """The text Python 3 reads from these bytes (PEP 263 cookie, BOM; line ends kept)."""
    encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="").read()


def type_keys(editor, text: str) -> None:
    """Type ``text`` key by key, as a keyboard layout sends it (QTest.keyClicks
    knows no key for a character like \u20ac)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     char))


def type_at_end(editor, text: str) -> None:
    focus(editor)
    editor.documentEnd()
    type_keys(editor, text)


def save(qtbot, window) -> None:
    qtbot.keyClick(window.raw_page.editor, Qt.Key.Key_S, CTRL)


def test_convert_to_utf8_shows_the_new_cookie_and_later_saves_stay_readable(
        make_window, qtbot, tmp_path, monkeypatch):
    module = tmp_path / "latin.py"
    module.write_bytes(LATIN1.encode("latin-1"))
    window, _error = opened(make_window, module)
    editor = window.raw_page.editor
    type_at_end(editor, "y = '\u20ac'")
    convert = Answer("convert")
    monkeypatch.setattr(prompts, "ask_convert_to_utf8", convert)
    save(qtbot, window)
    assert len(convert.calls) == 1
    assert editor.text().splitlines()[0] == "# -*- coding: utf-8 -*-"  # what the file says
    assert python_reads(module.read_bytes()) == editor.text()
    assert not window.isWindowModified()

    type_at_end(editor, "z")   # the next edit must not bring the old cookie back
    assert window.isWindowModified()
    save(qtbot, window)
    assert len(convert.calls) == 1    # it is UTF-8 now: no second question
    on_disk = python_reads(module.read_bytes())
    assert on_disk == editor.text() and "x = 'caf\xe9'" in on_disk
    assert on_disk.endswith("y = '\u20ac'z")
    assert not window.isWindowModified()


def test_the_converted_cookie_is_one_undo_step_and_undoing_it_asks_again(
        make_window, qtbot, tmp_path, monkeypatch):
    module = tmp_path / "latin.py"
    module.write_bytes(LATIN1.encode("latin-1"))
    window, _error = opened(make_window, module)
    editor = window.raw_page.editor
    type_at_end(editor, "y = '\u20ac'")
    typed = editor.text()
    monkeypatch.setattr(prompts, "ask_convert_to_utf8", Answer("convert"))
    save(qtbot, window)
    converted = module.read_bytes()
    assert editor.text() != typed
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == typed            # the cookie is latin-1 again, € kept
    assert window.isWindowModified()
    refuse = Answer("cancel")
    monkeypatch.setattr(prompts, "ask_convert_to_utf8", refuse)
    save(qtbot, window)                       # latin-1 cannot hold €: asked, refused
    assert len(refuse.calls) == 1 and module.read_bytes() == converted
    assert window.isWindowModified()


@pytest.mark.parametrize("edit", ["retype the cookie", "delete the cookie line"])
def test_a_cookie_edited_by_hand_decides_the_encoding(make_window, qtbot, tmp_path, edit):
    text = LATIN1.replace("latin-1", "utf-8")
    module = tmp_path / "mine.py"
    module.write_bytes(text.encode("utf-8") if edit == "retype the cookie"
                       else LATIN1.encode("latin-1"))
    window, _error = opened(make_window, module)
    editor = window.raw_page.editor
    focus(editor)
    editor.gotoPos(0)
    if edit == "retype the cookie":   # utf-8 -> latin-1, as a user types it
        editor.setSelection(len("# -*- coding: "), len("# -*- coding: utf-8"))
        qtbot.keyClicks(editor, "latin-1")
        assert editor.text().splitlines()[0] == "# -*- coding: latin-1 -*-"
    else:                             # no cookie: Python 3 reads UTF-8
        editor.setSelection(0, len(LATIN1.splitlines()[0]) + 1)
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
        assert editor.text().startswith("x = 'caf\xe9'")
    save(qtbot, window)
    assert python_reads(module.read_bytes()) == editor.text()
    assert not window.isWindowModified()


# Hand-written files: (name, bytes). Each has a syntax error on a line "def broken(:".
FILES = [
    ("latin1-crlf", ("# -*- coding: latin-1 -*-\r\nx = 'caf\xe9'\r\ndef broken(:\r\n"
                     "    pass\r\n").encode("latin-1")),
    ("bom-crlf", ("\ufeffx = 'caf\xe9 \u20ac'\r\ndef broken(:\r\n    pass\r\n").encode("utf-8")),
    ("bom-cookie", ("\ufeff# coding: utf-8\nx = '\u20ac'\ndef broken(:\n").encode("utf-8")),
    ("cp1252-shebang", ("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n"
                        "x = '\u20ac caf\xe9'\ndef broken(:\n    pass").encode("cp1252")),
    ("mixed-ends", ("# coding=latin-1\nx = '\xe9'\r\ndef broken(:\r    pass\n"
                    "\t# tab  \n").encode("latin-1")),
]


@pytest.mark.parametrize("name,data", FILES, ids=[name for name, _ in FILES])
def test_an_unedited_save_keeps_every_byte(make_window, qtbot, tmp_path, name, data):
    module = tmp_path / f"{name}.py"
    module.write_bytes(data)
    window, _error = opened(make_window, module)
    assert window.raw_page is not None
    assert window.raw_page.editor.text() == python_reads(data)
    assert window.files.write(module)
    assert module.read_bytes() == data


@pytest.mark.parametrize("name,data", FILES, ids=[name for name, _ in FILES])
def test_an_edit_changes_only_the_edited_bytes(make_window, qtbot, tmp_path, name, data):
    module = tmp_path / f"{name}.py"
    module.write_bytes(data)
    window, _error = opened(make_window, module)
    editor = window.raw_page.editor
    focus(editor)
    editor.go_to_line(python_reads(data).count("\n", 0, python_reads(data).index("def broken"))
                      + 1)   # "\n" counts lines for "\n" and "\r\n" files alike
    editor.lineEnd()
    type_keys(editor, " # \xe9")
    save(qtbot, window)
    encoding = "latin-1" if b"latin-1" in data else "cp1252" if b"cp1252" in data else "utf-8"
    expected = data.replace(b"def broken(:", b"def broken(: # " + "\xe9".encode(encoding), 1)
    assert module.read_bytes() == expected
    assert python_reads(expected) == editor.text()


def test_the_encoding_comes_from_the_text_being_saved():
    from scheduler_studio.engine.codegen.errors import SchedulerParseError
    from scheduler_studio.gui.window.raw_text import raw_module

    error = SchedulerParseError("m.py", 3, "syntax")
    raw = raw_module(LATIN1.encode("latin-1"), "m.py", error)
    assert raw.encoding_for(raw.text) == "iso8859-1"
    assert raw.encoding_for("#!/bin/python\r\n# coding: cp1252\r\n") == "cp1252"
    assert raw.encoding_for("x = 1\n# coding: cp1252\n") == "utf-8"     # not a cookie there
    assert raw.encoding_for("# coding: utf-8-sig\n") == "utf-8"
    for nonsense in ("# coding: lat\n", "# coding: rot13\n"):   # half typed, not text
        assert raw.encoding_for(nonsense) == "iso8859-1"             # the file's own
        assert raw.encode(nonsense) == nonsense.encode("latin-1")
    bom = raw_module(b"\xef\xbb\xbfx = 1\ndef broken(:\n", "b.py", error)
    assert bom.encode(bom.text + "\u20ac") == b"\xef\xbb\xbfx = 1\ndef broken(:\n\xe2\x82\xac"
