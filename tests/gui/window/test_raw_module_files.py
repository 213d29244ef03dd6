"""A module open whole names its own file, and its autosave is judged like its text.

Save To Python and Save As suggest the whole module's own file name, never
the type name of the scheduler open before it (accepting that wrote over
the other scheduler); an autosave holding exactly what a latin-1 or BOM
file holds is removed silently, not offered with a diff of its cookie line.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from scheduler_studio.engine.codegen.errors import SchedulerParseError
from scheduler_studio.gui.window import prompts, save_to_python_dialog
from scheduler_studio.gui.window.autosave import WindowIdentity, write_autosave
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.raw_text import raw_module
from scheduler_studio.gui.window.templates import new_from_template, template_document
from tests.gui.window.conftest import Answer
from tests.gui.window.test_raw_module import BROKEN, opened


def window_on_myfarm(make_window, tmp_path):
    """A window that had myfarm.py open (type name myfarm), then opened a broken other.py."""
    window = make_window(new_from_template("local", "myfarm", "My Farm"))
    assert window.files.write(tmp_path / "myfarm.py")
    other = tmp_path / "other.py"
    other.write_text(BROKEN)
    assert window.files.open_file(other)
    assert window.raw_page is not None
    return window, other


def test_save_to_python_of_a_broken_module_suggests_its_own_name(make_window, tmp_path,
                                                                 monkeypatch):
    window, other = window_on_myfarm(make_window, tmp_path)
    monkeypatch.setenv("HOUDINI_USER_PREF_DIR", str(tmp_path / "prefs"))
    monkeypatch.setattr(save_to_python_dialog, "ask_save_anyway", Answer("save"))
    window.actions["file/save_to_python"].trigger()
    dialog = window.files._dialog
    assert dialog.file_name.text() == "other.py"
    assert dialog.target() == tmp_path / "prefs" / "pdg" / "types" / "other.py"


@pytest.mark.parametrize("action", ["file/save_as", "file/save_to_python"])
def test_a_whole_module_without_a_file_suggests_a_neutral_name(make_window, tmp_path,
                                                               monkeypatch, action):
    window, other = window_on_myfarm(make_window, tmp_path)
    model = window.document_model
    model.set_raw(raw_module(BROKEN.encode(), "<recovered>",
                             SchedulerParseError("<recovered>", 6, "syntax")), None)
    asked = Answer(("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", asked)
    monkeypatch.setenv("HOUDINI_USER_PREF_DIR", str(tmp_path / "prefs"))
    monkeypatch.setattr(save_to_python_dialog, "ask_save_anyway", Answer("save"))
    window.actions[action].trigger()
    if action == "file/save_as":
        (_parent, _title, suggested, _filter), = asked.calls
        assert Path(suggested).name == "scheduler.py"
    else:
        assert window.files._dialog.file_name.text() == "scheduler.py"


@pytest.mark.parametrize("name,data", [
    ("latin1", ("# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n" + BROKEN).encode("latin-1")),
    ("bom", ("\ufeff" + BROKEN.replace("\n", "\r\n")).encode("utf-8")),
])
def test_a_whole_module_autosave_equal_to_the_file_is_removed_silently(
        make_window, tmp_path, data_dir, monkeypatch, name, data):
    module = tmp_path / f"{name}.py"
    module.write_bytes(data)
    dead = DocumentModel(template_document())
    dead.set_raw(raw_module(data, str(module), SchedulerParseError(str(module), 1, "x")),
                 module)
    autosave = data_dir / "autosave" / f"{name}0001.json"   # a window killed unedited
    write_autosave(autosave, dead, module, module.name,
                   WindowIdentity(4242, 1, time.time() - 600))
    autosave.with_suffix(".lock").write_text("")
    ask = Answer("recover")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window, _error = opened(make_window, module)
    assert not window.offer_recovery()
    assert ask.calls == [] and not autosave.exists()


def test_a_latin1_autosave_offer_diffs_only_the_edit(make_window, tmp_path, data_dir,
                                                     monkeypatch):
    data = ("# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n" + BROKEN).encode("latin-1")
    module = tmp_path / "latin.py"
    module.write_bytes(data)
    dead = DocumentModel(template_document())
    raw = raw_module(data, str(module), SchedulerParseError(str(module), 1, "x"))
    dead.set_raw(raw, module)
    dead.set_raw_text(raw.text + "# typed\n")
    autosave = data_dir / "autosave" / "latin0001.json"
    write_autosave(autosave, dead, module, module.name,
                   WindowIdentity(4242, 1, time.time() - 600))
    autosave.with_suffix(".lock").write_text("")
    ask = Answer("later")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window, _error = opened(make_window, module)
    window.offer_recovery()
    (_parent, offer), = ask.calls
    changed = [line for line in offer.diff.splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["+# typed"]
