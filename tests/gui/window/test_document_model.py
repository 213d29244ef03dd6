"""The DocumentModel: values, modified fields, documents built on demand, signals."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.doc_codec import document_from_json, document_to_json
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.templates import template_document

ON_TICK = fields.callback_field("onTick")


def test_an_edit_marks_its_field_and_undoing_it_clears_the_mark(qtbot):
    doc = template_document()
    model = DocumentModel(doc)
    original = model.value(ON_TICK)
    with qtbot.waitSignal(model.sig_modified_changed) as changed:
        model.set_value(ON_TICK, original + "\n# more")
    assert changed.args == [True]
    assert model.modified_fields() == {ON_TICK}
    assert model.document().bodies["onTick"].endswith("# more")
    with qtbot.waitSignal(model.sig_modified_changed) as changed:
        model.set_value(ON_TICK, original)
    assert changed.args == [False]
    assert model.document() == doc


def test_document_is_built_once_per_version_and_rendered_once(qtbot):
    model = DocumentModel(template_document())
    assert model.document() is model.document()
    text, line_map = model.rendered()
    assert model.rendered()[0] is text
    version = model.version()
    model.set_value("label", "Other")
    assert model.version() == version + 1
    assert "Other" in model.module_text()


def test_blank_callback_means_no_method(qtbot):
    model = DocumentModel(template_document())
    model.set_value(ON_TICK, "   \n")
    assert "onTick" not in model.document().bodies


def test_mark_saved_and_reset(qtbot, tmp_path):
    model = DocumentModel(template_document())
    model.set_value("label", "X")
    with qtbot.waitSignal(model.sig_path_changed):
        model.mark_saved(tmp_path / "a.py")
    assert not model.is_modified() and model.path() == tmp_path / "a.py"
    other = replace(template_document(), label="Y")
    with qtbot.waitSignal(model.sig_document_reset):
        model.reset(other, None, unsaved=True)
    assert model.is_modified() and model.path() is None
    assert "label" in model.modified_fields()
    assert model.display_name() == "localscheduler (not saved)"
    model.reset(other, Path("b.py"), saved=template_document())
    assert model.modified_fields() == {"label"}


def test_autosave_codec_round_trips_a_document():
    doc = replace(template_document(), arg_names={}, bases=("Extra",))
    assert document_from_json(document_to_json(doc)) == doc
