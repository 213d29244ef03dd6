"""A traceback line in the rendered module leads back to the field line."""
from __future__ import annotations

import traceback
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_studio.engine.codegen import default_document, render
from scheduler_studio.engine.codegen.lines import py_string

from .conftest import TypeRegistry, run_module

FILENAME = "scheduler_under_test.py"


def _raised_at(excinfo) -> int:
    frames = [f for f in traceback.extract_tb(excinfo.tb) if f.filename == FILENAME]
    return frames[-1].lineno


def _with(**fields):
    doc = default_document()
    if "bodies" in fields:
        fields["bodies"] = {**doc.bodies, **fields["bodies"]}
    return replace(doc, **fields)


def test_exception_in_callback_maps_to_its_line(fake_pdg):
    body = "x = 1\n# a comment\n\ns = '''\n text\n'''\nif x:\n    raise RuntimeError('boom')"
    doc = _with(bodies={"onSchedule": body})
    text, line_map = render(doc)
    scheduler = run_module(text, FILENAME)["PythonScheduler"](None, "local")
    with pytest.raises(RuntimeError) as info:
        scheduler.onSchedule(None)
    assert line_map[_raised_at(info) - 1] == ("callback:onSchedule", 7)


def test_exception_in_prelude_extra_members_and_trailer(fake_pdg):
    doc = _with(
        prelude='"""Doc."""\n\nimport os\n\n\ndef fail():\n    raise KeyError("p")',
        extra_members="def helper(self):\n    # why\n    raise ValueError('m')",
        trailer="def late():\n    raise LookupError('t')",
        bodies={"onTick": "self.helper()", "onStop": "fail()"})
    text, line_map = render(doc)
    namespace = run_module(text, FILENAME)
    scheduler = namespace["PythonScheduler"](None, "local")
    with pytest.raises(KeyError) as info:
        scheduler.onStop()
    assert line_map[_raised_at(info) - 1] == ("prelude", 6)
    with pytest.raises(ValueError) as info:
        scheduler.onTick()
    assert line_map[_raised_at(info) - 1] == ("extra_members", 2)
    with pytest.raises(LookupError) as info:
        namespace["late"]()
    assert line_map[_raised_at(info) - 1] == ("trailer", 1)


def test_rendered_module_registers_and_runs(fake_pdg):
    doc = _with(bodies={"onTick": "return pdg.tickResult.SchedulerReady"})
    namespace = run_module(render(doc)[0], FILENAME)
    registry = TypeRegistry()
    namespace["registerTypes"](registry)
    cls, label = registry.registered[0]
    assert label == "Python Scheduler"
    assert cls.templateName() == "pythonscheduler"
    assert cls(None, "x").onTick() == "SchedulerReady"


def test_generated_lines_map_to_none():
    text, line_map = render(default_document())
    lines = text.split("\n")
    for line, where in zip(lines, line_map):
        if line.strip().startswith(("def ", "@classmethod", "import ", "from ")):
            assert where is None or where[0] == "prelude"


# Lines that cannot raise, written before the one that does.
_quiet = st.one_of(
    st.just(""), st.just("   "),
    st.text(max_size=10).filter(lambda t: "\n" not in t and "\r" not in t
                                and "\0" not in t).map(lambda t: "# " + t),
    st.text(max_size=10).map(lambda t: "v = " + py_string(t)),
    st.just("s = '''\nin a string\n  indented\n'''"),
    st.just("if True:\n\tpass"),
)


# The stand-in pdg is the same for every example: sharing it is fine.
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_quiet, max_size=6), st.sampled_from(
    ["onTick", "onStart", "onStop", "workItemResultServerAddr"]))
def test_any_body_line_maps_back(fake_pdg, lines, callback):
    body = "\n".join(lines + ["raise RuntimeError('here')"])
    doc = _with(bodies={callback: body})
    text, line_map = render(doc)
    scheduler = run_module(text, FILENAME)["PythonScheduler"](None, "local")
    with pytest.raises(RuntimeError) as info:
        getattr(scheduler, callback)()
    raise_line = len(doc.bodies[callback].split("\n")) - 1
    assert line_map[_raised_at(info) - 1] == (f"callback:{callback}", raise_line)
