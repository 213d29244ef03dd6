"""Stand-ins: the recording module's behaviour, the stand-in folders, and the clear
error of an import nobody satisfies; modules without registerTypes and packages."""
from __future__ import annotations

import json
import os
import sys

import pytest

from scheduler_studio.engine import standins
from scheduler_studio.engine.factory import ModuleLoadError, load_module
from scheduler_studio.engine.standins.recorder import Book, RecordingModule


@pytest.fixture
def recorded():
    calls = []
    module = RecordingModule("af", Book("af", calls.append))
    return module, calls


def texts(calls):
    return [c.text for c in calls]


def test_every_attribute_and_call_is_accepted_and_recorded_in_order(recorded):
    af, calls = recorded
    job = af.Job("frames", priority=50)
    job.blocks.append(af.Block("render"))
    job.send()
    assert texts(calls) == [
        "af.Job('frames', priority=50)",
        "af.Block('render')",
        "af.Job('frames', priority=50).blocks.append(af.Block('render'))",
        "af.Job('frames', priority=50).send()",
    ]
    assert all(c.module == "af" for c in calls)


def test_assignments_are_recorded_and_read_back(recorded):
    af, calls = recorded
    job = af.Job("x")
    job.maxRunningTasks = 4
    assert job.maxRunningTasks == 4
    assert texts(calls)[-1] == "af.Job('x').maxRunningTasks = 4"


def test_a_recorder_cannot_answer_questions_with_real_values(recorded):
    af, _ = recorded
    state = af.Cmd().getJobInfo(1)["state"]
    assert state != "DON" and not state == "DON" and "DON" not in state
    assert list(state) == [] and len(state) == 0 and int(state) == 0 and float(state) == 0.0
    assert bool(state) is True
    with state as same:
        assert same is state
    assert str(state) == "af.Cmd().getJobInfo(1)['state']"


def test_classes_and_exceptions_from_a_recorder(recorded):
    af, _ = recorded

    class MyJob(af.Job):
        def __init__(self, name):
            super().__init__(name)
            self.name = name

    assert MyJob("a").name == "a"
    with pytest.raises(af.SubmitError):
        raise af.SubmitError("refused")
    assert af.SubmitError is af.SubmitError


def test_submodules_of_a_stubbed_module_are_stubs_too(tmp_path):
    user = tmp_path / "sched.py"
    user.write_text("import rr.client\nfrom rr.client import submit\nVALUE = submit('x')\n")
    calls = []
    standins.install([], ["rr"], [str(tmp_path)], calls.append)
    try:
        namespace = {"__name__": "sched_test"}
        exec(compile(user.read_text(), str(user), "exec"), namespace)
        assert texts(calls) == ["rr.client.submit('x')"]
        assert [u["module"] for u in standins.used()] == ["rr"]
    finally:
        standins.install([], [], [])
        for name in [n for n in sys.modules if n == "rr" or n.startswith("rr.")]:
            del sys.modules[name]


def test_star_stubs_only_imports_the_scheduler_itself_makes(tmp_path):
    standins.install([], ["*"], [str(tmp_path)])
    try:
        with pytest.raises(ModuleNotFoundError):  # an optional import of a library
            __import__("surely_not_installed_anywhere_xyz")
        user = tmp_path / "sched.py"
        user.write_text("import surely_not_installed_anywhere_xyz as farm\n")
        namespace = {}
        exec(compile(user.read_text(), str(user), "exec"), namespace)
        assert isinstance(namespace["farm"], RecordingModule)
    finally:
        standins.install([], [], [])
        sys.modules.pop("surely_not_installed_anywhere_xyz", None)


def test_a_stand_in_folder_comes_first_on_sys_path_and_path(tmp_path, monkeypatch):
    folder = tmp_path / "sched.standins"
    folder.mkdir()
    (folder / "studiolib.py").write_text("NAME = 'stand-in'\n")
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("PATH", os.environ.get("PATH", ""))
    standins.install([str(folder)], [], [])
    try:
        import studiolib
        assert studiolib.NAME == "stand-in"
        assert os.environ["PATH"].split(os.pathsep)[0] == str(folder)
        assert {"module": "studiolib", "kind": "file",
                "path": str(folder / "studiolib.py")} in standins.used()
    finally:
        standins.install([], [], [])
        sys.modules.pop("studiolib", None)


def test_stand_ins_folder_is_named_after_the_module_or_package(tmp_path):
    (tmp_path / "farm.py").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    assert standins.folder_beside(str(tmp_path / "farm.py")) == str(tmp_path / "farm.standins")
    assert standins.folder_beside(str(tmp_path / "pkg")) == str(tmp_path / "pkg.standins")
    assert standins.folder_beside(str(tmp_path / "pkg" / "__init__.py")) == \
        str(tmp_path / "pkg.standins")


def test_a_missing_import_names_the_module_line_and_both_ways_to_a_stand_in(tmp_path):
    module = tmp_path / "royal.py"
    module.write_text("import os\nimport royalCommands as rrc\n")
    with pytest.raises(ModuleLoadError) as info:
        load_module(module)
    error = info.value
    assert (error.line, error.missing_module) == (2, "royalCommands")
    assert "royal.py:2: import royalCommands as rrc" in error.reason
    assert f"royalCommands.py in {tmp_path / 'royal.standins'}" in error.reason
    assert "--standins DIR" in error.reason and "--stub royalCommands" in error.reason


