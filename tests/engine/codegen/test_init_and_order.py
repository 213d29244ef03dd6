"""The standard __init__ in its spellings, and member order kept on a round trip."""
from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler_studio.engine.cli import main as cli_main
from scheduler_studio.engine.codegen import SchedulerDocument, parse, render
from scheduler_studio.engine.codegen.document import class_name_for
from scheduler_studio.engine.codegen.starters import TEMPLATES_DIR

from .conftest import run_module

TEMPLATES = sorted(TEMPLATES_DIR.glob("*.py"))
HEAD = "import pdg\nfrom pdg.scheduler import PyScheduler\n"
CSM = "from pdg.job.callbackserver import CallbackServerMixin\n"
REGISTER = "\n\ndef registerTypes(type_registry):\n    type_registry.registerScheduler(S)\n"


def _members(text: str, class_name: str) -> list[tuple[str, str]]:
    tree = ast.parse(text)
    cls = [s for s in tree.body if isinstance(s, ast.ClassDef)
           and s.name == class_name][-1]
    return [(getattr(m, "name", type(m).__name__), ast.dump(m)) for m in cls.body]


def _same_members(text: str, rendered: str, class_name: str = "S") -> bool:
    """The members of ``text`` in the same order and with the same ASTs,
    besides the header members render adds."""
    before = _members(text, class_name)
    after = [m for m in _members(rendered, class_name)
             if m[0] not in GENERATED or m[0] in dict(before)]
    return after == before


def _module(bases: str, init: str, rest: str = "", csm: bool = False) -> str:
    return (HEAD + (CSM if csm else "") + f"\n\nclass S({bases}):\n"
            + "".join("    " + line + "\n" if line else "\n"
                      for line in (init + rest).split("\n")) + REGISTER)


def _init(*calls: str) -> str:
    return "def __init__(self, scheduler, name):\n" + "".join(
        f"    {call}\n" for call in calls)


PY_INIT = "PyScheduler.__init__(self, scheduler, name)"
SUPER_INIT = "super().__init__(scheduler, name)"
GENERATED = {"__init__", "templateName", "templateBody"}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_templates_keep_member_order_and_asts(path: Path):
    text = path.read_text(encoding="utf-8")
    doc = parse(text, str(path))
    assert "def __init__" not in doc.extra_members
    rendered = render(doc.normalised())[0]
    assert _members(rendered, doc.class_name) == _members(text, doc.class_name)
    assert parse(rendered) == doc


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_templates_with_a_template_body_of_their_own_keep_member_order(path: Path):
    # A key the document has no field for keeps templateBody in extra members,
    # which then leads them: it stays above the callbacks.
    text = path.read_text(encoding="utf-8").replace(
        '"parameters": [', '"help": "", "parameters": [', 1)
    doc = parse(text, str(path))
    assert doc.extra_members.startswith("@classmethod\ndef templateBody(cls):")
    rendered = render(doc.normalised())[0]
    assert _members(rendered, doc.class_name) == _members(text, doc.class_name)
    assert parse(rendered) == doc


@pytest.mark.parametrize("flag", ["True", "False"])
def test_callback_server_flag_is_lifted_and_written_back(flag, fake_pdg):
    text = _module("CallbackServerMixin, PyScheduler",
                   _init(PY_INIT, f"CallbackServerMixin.__init__(self, {flag})"),
                   "\ndef helper(self):\n    return 1", csm=True)
    doc = parse(text)
    assert doc.callback_server_local is (flag == "True")
    assert doc.extra_members == "def helper(self):\n    return 1"
    rendered = render(doc.normalised())[0]
    assert _same_members(text, rendered)
    scheduler = run_module(rendered)["S"](None, "s")
    assert scheduler.callback_flag is (flag == "True")


@pytest.mark.parametrize("bases, init, csm", [
    ("CallbackServerMixin, PyScheduler", _init(PY_INIT, "CallbackServerMixin.__init__(self, 1)"), True),
    ("CallbackServerMixin, PyScheduler", _init(PY_INIT, "CallbackServerMixin.__init__(self, is_local=False)"), True),
    ("CallbackServerMixin, PyScheduler", _init(PY_INIT), True),  # the mixin never set up
    ("PyScheduler", _init(PY_INIT, "CallbackServerMixin.__init__(self, True)"), True),
    ("CallbackServerMixin, PyScheduler", _init(SUPER_INIT), True),  # super() is the mixin
    ("CallbackServerMixin, PyScheduler", _init(SUPER_INIT, "CallbackServerMixin.__init__(self, False)"), True),
    ("Base, PyScheduler", _init(SUPER_INIT), False),  # super() is Base
    ("PyScheduler", _init("super(S, self).__init__(scheduler, name)"), False),
    ("PyScheduler", _init(SUPER_INIT, "self.jobs = {}"), False),
])
def test_other_inits_stay_verbatim(bases, init, csm):
    text = _module(bases, init, csm=csm)
    doc = parse(text)
    assert doc.extra_members == init.rstrip("\n")
    rendered = render(doc.normalised())[0]
    assert _same_members(text, rendered)
    assert parse(rendered) == doc


