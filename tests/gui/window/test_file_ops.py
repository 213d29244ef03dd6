"""Save, reopen, Save To Python, broken files, full disks and the unsaved-changes question."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from scheduler_studio.engine.codegen import SaveError, parse
from scheduler_studio.gui.window import file_ops, fields, prompts
from tests.gui.window.conftest import focus, type_text

ON_TICK = fields.callback_field("onTick")
CTRL = Qt.KeyboardModifier.ControlModifier


class Recorder:
    """Stands in for a static dialog function: records the call, returns ``answer``."""

    def __init__(self, answer=None):
        self.answer = answer
        self.calls = []

    def __call__(self, *args, **kwargs):
        self.calls.append(args)
        return self.answer

    def text(self) -> str:
        return "\n".join(str(a) for call in self.calls for a in call[1:])


def _type_into(qtbot, window, field, text):
    editor = window.editor_for(field)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, text)
    return editor


def test_ctrl_s_saves_and_reopening_gives_the_same_document(make_window, qtbot, tmp_path,
                                                             monkeypatch):
    window = make_window()
    editor = _type_into(qtbot, window, ON_TICK, "\n# checked by the test")
    assert window.isWindowModified()
    target = tmp_path / "mine.py"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        Recorder((str(tmp_path / "mine"), "")))
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert target.is_file()
    assert not window.isWindowModified()
    assert window.document_model.path() == target
    assert "mine.py" in window.windowTitle()
    saved = window.document_model.document()
    assert parse(target.read_bytes(), str(target)) == saved

    other = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(target), "")))
    other.actions["file/open"].trigger()
    assert other.document_model.document() == saved
    assert other.editor_for(ON_TICK).text().endswith("# checked by the test")
    assert not other.document_model.is_modified()
    assert str(target.resolve()) in [str(p) for p in other.recent.paths()]


def test_opening_a_module_that_is_not_text_names_the_line_and_keeps_the_document(
        window, qtbot, tmp_path, monkeypatch):
    _type_into(qtbot, window, ON_TICK, "\n# mine")
    before = window.document_model.document()
    broken = tmp_path / "broken.py"  # a syntax error opens whole instead: test_raw_module
    broken.write_bytes(b"from pdg.scheduler import PyScheduler\n\n\n"
                       b"class Broken(PyScheduler):\n    def onTick(self):\n        '\xff'\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(broken), "")))
    monkeypatch.setattr(prompts, "ask_save_changes", Recorder("discard"))
    critical = Recorder()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    window.actions["file/open"].trigger()
    assert len(critical.calls) == 1
    message = critical.text()
    assert "broken.py" in message and "line 6" in message
    assert window.document_model.document() == before
    assert window.document_model.path() is None
    assert window.editor_for(ON_TICK).text().endswith("# mine")


def test_full_disk_on_save_says_so_and_keeps_the_edits(window, qtbot, tmp_path, monkeypatch):
    _type_into(qtbot, window, ON_TICK, "\n# precious")
    target = tmp_path / "full.py"

    def no_space(path, text, **_options):
        raise SaveError(f"could not save {path}: the disk is full. The file on disk was "
                        "not changed.")

    monkeypatch.setattr(file_ops, "save_module", no_space)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Recorder((str(target), "")))
    critical = Recorder()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    window.actions["file/save"].trigger()
    assert "the disk is full" in critical.text()
    assert "edits are still here" in critical.text()
    assert not target.exists()
    assert window.document_model.is_modified() and window.isWindowModified()
    assert window.editor_for(ON_TICK).text().endswith("# precious")
    assert window.document_model.path() is None


def test_close_with_unsaved_edits_asks_and_cancel_keeps_the_window(window, qtbot, tmp_path,
                                                                   monkeypatch):
    _type_into(qtbot, window, ON_TICK, "\n# unsaved")
    ask = Recorder("cancel")
    monkeypatch.setattr(prompts, "ask_save_changes", ask)
    assert not window.close()
    assert len(ask.calls) == 1 and "closing" in ask.calls[0][2]
    assert window.isVisible()
    assert window.editor_for(ON_TICK).text().endswith("# unsaved")

    ask.answer = "save"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        Recorder((str(tmp_path / "kept.py"), "")))
    assert window.close()
    assert (tmp_path / "kept.py").read_text().count("# unsaved") == 1


def test_save_cancelled_in_the_dialog_keeps_the_window_open(window, qtbot, monkeypatch):
    _type_into(qtbot, window, ON_TICK, "\n# unsaved")
    monkeypatch.setattr(prompts, "ask_save_changes", Recorder("save"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Recorder(("", "")))
    assert not window.close()
    assert window.isVisible()


def test_save_to_python_offers_houdini_pdg_types_and_says_when_houdini_sees_it(
        window, qtbot, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "houdini20.5").mkdir(parents=True)
    (home / "houdini19.5" / "pdg" / "types").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("HOUDINI_USER_PREF_DIR", raising=False)
    information = Recorder()
    monkeypatch.setattr(QMessageBox, "information", information)

    qtbot.mouseClick(window.header.save_button, Qt.MouseButton.LeftButton)
    dialog = window.files._dialog
    qtbot.waitExposed(dialog)
    assert dialog.folders() == [str(home / "houdini20.5" / "pdg" / "types"),
                                str(home / "houdini19.5" / "pdg" / "types")]
    assert "will be created" in dialog.list.item(0).text()
    assert dialog.file_name.text() == "localscheduler.py"
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)

    written = home / "houdini20.5" / "pdg" / "types" / "localscheduler.py"
    assert written.is_file()
    assert parse(written.read_bytes(), str(written)) == window.document_model.document()
    assert "next start" in information.text()
    assert window.document_model.path() == written  # a new document now lives there


def test_save_to_python_of_an_open_file_exports_a_copy(window, qtbot, tmp_path, monkeypatch):
    own = tmp_path / "work" / "farm.py"
    own.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", Recorder((str(own), "")))
    window.actions["file/save_as"].trigger()
    prefs = tmp_path / "prefs"
    monkeypatch.setenv("HOUDINI_USER_PREF_DIR", str(prefs))
    monkeypatch.setattr(QMessageBox, "information", Recorder())
    window.actions["file/save_to_python"].trigger()
    dialog = window.files._dialog
    assert dialog.folders()[0] == str(prefs / "pdg" / "types")
    dialog.accept()
    assert (prefs / "pdg" / "types" / "localscheduler.py").is_file()
    assert window.document_model.path() == own


def test_new_from_template_names_the_type(window, qtbot, monkeypatch):
    window.actions["file/new"].trigger()
    dialog = window.files._dialog
    assert dialog.list.count() >= 1
    assert dialog.list.currentItem().data(Qt.ItemDataRole.UserRole) == "local"
    dialog.type_name.clear()
    qtbot.keyClicks(dialog.type_name, "my_farm")
    dialog.accept()
    model = window.document_model
    assert model.value("type_name") == "my_farm"
    assert model.value("class_name") == "MyFarmScheduler"
    assert model.path() is None and not model.is_modified()
    assert window.header.edits["type_name"].text() == "my_farm"
    assert Path(window.windowTitle().split("[")[0]).name.startswith("my_farm")