# -- modules without registerTypes, packages --------------------------------------------
HDA = """
import pdg
from pdg.scheduler import PyScheduler


class Helper:
    pass


class Base(PyScheduler):
    pass


class HdaScheduler(Base):
    @classmethod
    def templateName(cls):
        return "myhda"
"""


def test_a_module_without_register_types_registers_its_one_scheduler_class(tmp_path):
    module = tmp_path / "hda.py"
    module.write_text(HDA)
    _, registry = load_module(module)
    assert [(t.name, t.cls.__name__) for t in registry.schedulers] == [("myhda", "HdaScheduler")]
    assert "no registerTypes" in registry.notes[0]


def test_a_local_scheduler_subclass_without_register_types_is_a_scheduler(tmp_path):
    module = tmp_path / "sub.py"
    module.write_text("import os, sys\n"
                      "sys.path.append(os.path.expandvars('$HFS/houdini/pdg/types/schedulers'))\n"
                      "from local import LocalScheduler\n\n"
                      "class Mine(LocalScheduler):\n    pass\n")
    from scheduler_studio.engine.sandbox import HFS_DIR
    os.environ["HFS"] = str(HFS_DIR)
    _, registry = load_module(module)
    assert [t.cls.__name__ for t in registry.schedulers] == ["Mine"]
    assert registry.schedulers[0].name == "localscheduler"  # templateName it inherits


def test_several_scheduler_classes_and_no_register_types_is_a_clear_error(tmp_path):
    module = tmp_path / "two.py"
    module.write_text("from pdg.scheduler import PyScheduler\n"
                      "class A(PyScheduler):\n    pass\nclass B(PyScheduler):\n    pass\n")
    with pytest.raises(ModuleLoadError, match=r"several scheduler classes \(A, B\)"):
        load_module(module)


def _package(tmp_path):
    package = tmp_path / "pdg" / "types" / "pkgfarm"
    package.mkdir(parents=True)
    (package / "helpers.py").write_text("def result():\n    import pdg\n"
                                        "    return pdg.scheduleResult.CookSucceeded\n")
    (package / "__init__.py").write_text(
        "from pdg.scheduler import PyScheduler\nfrom .helpers import result\n\n"
        "class PkgFarm(PyScheduler):\n    def onSchedule(self, work_item):\n"
        "        return result()\n\n"
        "def registerTypes(type_registry):\n"
        "    type_registry.registerScheduler(PkgFarm, name='pkgfarm')\n")
    return package


@pytest.mark.parametrize("which", ["folder", "init"])
def test_a_package_with_relative_imports_cooks_from_the_cli(tmp_path, capsys, which):
    from scheduler_studio.engine.cli import main
    package = _package(tmp_path)
    target = package if which == "folder" else package / "__init__.py"
    code = main(["cook", str(target), "--graph", "frames", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["status"], summary["scheduler"]) == (0, "succeeded", "pkgfarm")


def test_an_edited_copy_of_a_package_init_loads_with_the_package_beside_it(tmp_path):
    package = _package(tmp_path)
    scratch = tmp_path / "scratch" / "scheduler_under_test.py"
    scratch.parent.mkdir()
    scratch.write_text((package / "__init__.py").read_text())
    _, registry = load_module(scratch, package_dir=package)
    assert registry.schedulers[0].name == "pkgfarm"


def test_star_leaves_a_guarded_import_to_its_fallback_and_says_so(tmp_path):
    user = tmp_path / "sched.py"
    user.write_text(
        "try:\n"
        "    import tractor_xyz_not_here as tractor          # the farm's optional client\n"
        "except ImportError:\n"
        "    tractor = None\n"
        "try:\n"
        "    from qube_xyz_not_here import api\n"
        "except (OSError, ModuleNotFoundError):\n"
        "    api = 'fallback'\n"
        "try:\n"
        "    import never_guarded_xyz_not_here as kept   # the except does not take it\n"
        "except KeyError:\n"
        "    kept = None\n"
        "import plain_xyz_not_here as plain\n", encoding="utf-8")
    active = standins.install([], ["*"], [str(tmp_path)])
    names = ("tractor_xyz_not_here", "qube_xyz_not_here", "never_guarded_xyz_not_here",
             "plain_xyz_not_here")
    try:
        namespace = {}
        exec(compile(user.read_text(), str(user), "exec"), namespace)
        assert namespace["tractor"] is None and namespace["api"] == "fallback"
        assert isinstance(namespace["kept"], RecordingModule)
        assert isinstance(namespace["plain"], RecordingModule)
        assert active.guarded == ["tractor_xyz_not_here", "qube_xyz_not_here"]
        notes = active.notes()
        assert len(notes) == 2 and "--stub tractor_xyz_not_here records it" in notes[0]
    finally:
        standins.install([], [], [])
        for name in names:
            sys.modules.pop(name, None)


def test_naming_a_guarded_import_still_records_it(tmp_path):
    user = tmp_path / "sched.py"
    user.write_text("try:\n    import tractor_xyz_not_here as tractor\n"
                    "except ImportError:\n    tractor = None\n", encoding="utf-8")
    active = standins.install([], ["*", "tractor_xyz_not_here"], [str(tmp_path)])
    try:
        namespace = {}
        exec(compile(user.read_text(), str(user), "exec"), namespace)
        assert isinstance(namespace["tractor"], RecordingModule)
        assert active.guarded == [] and active.notes() == []
    finally:
        standins.install([], [], [])
        sys.modules.pop("tractor_xyz_not_here", None)
