"""File > Restore Previous Version brings back what a save replaced (kept in the
studio's backups, not as NAME.py.bak beside the file unless the user asks for it)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from scheduler_studio.engine.appdirs import backup_dir
from scheduler_studio.engine.codegen import render, save_module
from scheduler_studio.engine.codegen.backups import BackupStore
from scheduler_studio.gui.window import fields, prompts
from scheduler_studio.gui.window.restore_version import RestoreVersionDialog
from scheduler_studio.gui.window.templates import template_document
from tests.gui.window.conftest import focus, type_text

ON_TICK = fields.callback_field("onTick")


def _type_and_save(qtbot, window, text):
    editor = window.editor_for(ON_TICK)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, text)
    window.actions["file/save"].trigger()
    assert not window.document_model.is_modified()


def _opened(make_window, qtbot, path):
    """A window on ``path``, once it watches the file (a save before that would look
    like another program's change)."""
    window = make_window(path=path)
    qtbot.waitUntil(lambda: window.files.watcher.path() == path, timeout=5000)
    return window


def _module(tmp_path):
    path = tmp_path / "farm.py"
    save_module(path, render(template_document())[0])
    return path


def test_restore_previous_version_from_the_file_menu(make_window, qtbot, tmp_path, data_dir):
    module = _module(tmp_path)
    window = _opened(make_window, qtbot, module)
    _type_and_save(qtbot, window, "\n# first save")
    _type_and_save(qtbot, window, "\n# second save")
    assert [p.name for p in tmp_path.iterdir() if "farm" in p.name] == ["farm.py"]  # no .bak
    action = window.actions["file/restore_version"]
    assert action in window.menus["&File"].actions()
    action.trigger()
    dialog = window.findChild(RestoreVersionDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.list.count() == 2  # the template, then the first save: newest first
    assert "-        # second save" in dialog.diff.toPlainText().splitlines()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    model = window.document_model
    assert model.value(ON_TICK).endswith("# first save")
    assert model.path() == module and model.is_modified()
    assert "# second save" in module.read_text()  # nothing written until the user saves
    window.actions["file/save"].trigger()
    assert "# first save" in module.read_text() and "# second save" not in module.read_text()
    kept = window.backup_store().versions(module)
    assert "# second save" in kept[0].read().decode()  # the replaced version is kept in turn
    assert all(data_dir in b.path.parents for b in kept)


def test_without_earlier_versions_the_window_says_so(make_window, tmp_path, monkeypatch):
    told = []
    monkeypatch.setattr(prompts, "tell", lambda *args: told.append(args))
    window = make_window(path=_module(tmp_path))
    window.actions["file/restore_version"].trigger()
    assert len(told) == 1 and "No earlier version of farm.py" in told[0][3]
    assert window.findChild(RestoreVersionDialog) is None


def test_the_bak_beside_the_file_is_opt_in_and_remembered(make_window, qtbot, tmp_path):
    module = _module(tmp_path)
    window = _opened(make_window, qtbot, module)
    toggle = window.actions["file/keep_bak"]
    assert not toggle.isChecked()
    _type_and_save(qtbot, window, "\n# no bak")
    assert not (tmp_path / "farm.py.bak").exists()
    toggle.trigger()
    assert toggle.isChecked()
    _type_and_save(qtbot, window, "\n# with bak")
    bak = (tmp_path / "farm.py.bak").read_text()
    assert "# no bak" in bak and "# with bak" not in bak
    assert make_window().actions["file/keep_bak"].isChecked()


def test_a_version_that_does_not_parse_is_refused_and_kept(make_window, tmp_path, data_dir,
                                                            monkeypatch):
    module = tmp_path / "farm.py"
    module.write_text("def broken(:\n")
    save_module(module, render(template_document())[0],
                backups=BackupStore(backup_dir(data_dir)))  # the window's backups
    critical = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: critical.append(args))
    window = make_window(path=module)
    before = window.document_model.document()
    dialog = window.restore_previous_version()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert len(critical) == 1 and "does not read as a scheduler module" in critical[0][2]
    assert window.document_model.document() == before
    assert window.backup_store().versions(module)[0].read() == b"def broken(:\n"
