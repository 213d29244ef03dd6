"""A save that fails, and a file another program changed while edits are unsaved.

A failed write is not an outside change; Reload never destroys unsaved edits
for good; Keep Mine takes the other program's changes to the fields the user
did not edit; the save error's advice fits the reason.
"""
from __future__ import annotations

import errno
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from scheduler_studio.engine.codegen import save as save_impl
from scheduler_studio.gui.window import fields, prompts, restore_version
from tests.gui.window.conftest import Answer, focus, type_text

ON_SCHEDULE = fields.callback_field("onSchedule")
ON_TICK = fields.callback_field("onTick")
CTRL = Qt.KeyboardModifier.ControlModifier

MODULE = b'''"""Trial farm: a hand-written module for the save tests."""
import pdg
from pdg.scheduler import PyScheduler


class TrialScheduler(PyScheduler):
    def onSchedule(self, work_item):
        # schedule it
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        # tick comment
        return pdg.tickResult.SchedulerReady
'''


class Told:
    """Stands in for QMessageBox.critical/warning: records (title, text)."""

    def __init__(self):
        self.calls = []

    def __call__(self, _parent, title, text, *rest):
        self.calls.append((title, text))

    def text(self) -> str:
        return "\n".join(text for _title, text in self.calls)


def _open(make_window, tmp_path, data=MODULE):
    from scheduler_studio.engine.codegen import parse

    path = tmp_path / "trial.py"
    path.write_bytes(data)
    old = os.stat(path).st_mtime_ns - 10_000_000_000  # "mtime older"
    os.utime(path, ns=(old, old))
    window = make_window(parse(data, str(path)), path)
    window.files.watcher.watch(path, data)
    return path, window


def _type_into(qtbot, window, field, text):
    editor = window.editor_for(field)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, text)
    return editor


def _fail_writes(monkeypatch, code):
    def fail(target, _data):
        raise OSError(code, os.strerror(code), str(target))
    monkeypatch.setattr(save_impl, "_write_temp", fail)


# -- 1. a failed save is not an outside change ----------------------------------------
def _failed_save_leaves_all_alone(qtbot, make_window, tmp_path, monkeypatch, code):
    path, window = _open(make_window, tmp_path)
    mtime = os.stat(path).st_mtime_ns
    editor = _type_into(qtbot, window, ON_SCHEDULE, "\n# precious")
    _fail_writes(monkeypatch, code)
    critical = Told()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    ask = Answer("reload")
    monkeypatch.setattr(prompts, "ask_reload", ask)
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert len(critical.calls) == 1 and critical.calls[0][0] == "Save Failed"
    window.files.watcher.check_now()  # as when the window is activated again (Ctrl+O)
    assert not ask.calls
    assert path.read_bytes() == MODULE and os.stat(path).st_mtime_ns == mtime
    assert editor.text().endswith("# precious")
    assert window.document_model.is_modified() and window.isWindowModified()
    return path, window, critical.text()


def test_a_save_on_a_full_disk_is_not_an_outside_change(make_window, qtbot, tmp_path,
                                                        monkeypatch):
    path, window, said = _failed_save_leaves_all_alone(qtbot, make_window, tmp_path,
                                                       monkeypatch, errno.ENOSPC)
    assert "the disk is full" in said and "free some space" in said
    assert "edits are still here" in said
    # An outside change afterwards is still noticed.
    ask = Answer("keep")
    monkeypatch.setattr(prompts, "ask_reload", ask)
    path.write_bytes(MODULE.replace(b"# tick comment", b"# tick, changed"))
    window.files.watcher.check_now()
    assert len(ask.calls) == 1


def test_a_save_on_a_read_only_file_system_is_not_an_outside_change(
        make_window, qtbot, tmp_path, monkeypatch):
    _path, _window, said = _failed_save_leaves_all_alone(qtbot, make_window, tmp_path,
                                                         monkeypatch, errno.EROFS)
    assert "read-only" in said and "Save As" in said
    assert "free some space" not in said


def test_a_read_only_file_says_so_not_free_some_space(make_window, qtbot, tmp_path,
                                                       monkeypatch):
    path, window = _open(make_window, tmp_path)
    editor = _type_into(qtbot, window, ON_SCHEDULE, "\n# precious")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if os.fspath(p) == str(
        path) and mode == os.W_OK else real_access(p, mode, *a, **k))  # root ignores 0444
    critical = Told()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    said = critical.text()
    assert "read-only" in said and "Save As" in said and "free some space" not in said
    assert path.read_bytes() == MODULE


def test_save_as_into_a_folder_that_does_not_exist_says_so(window, qtbot, tmp_path,
                                                             monkeypatch):
    editor = _type_into(qtbot, window, ON_TICK, "\n# mine")
    target = tmp_path / "no such folder" / "mine.py"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    critical = Told()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    said = critical.text()
    assert f"{target.parent} does not exist" in said
    assert "free some space" not in said and "No such file" not in said
    assert not target.parent.exists()
    assert window.document_model.is_modified()


