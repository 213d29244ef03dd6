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
