"""Open a module a TD wrote, save it: the file keeps every byte the user did not edit."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from scheduler_studio.gui.window import fields, prompts
from tests.gui.window.conftest import focus, type_text
from tests.gui.window.test_file_ops import Recorder

MODULES = Path(__file__).resolve().parents[2] / "data" / "modules"
CTRL = Qt.KeyboardModifier.ControlModifier


def _open(window, monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(path), "")))
    window.actions["file/open"].trigger()
    assert window.document_model.path() == path


def _save(qtbot, window, editor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert not window.isWindowModified()


def _changed_rows(before: bytes, after: bytes):
    a, b = before.splitlines(True), after.splitlines(True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]


@pytest.fixture(params=["licensed_rush_like.py", "farm_mixins.py", "hda_local_subclass.py"])
def module(request, tmp_path):
    target = tmp_path / request.param
    shutil.copyfile(MODULES / request.param, target)
    return target


def test_ctrl_s_without_an_edit_writes_the_same_bytes(make_window, qtbot, monkeypatch,
                                                      module):
    before = module.read_bytes()
    window = make_window()
    _open(window, monkeypatch, module)
    editor = window.editor_for(fields.callback_field("onSchedule"))
    focus(editor)
    window.document_model.mark_disk_differs()  # as after a reload: Save must write
    _save(qtbot, window, editor)
    assert module.read_bytes() == before


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_typing_in_one_callback_changes_only_that_method(make_window, qtbot, monkeypatch,
                                                         tmp_path, crlf):
    module = tmp_path / "farm.py"
    data = (MODULES / "licensed_rush_like.py").read_bytes()
    module.write_bytes(data.replace(b"\n", b"\r\n") if crlf else data)
    before = module.read_bytes()
    window = make_window()
    _open(window, monkeypatch, module)
    method = window.document_model.document().origin.methods["onSchedule"]
    editor = window.editor_for(fields.callback_field("onSchedule"))
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\nlog.info('sent %s', work_item.name)")
    _save(qtbot, window, editor)
    after = module.read_bytes()
    hunks = _changed_rows(before, after)
    assert hunks and all(method.first <= i1 and i2 <= method.last + 1 for i1, i2 in hunks)
    assert b"        log.info('sent %s', work_item.name)" + (b"\r\n" if crlf else b"\n") \
        in after
    if crlf:
        assert b"\n" not in after.replace(b"\r\n", b"")


def test_a_computed_template_body_shows_read_only_parameters(make_window, monkeypatch):
    window = make_window()
    _open(window, monkeypatch, MODULES / "computed_template.py")
    window.tabs.setCurrentWidget(window.pages[fields.PARAMETERS_PAGE])
    page = window.parameters
    assert not page.add_button.isEnabled()
    assert "built by code" in page.notice.text()
    index = page.table_model.index(0, 0)
    assert not page.table_model.flags(index) & Qt.ItemFlag.ItemIsEditable


def test_a_character_latin1_lacks_offers_to_convert(make_window, qtbot, monkeypatch,
                                                    tmp_path):
    module = tmp_path / "old.py"
    module.write_bytes(b"# -*- coding: latin-1 -*-\nimport pdg\nfrom pdg.scheduler import "
                       b"PyScheduler\n\n\nclass Old(PyScheduler):\n    def onSchedule(self, "
                       b"work_item):\n        print('caf\xe9')\n        return None\n")
    window = make_window()
    _open(window, monkeypatch, module)
    editor = window.editor_for(fields.callback_field("onSchedule"))
    focus(editor)
    editor.documentEnd()
    editor.replaceSel("\n# \u2603")  # pasted: keyClicks cannot type it offscreen
    asked = Recorder("cancel")
    monkeypatch.setattr(prompts, "ask_convert_to_utf8", asked)
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert asked.calls and "line 10" in asked.text()
    assert module.read_bytes().count(b"caf\xe9") == 1 and window.isWindowModified()
    asked.answer = "convert"
    _save(qtbot, window, editor)
    data = module.read_bytes()
    assert data.startswith(b"# -*- coding: utf-8 -*-\n")
    assert "caf\u00e9".encode() in data and "# \u2603".encode() in data
