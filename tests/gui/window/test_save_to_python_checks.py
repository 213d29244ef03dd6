"""Save To Python asks before writing a module Houdini would not load, and says after
saving what Houdini will see."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.houdini_check import houdini_verdict
from tests.gui.window.conftest import focus, type_text, wait_checked

ON_TICK = fields.callback_field("onTick")

NO_REGISTER = '''\
import pdg
from pdg.scheduler import PyScheduler


class Lonely(PyScheduler):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.Succeeded
'''


class Said:
    """Stands in for QMessageBox.information: keeps the texts."""

    def __init__(self):
        self.texts = []

    def __call__(self, _parent, _title, text):
        self.texts.append(text)


def _answer_question(answer: str, seen: list) -> None:
    """Click `answer` on the modal question once it shows (as the user would)."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append((box.text(), box.informativeText(),
                     sorted(b.text() for b in box.buttons())))
        next(b for b in box.buttons() if b.text() == answer).click()
    QTimer.singleShot(0, click)


def _prefs(tmp_path, monkeypatch):
    prefs = tmp_path / "prefs"
    monkeypatch.setenv("HOUDINI_USER_PREF_DIR", str(prefs))
    return prefs / "pdg" / "types"


def _break_on_tick(qtbot, window) -> None:
    editor = window.editor_for(ON_TICK)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\nif broken")


def test_a_syntax_error_is_said_and_cancel_writes_nothing(window, qtbot, tmp_path, monkeypatch):
    types = _prefs(tmp_path, monkeypatch)
    wait_checked(qtbot, window)
    _break_on_tick(qtbot, window)
    seen = []
    _answer_question("Cancel", seen)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Save To Python
    assert len(seen) == 1
    text, informative, buttons = seen[0]
    assert "Houdini would not load this module" in text
    assert "invalid syntax" in informative or "expected" in informative
    assert buttons == ["Cancel", "Save Anyway"]
    assert window.files._dialog is None or not window.files._dialog.isVisible()
    assert not types.exists() or not list(types.iterdir())


def test_save_anyway_writes_it_and_says_houdini_will_not_load_it(window, qtbot, tmp_path,
                                                                 monkeypatch):
    types = _prefs(tmp_path, monkeypatch)
    wait_checked(qtbot, window)
    _break_on_tick(qtbot, window)
    said = Said()
    monkeypatch.setattr(QMessageBox, "information", said)
    seen = []
    _answer_question("Save Anyway", seen)
    window.actions["file/save_to_python"].trigger()
    assert seen
    dialog = window.files._dialog
    qtbot.waitExposed(dialog)
    dialog.accept()
    assert (types / "localscheduler.py").is_file()
    assert "Houdini will not load this module" in said.texts[0]
    assert "line" in said.texts[0]


def test_a_module_that_loads_is_saved_without_a_question(window, qtbot, tmp_path, monkeypatch):
    types = _prefs(tmp_path, monkeypatch)
    wait_checked(qtbot, window)
    said = Said()
    monkeypatch.setattr(QMessageBox, "information", said)
    asked = []
    monkeypatch.setattr("scheduler_studio.gui.window.save_to_python_dialog.ask_save_anyway",
                        lambda *args: asked.append(args) or "cancel")
    window.actions["file/save_to_python"].trigger()
    window.files._dialog.accept()
    assert not asked
    assert (types / "localscheduler.py").is_file()
    message = said.texts[0]
    assert "TOPs lists the \u201cLocal (processes)\u201d scheduler" in message
    assert "type localscheduler, class LocalScheduler" in message


def test_a_pdg_name_houdini_lacks_asks_first(window, qtbot, tmp_path, monkeypatch):
    _prefs(tmp_path, monkeypatch)
    wait_checked(qtbot, window)
    editor = window.editor_for(ON_TICK)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\nreturn pdg.tickResult.Splendid")
    seen = []
    _answer_question("Cancel", seen)
    window.actions["file/save_to_python"].trigger()
    assert seen and "'pdg.tickResult.Splendid' is not in Houdini's pdg API" in seen[0][1]


def test_a_module_without_register_types_asks_first(window, qtbot, tmp_path, monkeypatch):
    _prefs(tmp_path, monkeypatch)
    lonely = tmp_path / "lonely.py"
    lonely.write_text(NO_REGISTER, encoding="utf-8")
    assert window.files.load(lonely)  # opened as it is: nothing is added to it
    seen = []
    _answer_question("Cancel", seen)
    window.actions["file/save_to_python"].trigger()
    assert seen and "no registerTypes(type_registry) function" in seen[0][1]


def test_the_verdict_names_pdg_names_houdini_lacks():
    verdict = houdini_verdict(NO_REGISTER.replace("Succeeded", "Splendid")
                              + "\n\ndef registerTypes(type_registry):\n"
                                "    type_registry.registerScheduler(Lonely)\n")
    assert not verdict.loads
    assert any("Splendid" in reason for reason in verdict.blockers)
    fine = houdini_verdict(NO_REGISTER + "\n\ndef registerTypes(type_registry):\n"
                                         "    type_registry.registerScheduler(Lonely)\n")
    assert fine.loads and fine.class_name == "Lonely"
    assert any("registerTypes" in reason for reason in houdini_verdict(NO_REGISTER).blockers)
    no_class = houdini_verdict("import pdg\n\ndef registerTypes(type_registry):\n    pass\n")
    assert any("no scheduler class" in reason for reason in no_class.blockers)