@pytest.mark.parametrize("bases", ["PyScheduler", "PyScheduler, metaclass=Meta"])
def test_super_init_is_lifted_when_super_is_py_scheduler(bases):
    text = _module(bases, _init(SUPER_INIT), "\ndef onStop(self):\n    return True")
    doc = parse(text)
    assert doc.init_super and doc.extra_members == ""
    rendered = render(doc.normalised())[0]
    assert _same_members(text, rendered)
    assert parse(rendered) == doc


def test_spellings_are_normalised_where_they_cannot_be_written():
    plain = SchedulerDocument("t", "T", "S")
    assert replace(plain, callback_server_local=False) == plain
    assert not replace(plain, init_super=True, bases=("Base",)).init_super
    assert replace(plain, init_super=True, bases=("metaclass=M",)).init_super
    farm = replace(plain, use_callback_server=True, callback_server_local=False,
                   init_super=True)
    assert not farm.init_super and not farm.callback_server_local
    assert "CallbackServerMixin.__init__(self, False)" in render(farm.normalised())[0]


def test_the_mixin_switched_on_a_super_init_writes_both_inits(fake_pdg):
    doc = parse(_module("PyScheduler", _init(SUPER_INIT)))
    on = replace(doc, use_callback_server=True)  # as the GUI's check box does
    text = render(on.normalised())[0]
    assert PY_INIT in text and "CallbackServerMixin.__init__(self, True)" in text
    assert SUPER_INIT not in text
    assert run_module(text)["S"](None, "s").callback_flag is True
    assert parse(text) == on


def test_a_name_bound_twice_is_not_lifted():
    rest = "onTick = None\n\ndef onTick(self):\n    return None\n\ndef onStop(self):\n    return True"
    text = _module("PyScheduler", _init(PY_INIT), "\n" + rest)
    doc = parse(text)
    assert list(doc.bodies) == ["onStop"]
    assert "onTick = None\n\ndef onTick(self):" in doc.extra_members
    rendered = render(doc.normalised())[0]
    names = [name for name, _ in _members(rendered, "S")]
    assert names.index("Assign") < names.index("onTick")


def test_hand_written_header_members_keep_their_place():
    members = ('\n@classmethod\ndef templateBody(cls):\n'
               '    return json.dumps({"name": "s", "parameters": [], "menu": 1})\n\n'
               'def onStart(self):\n    return True\n\n'
               'def helper(self):\n    return LIMIT')
    text = "import json\n" + _module("PyScheduler", "LIMIT = 4\n\n" + _init(PY_INIT),
                                     members)
    doc = parse(text)
    assert doc.extra_members.startswith("LIMIT = 4\n\n@classmethod")
    rendered, line_map = render(doc.normalised())
    assert [n for n, _ in _members(rendered, "S")] == [
        "Assign", "__init__", "templateName", "templateBody", "onStart", "helper"]
    assert _same_members(text, rendered)
    assert parse(rendered) == doc
    lines = rendered.split("\n")
    extra = doc.extra_members.split("\n")
    for line, where in zip(lines, line_map):
        if where and where[0] == "extra_members":
            assert line.strip() == extra[where[1]].strip()


@pytest.mark.parametrize("first", [
    "alias = onStart",                      # uses a callback render writes
    "classmethod = staticmethod",           # would change render's decorators
    "templateName = 'x'",                   # binds a member render writes
])
def test_members_that_could_change_the_class_stay_below(first):
    doc = SchedulerDocument("t", "T", "S", extra_members=first + "\n\nLIMIT = 1",
                            bodies={"onStart": "return True"})
    rendered = render(doc.normalised())[0]
    assert rendered.index("def onStart") < rendered.index(first)
    assert rendered.index("def templateName") < rendered.index(first)


def test_a_seam_without_a_blank_line_is_not_cut():
    doc = SchedulerDocument("t", "T", "S", extra_members="LIMIT = 1\ndef helper(self):\n    pass",
                            bodies={"onStart": "return True"})
    rendered = render(doc.normalised())[0]
    assert "    LIMIT = 1\n    def helper(self):" in rendered
    assert rendered.index("def onStart") < rendered.index("LIMIT")
    assert parse(rendered) == doc


def test_wide_seams_are_kept():
    doc = SchedulerDocument("t", "T", "S", extra_members="LIMIT = 1\n\n\n\ndef helper(self):\n    pass",
                            bodies={"onStart": "return True"})
    rendered = render(doc.normalised())[0]
    assert "    LIMIT = 1\n\n\n\n    def __init__" in rendered
    assert "return True\n\n\n\n    def helper" in rendered
    assert parse(rendered) == doc


@pytest.mark.parametrize("template", ["dask", "farm"])
def test_new_from_a_farm_template_checks_clean(template, tmp_path, capsys):
    out = tmp_path / f"my{template}.py"
    assert cli_main(["new", f"my{template}", "--template", template, "-o", str(out)]) == 0
    text = out.read_text()
    class_name = class_name_for(f"my{template}")
    assert _members(text, class_name)[1][0] == "__init__"
    assert "CallbackServerMixin.__init__(self, False)" in text
    capsys.readouterr()
    assert cli_main(["check", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: no problems\n"
