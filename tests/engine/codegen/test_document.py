"""The document model: normalisation and construction."""
from __future__ import annotations

import pytest

from scheduler_studio.engine.codegen import (FrozenMap, Parameter, SchedulerDocument,
                                             default_document, new_document, parse, render)
from scheduler_studio.engine.codegen.document import class_name_for
from scheduler_studio.engine.codegen.starters import TEMPLATES_DIR


@pytest.mark.parametrize("written, canonical, default, expected", [
    ("int", "Integer", 3.0, 3), ("Integer", "Integer", True, 1),
    ("float", "Float", 2, 2.0), ("string", "String", None, ""),
    ("bool", "Toggle", 1, True), ("Toggle", "Toggle", None, False),
])
def test_parameter_types_are_normalised(written, canonical, default, expected):
    parm = Parameter("p", "P", written, default)
    assert (parm.type, parm.default) == (canonical, expected)
    assert type(parm.default) is type(expected)


@pytest.mark.parametrize("ptype, default", [
    ("Menu", None), ("Integer", 1.5), ("Float", float("nan")),
    ("Toggle", 2), ("String", 3)])
def test_bad_parameters_are_refused(ptype, default):
    with pytest.raises(ValueError):
        Parameter("p", "P", ptype, default)


def test_bodies_are_normalised():
    doc = SchedulerDocument(
        "t", "T", "S", bodies={"onTick": "return 1\r\n\n   \n", "onStop": "  \n"},
        method_names={"onTick": "onTick"}, arg_names={"onStop": ("x",)},
        prelude="a = 1\r\nb = 2", bases=["metaclass=M", "Mixin"])
    assert doc.bodies == {"onTick": "return 1"}
    assert doc.method_names == {} and doc.arg_names == {}
    assert doc.prelude == "a = 1\nb = 2"
    assert doc.bases == ("Mixin", "metaclass=M")
    assert hash(doc) == hash(SchedulerDocument(
        "t", "T", "S", bodies=FrozenMap({"onTick": "return 1"}), prelude="a = 1\nb = 2",
        bases=("Mixin", "metaclass=M")))


@pytest.mark.parametrize("name", ["transferFile", "onAcceptWorkItem", "nope"])
def test_only_callbacks_with_a_field_have_bodies(name):
    with pytest.raises(ValueError):
        SchedulerDocument("t", "T", "S", bodies={name: "return True"})


def test_callbacks_without_a_tab_go_in_extra_members():
    from scheduler_studio.engine.catalogue import for_tab
    extra = "\n\n".join(c.method_text() for c in for_tab(None))
    doc = SchedulerDocument("t", "T", "S", extra_members=extra)
    assert parse(render(doc)[0]) == doc


def test_default_document_is_a_local_scheduler():
    doc = default_document()
    assert doc.use_callback_server and doc.working_dir == "$HIP"
    assert len(doc.bodies) == 16  # every callback on the tabs


def test_new_document_renames():
    doc = new_document("my_farm", "My Farm")
    assert (doc.type_name, doc.label, doc.class_name) == \
        ("my_farm", "My Farm", "MyFarmScheduler")
    assert parse(render(doc)[0]) == doc
    with pytest.raises(ValueError):
        new_document("x", "X", template="no-such-template")


def test_new_document_reads_template_files(tmp_path, monkeypatch):
    (tmp_path / "tiny.py").write_text(render(SchedulerDocument(
        "tiny", "Tiny", "Tiny", bodies={"onTick": "return None"}))[0])
    monkeypatch.setattr("scheduler_studio.engine.codegen.starters.TEMPLATES_DIR", tmp_path)
    doc = new_document("mine", "Mine", template="tiny")
    assert doc.bodies == {"onTick": "return None"} and doc.class_name == "MineScheduler"
    assert TEMPLATES_DIR.name == "templates"


@pytest.mark.parametrize("type_name, class_name", [
    ("my_farm", "MyFarmScheduler"), ("dask", "DaskScheduler"),
    ("2d-queue", "Scheduler2dQueue"), ("", "CustomScheduler"),
    ("LocalScheduler", "LocalScheduler")])
def test_class_names(type_name, class_name):
    assert class_name_for(type_name) == class_name