# -- 1b. Reload keeps the unsaved edits where they can be brought back ------------------
def test_reload_over_unsaved_edits_keeps_them_as_a_version_to_restore(
        make_window, qtbot, tmp_path, monkeypatch):
    path, window = _open(make_window, tmp_path)
    _type_into(qtbot, window, ON_SCHEDULE, "\n# precious")
    ask = Answer("reload")
    monkeypatch.setattr(prompts, "ask_reload", ask)
    theirs = MODULE.replace(b"# tick comment", b"# tick, changed")
    path.write_bytes(theirs)
    window.files.watcher.check_now()
    assert len(ask.calls) == 1 and ask.calls[0][2] is True
    assert not window.editor_for(ON_SCHEDULE).text().endswith("# precious")
    assert path.read_bytes() == theirs
    versions = window.backup_store().versions(path)
    assert versions and b"# precious" in versions[0].read()
    assert "Restore Previous Version" in window.status.currentMessage()
    # ...and File > Restore Previous Version brings them back.
    monkeypatch.setattr(prompts, "ask_save_changes", Answer("discard"))
    assert restore_version.restore(window, path, versions[0])
    assert window.editor_for(ON_SCHEDULE).text().endswith("# precious")
    assert window.document_model.is_modified()


def test_the_reload_question_says_where_unsaved_edits_are_kept(monkeypatch):
    asked = []
    monkeypatch.setattr(prompts, "_ask", lambda *args, **kw: asked.append(args) or "reload")
    prompts.ask_reload(None, "trial.py", True, [])
    informative, buttons = asked[0][3], asked[0][4]
    assert "Restore Previous Version" in informative
    assert [answer for _label, _role, answer in buttons] == ["merge", "reload", "keep"]
    assert asked[0][5] == "merge"


# -- 2. Keep Mine takes the other program's changes to the fields not edited ------------
def test_keep_mine_takes_their_change_to_a_method_not_edited(make_window, qtbot, tmp_path,
                                                             monkeypatch):
    path, window = _open(make_window, tmp_path)
    editor = _type_into(qtbot, window, ON_SCHEDULE, "\n# mine")
    ask = Answer("merge")
    monkeypatch.setattr(prompts, "ask_reload", ask)
    theirs = MODULE.replace(b"# tick comment", b"# tick, changed by sed")
    path.write_bytes(theirs)  # sed -i
    window.files.watcher.check_now()
    assert len(ask.calls) == 1 and ask.calls[0][3] == []  # nothing changed on both sides
    assert window.editor_for(ON_TICK).text().startswith("# tick, changed by sed")
    assert window.editor_for(ON_SCHEDULE).text().endswith("# mine")
    assert window.document_model.is_modified()
    assert window.document_model.modified_fields() == {ON_SCHEDULE}
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert path.read_bytes() == theirs.replace(
        b"        return pdg.scheduleResult.Succeeded\n",
        b"        return pdg.scheduleResult.Succeeded\n        # mine\n")
    assert not window.document_model.is_modified()


def test_keep_mine_names_a_field_both_changed_and_keeps_mine_there(make_window, qtbot,
                                                                   tmp_path, monkeypatch):
    path, window = _open(make_window, tmp_path)
    editor = _type_into(qtbot, window, ON_SCHEDULE, "\n# mine")
    ask = Answer("merge")
    monkeypatch.setattr(prompts, "ask_reload", ask)
    theirs = (MODULE.replace(b"# tick comment", b"# tick, theirs")
              .replace(b"# schedule it", b"# schedule it, theirs"))
    path.write_bytes(theirs)
    window.files.watcher.check_now()
    assert ask.calls[0][3] == ["onSchedule"]
    assert window.editor_for(ON_SCHEDULE).text() == (
        "# schedule it\nreturn pdg.scheduleResult.Succeeded\n# mine")
    assert window.editor_for(ON_TICK).text().startswith("# tick, theirs")
    assert "onSchedule" in window.status.currentMessage()
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert path.read_bytes() == MODULE.replace(b"# tick comment", b"# tick, theirs").replace(
        b"        return pdg.scheduleResult.Succeeded\n",
        b"        return pdg.scheduleResult.Succeeded\n        # mine\n")


def test_keep_all_mine_still_overwrites_when_asked(make_window, qtbot, tmp_path,
                                                   monkeypatch):
    path, window = _open(make_window, tmp_path)
    editor = _type_into(qtbot, window, ON_SCHEDULE, "\n# mine")
    monkeypatch.setattr(prompts, "ask_reload", Answer("keep"))
    path.write_bytes(MODULE.replace(b"# tick comment", b"# tick, theirs"))
    window.files.watcher.check_now()
    assert window.editor_for(ON_TICK).text().startswith("# tick comment")
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert b"# tick comment" in path.read_bytes() and b"# mine" in path.read_bytes()


def test_reload_is_refused_when_the_unsaved_edits_cannot_be_kept(make_window, qtbot,
                                                                tmp_path, monkeypatch):
    path, window = _open(make_window, tmp_path)
    _type_into(qtbot, window, ON_SCHEDULE, "\n# precious")
    store = window.backup_store()

    def full(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(store, "add", full)
    monkeypatch.setattr(prompts, "ask_reload", Answer("reload"))
    warning = Told()
    monkeypatch.setattr(QMessageBox, "warning", warning)
    path.write_bytes(MODULE.replace(b"# tick comment", b"# tick, changed"))
    window.files.watcher.check_now()
    assert "not reloaded" in warning.text() and "still here" in warning.text()
    assert window.editor_for(ON_SCHEDULE).text().endswith("# precious")
    assert window.document_model.is_modified()
