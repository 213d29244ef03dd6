"""The Working Directory field names where the value really comes from: a subclass with
its own templateBody edits that one, not its base's."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.window.conftest import focus, type_text
from tests.gui.window.test_class_chooser import _choose

CTRL = Qt.KeyboardModifier.ControlModifier

BASE = '''\
import json

import pdg
from pdg.scheduler import PyScheduler


class StudioFarmScheduler(PyScheduler):
    @classmethod
    def templateName(cls):
        return "studiofarm"

    @classmethod
    def templateBody(cls):
        return json.dumps({
            "name": "studiofarm",
            "parameters": [
                {"name": "sf_pool", "label": "Pool", "type": "String", "size": 1, "value": "cpu"},
            ],
        })

    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded


class StudioGPUScheduler(StudioFarmScheduler):
    @classmethod
    def templateName(cls):
        return "studiogpu"

{GPU_BODY}
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(StudioFarmScheduler, label="Studio Farm")
    type_registry.registerScheduler(StudioGPUScheduler, label="Studio GPU")
'''

LITERAL = '''\
    @classmethod
    def templateBody(cls):
        return json.dumps({
            "name": "studiogpu",
            "parameters": [
                {"name": "gpu_count", "label": "GPUs", "type": "Integer", "size": 1, "value": 1},
            ],
        })
'''

BY_CODE = '''\
    @classmethod
    def templateBody(cls):
        body = json.loads(StudioFarmScheduler.templateBody())
        body["name"] = "studiogpu"
        return json.dumps(body)
'''

NONE = ""


def _open_gpu(make_window, qtbot, tmp_path, gpu_body):
    path = tmp_path / "studiofarm.py"
    path.write_text(BASE.replace("{GPU_BODY}", gpu_body), encoding="utf-8")
    window = make_window()
    window.files.open_file(path)
    _choose(qtbot, window, "StudioGPUScheduler")
    assert window.document_model.value("class_name") == "StudioGPUScheduler"
    return window, path


def test_a_subclass_with_its_own_literal_template_edits_its_own(make_window, qtbot, tmp_path):
    window, path = _open_gpu(make_window, qtbot, tmp_path, LITERAL)
    edit = window.header.edits["working_dir"]
    assert edit.isEnabled() and window.header.browse_button.isEnabled()
    assert "StudioFarmScheduler" not in edit.placeholderText()
    assert "StudioFarmScheduler" not in edit.toolTip()
    focus(edit)
    type_text(qtbot, edit, "$HIP/gpu")
    qtbot.keyClick(edit, Qt.Key.Key_S, CTRL)
    text = path.read_text(encoding="utf-8")
    gpu = text[text.index("class StudioGPUScheduler"):]
    base = text[:text.index("class StudioGPUScheduler")]
    assert "$HIP/gpu" in gpu and "pdg_workingdir" in gpu
    assert "$HIP/gpu" not in base


def test_a_subclass_whose_template_is_built_by_code_names_its_own(make_window, qtbot,
                                                                  tmp_path):
    window, _ = _open_gpu(make_window, qtbot, tmp_path, BY_CODE)
    edit = window.header.edits["working_dir"]
    assert not edit.isEnabled()
    assert edit.placeholderText() == "set by StudioGPUScheduler.templateBody (built by code)"
    assert "Extra members" in edit.toolTip()
    assert "set by StudioFarmScheduler" not in edit.placeholderText()


def test_a_subclass_without_a_template_names_its_base(make_window, qtbot, tmp_path):
    window, _ = _open_gpu(make_window, qtbot, tmp_path, NONE)
    edit = window.header.edits["working_dir"]
    assert not edit.isEnabled()
    assert edit.placeholderText().startswith("set by StudioFarmScheduler.templateBody")
