"""Parameters inherited from a base class's code-built templateBody, and modules with
more than one scheduler class: the window shows what is there and says where from."""
from __future__ import annotations

from PySide6.QtCore import Qt

from scheduler_studio.engine.codegen import parse
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.module_classes import inherited_template, other_schedulers
from tests.gui.window.conftest import wait_checked

TWO = '''import json, pdg
from pdg.scheduler import PyScheduler

NAMES = ("pool", "group")
PARMS = [dict(name=n, label=n.title(), type="String", value="") for n in NAMES]

class _Base(PyScheduler):
    @classmethod
    def templateBody(cls):
        return json.dumps({"name": cls.templateName(), "parameters": PARMS})

class AlphaScheduler(_Base):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.Succeeded

class BetaScheduler(AlphaScheduler):
    pass

def registerTypes(type_registry):
    type_registry.registerScheduler(AlphaScheduler, label="Alpha")
    type_registry.registerScheduler(BetaScheduler, label="Beta")
'''
BUILT = TWO.replace('PARMS = [dict(name=n, label=n.title(), type="String", value="") '
                    'for n in NAMES]', 'PARMS = load_parms_from_disk()')


def _window(make_window, tmp_path, text):
    path = tmp_path / "two.py"
    path.write_text(text)
    return make_window(parse(path.read_bytes(), str(path)), path)


def test_inherited_parameters_are_listed_read_only_with_where_they_come_from(
        make_window, qtbot, tmp_path):
    window = _window(make_window, tmp_path, TWO)
    window.tabs.setCurrentWidget(window.pages[fields.PARAMETERS_PAGE])
    table = window.parameters
    model = table.table_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["pool", "group"]
    assert model.index(0, 1).data() == "Pool"
    assert table.notice.isVisible()
    assert "_Base.templateBody" in table.notice.text() and "line 8" in table.notice.text()
    assert not table.add_button.isEnabled() and not table.remove_button.isEnabled()
    assert "note above" in table.add_button.toolTip()
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    table.view.setCurrentIndex(model.index(0, 0))
    assert not model.setData(model.index(0, 0), "renamed")
    assert window.document_model.value(fields.PARAMETERS) == ()  # nothing written
    assert not window.isWindowModified()
    working = window.header.edits["working_dir"]
    assert not working.isEnabled() and "_Base.templateBody" in working.placeholderText()


def test_parameters_built_by_code_it_cannot_read_are_said_not_hidden(make_window, tmp_path):
    window = _window(make_window, tmp_path, BUILT)
    window.tabs.setCurrentWidget(window.pages[fields.PARAMETERS_PAGE])
    table = window.parameters
    assert table.table_model.rowCount() == 0
    assert "not listed here" in table.notice.text() and table.notice.isVisible()
    assert not table.add_button.isEnabled()


def test_the_header_names_the_other_scheduler_classes(make_window, qtbot, tmp_path):
    window = _window(make_window, tmp_path, TWO)
    note = window.header.other_classes
    assert note.isVisible()
    assert "AlphaScheduler" in note.text() and "BetaScheduler" in note.text()
    assert "_Base" not in note.text()  # a base nobody registers is not offered


def test_one_scheduler_class_says_nothing(make_window, qtbot, tmp_path):
    text = TWO.replace("class BetaScheduler(AlphaScheduler):\n    pass\n", "").replace(
        '    type_registry.registerScheduler(BetaScheduler, label="Beta")\n', "")
    window = _window(make_window, tmp_path, text)
    assert not window.header.other_classes.isVisible()


def test_a_working_dir_callback_is_named_in_the_working_directory_field(make_window, qtbot):
    window = make_window()
    window.document_model.set_value("working_dir", "")
    window.document_model.set_value(fields.callback_field("workingDir"),
                                    "return '/farm/jobs'")
    edit = window.header.edits["working_dir"]
    assert "workingDir callback" in edit.placeholderText() and edit.isEnabled()


def test_reading_without_running():
    assert inherited_template("class B:\n    def templateBody(cls):\n"
                              "        return __import__('os').system('x')\n",
                              ("B",)).parameters is None
    assert inherited_template("x = 1\n", ("B",)) is None
    assert other_schedulers(("class A(PyScheduler): pass\nclass B(PyScheduler): pass\n",),
                            "A") == ["B"]
