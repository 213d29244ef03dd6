"""File > Copy File Path, Open in IDE and Write Stubs: the bridges to the TD's own IDE."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.ide_helpers import IDE_ENV
from tests.gui.window.conftest import focus, type_text

ON_TICK = fields.callback_field("onTick")


def _saved_window(make_window, tmp_path):
    window = make_window()
    target = tmp_path / "farm.py"
    assert window.files.write(target)
    return window, target


def test_copy_path_puts_the_full_path_on_the_clipboard(make_window, tmp_path):
    window, target = _saved_window(make_window, tmp_path)
    QGuiApplication.clipboard().setText("before")
    window.actions["file/copy_path"].trigger()
    assert QGuiApplication.clipboard().text() == str(target.resolve())
    assert str(target.resolve()) in window.statusBar().currentMessage()


def test_copy_path_of_a_module_never_saved_says_so(make_window):
    window = make_window()
    QGuiApplication.clipboard().setText("before")
    window.actions["file/copy_path"].trigger()
    assert QGuiApplication.clipboard().text() == "before"
    assert "Not saved yet" in window.statusBar().currentMessage()


def test_open_in_ide_saves_the_edits_first_then_runs_the_users_ide(make_window, qtbot,
                                                                    tmp_path, monkeypatch):
    window, target = _saved_window(make_window, tmp_path)
    editor = window.editor_for(ON_TICK)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\n# typed before opening the IDE")
    seen = tmp_path / "ide-saw.txt"
    ide = tmp_path / "fake_ide.py"   # records what the IDE was given and what it read
    ide.write_text("import sys, pathlib\n"
                   f"pathlib.Path({str(seen)!r}).write_text(sys.argv[1] + '\\n' + "
                   "pathlib.Path(sys.argv[1]).read_text())\n", encoding="utf-8")
    monkeypatch.setenv(IDE_ENV, f"{sys.executable} {ide}")
    window.actions["file/open_in_ide"].trigger()
    qtbot.waitUntil(seen.exists, timeout=10000)
    qtbot.waitUntil(lambda: "# typed before opening the IDE" in seen.read_text(), timeout=5000)
    given = seen.read_text().partition("\n")[0]
    assert Path(given) == target and not window.isWindowModified()
    assert "# typed before opening the IDE" in target.read_text(encoding="utf-8")


def test_open_in_ide_without_a_program_says_what_to_set(make_window, tmp_path, monkeypatch):
    window, _ = _saved_window(make_window, tmp_path)
    monkeypatch.delenv(IDE_ENV, raising=False)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    window.actions["file/open_in_ide"].trigger()
    assert IDE_ENV in window.statusBar().currentMessage()


def test_an_ide_command_that_does_not_exist_is_named(make_window, tmp_path, monkeypatch):
    window, _ = _saved_window(make_window, tmp_path)
    monkeypatch.setenv(IDE_ENV, "no-such-ide-here --wait")
    window.actions["file/open_in_ide"].trigger()
    assert "no-such-ide-here" in window.statusBar().currentMessage()


def test_write_stubs_writes_pdg_and_hou_into_the_chosen_folder(make_window, tmp_path,
                                                               monkeypatch):
    window = make_window()
    folder = tmp_path / "stubs"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.actions["file/write_stubs"].trigger()
    pdg = (folder / "pdg" / "__init__.pyi").read_text(encoding="utf-8")
    assert "class scheduleResult" in pdg and (folder / "hou" / "__init__.pyi").is_file()
    assert QGuiApplication.clipboard().text() == str(folder)
    assert "python.analysis.stubPath" in window.statusBar().currentMessage()


def test_write_stubs_into_a_folder_that_cannot_be_written_says_why(make_window, tmp_path,
                                                                   monkeypatch):
    window = make_window()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(blocker))
    window.actions["file/write_stubs"].trigger()
    assert "Cannot write the stubs" in window.statusBar().currentMessage()
