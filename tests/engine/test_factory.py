"""The scheduler factory: modules load, register, or fail with file, line and reason."""
from __future__ import annotations

import textwrap

import pytest

from scheduler_studio.engine.factory import (ModuleLoadError, TypeRegistry, discover, load_module,
                                             search_path)
from tests.engine.cookkit import RECORDER, line_of

GOOD = """
from pdg.scheduler import PyScheduler


class Good(PyScheduler):
    @classmethod
    def templateName(cls):
        return "goodscheduler"


def registerTypes(type_registry):
    type_registry.registerScheduler(Good, label="Good one")
"""


def _module(folder, text, name="mod.py"):
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def _error(path) -> ModuleLoadError:
    with pytest.raises(ModuleLoadError) as info:
        load_module(path)
    assert info.value.file == str(path)
    return info.value


def test_a_good_module_registers_its_scheduler(tmp_path):
    module, registry = load_module(_module(tmp_path, GOOD))
    (stype,) = registry.schedulers
    assert (stype.name, stype.label, stype.cls.__name__) == ("goodscheduler", "Good one", "Good")
    assert stype.module_file == str(tmp_path / "mod.py")
    assert module.Good is stype.cls


def test_register_scheduler_keywords(tmp_path):
    _, registry = load_module(_module(tmp_path, GOOD.replace(
        'label="Good one"', 'label="Farm", name="myfarm", parm_category="Farm Parms"')))
    (stype,) = registry.schedulers
    assert (stype.name, stype.label, stype.parm_category) == ("myfarm", "Farm", "Farm Parms")


def test_register_scheduler_without_label_or_template_name(tmp_path):
    _, registry = load_module(_module(tmp_path, """
        from pdg.scheduler import PyScheduler
        class Bare(PyScheduler):
            pass
        def registerTypes(type_registry):
            type_registry.registerScheduler(Bare)
    """))
    (stype,) = registry.schedulers
    assert stype.name == "bare" and stype.label == "bare"


def test_type_registry_extras_are_recorded():
    registry = TypeRegistry()
    registry.addTag("farm")
    registry.addExtensionTag("file/geo", ".bgeo", "geo")
    registry.registerCacheHandler("file/geo", lambda *a: 0)
    registry.registerNode(object)
    assert registry.extension_tags == [("file/geo", ".bgeo", "geo")]
    assert len(registry.cache_handlers) == 1 and registry.types() == []


def test_syntax_error_names_file_and_line(tmp_path):
    error = _error(_module(tmp_path, """
        from pdg.scheduler import PyScheduler

        class Broken(PyScheduler):
            def onSchedule(self, work_item)
                return None
    """))
    assert error.line == 4 and error.reason.startswith("syntax error")
    assert str(error).startswith(f"{error.file}:4: ")


@pytest.mark.parametrize("source, line", [
    ('import os\nprint "scheduling"\n', 2),
    ("try:\n    pass\nexcept ValueError, e:\n    pass\n", 3),
    ("def f():\n    if 1:\n\tpass\n        return 1\n", 3),
    ("def f():\n    raise ValueError, 'bad'\n", 2),
    ("x = 0777\n", 1),
    ("exec 'x = 1'\n", 1),
])
def test_python2_modules_say_python2(tmp_path, source, line):
    path = tmp_path / "old.py"
    path.write_text(source, encoding="utf-8")
    error = _error(path)
    assert "Python 2" in error.reason and error.line == line, error.reason


def test_a_module_that_raises_on_import_names_the_raise(tmp_path):
    path = _module(tmp_path, """
        import os

        def _check():
            raise EnvironmentError("FARM_ROOT is not set")  # THE-RAISE

        _check()
    """)
    error = _error(path)
    assert error.line == line_of(path, "THE-RAISE")
    assert error.reason == "OSError: FARM_ROOT is not set"


def test_no_register_types(tmp_path):
    error = _error(_module(tmp_path, "from pdg.scheduler import PyScheduler\n"))
    assert "no registerTypes" in error.reason and error.line is None


def test_register_types_that_registers_nothing(tmp_path):
    error = _error(_module(tmp_path, "def registerTypes(type_registry):\n    pass\n"))
    assert "did not register a scheduler" in error.reason


def test_register_types_that_raises(tmp_path):
    path = _module(tmp_path, """
        def registerTypes(type_registry):
            type_registry.registerScheduler(Missing)  # NAME-ERROR
    """)
    error = _error(path)
    assert error.line == line_of(path, "NAME-ERROR") and "NameError" in error.reason


def test_a_missing_file(tmp_path):
    error = _error(tmp_path / "nosuch.py")
    assert error.reason == "no such file"


def test_importing_a_pdg_name_the_test_cook_lacks(tmp_path):
    path = _module(tmp_path, """
        from pdg import servicemanagerthing  # MISSING-NAME
        def registerTypes(type_registry):
            pass
    """)
    error = _error(path)
    assert "pdg.servicemanagerthing is not available in the test cook" in error.reason
    assert error.line == line_of(path, "MISSING-NAME")


def test_importing_a_pdg_module_the_test_cook_lacks(tmp_path):
    error = _error(_module(tmp_path, "import pdg.gui.nodes\n"))
    assert "pdg.gui is not available in the test cook" in error.reason


def test_a_package_scheduler(tmp_path):
    package = tmp_path / "farmpkg"
    package.mkdir()
    _module(package, "HELP = 'a helper module'\n", "helpers.py")
    _module(package, "from . import helpers\n" + textwrap.dedent(GOOD), "__init__.py")
    module, registry = load_module(package)
    assert registry.schedulers[0].name == "goodscheduler" and module.helpers.HELP


def test_each_load_is_a_fresh_module(tmp_path):
    path = _module(tmp_path, GOOD)
    first, _ = load_module(path)
    second, _ = load_module(path)
    assert first is not second and first.Good is not second.Good


def test_discover_loads_the_good_and_reports_the_broken(tmp_path):
    types = tmp_path / "pdg" / "types"
    types.mkdir(parents=True)
    _module(types, GOOD, "good.py")
    broken = _module(types, "from pdg.scheduler import PyScheduler\nclass X(PyScheduler)\n",
                     "broken.py")
    _module(types, "", "__init__.py")
    (types / "notes.txt").write_text("not a module")
    found = discover([types, tmp_path / "missing" / "pdg" / "types"])
    assert list(found.types) == ["goodscheduler"]
    (error,) = found.errors
    assert error.file == str(broken) and error.line == 2 and "syntax error" in error.reason


def test_discover_keeps_the_first_type_of_a_name(tmp_path):
    first, second = tmp_path / "a" / "pdg" / "types", tmp_path / "b" / "pdg" / "types"
    for folder in (first, second):
        folder.mkdir(parents=True)
        _module(folder, GOOD, "sched.py")
    found = discover([first, second])
    assert found.types["goodscheduler"].module_file == str(first / "sched.py")


def test_search_path_reads_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEDSTUDIO_PATH", f"{tmp_path / 'x'}:{tmp_path / 'y'}")
    paths = search_path()
    assert paths[:2] == [tmp_path / "x" / "pdg" / "types", tmp_path / "y" / "pdg" / "types"]
    assert len(paths) == 3 and paths[2].parts[-2:] == ("pdg", "types")


def test_the_recorder_module_loads(tmp_path):
    _, registry = load_module(RECORDER)
    assert registry.schedulers[0].name == "recorder"


def test_a_syntax_error_in_a_package_submodule_names_that_file(tmp_path):
    package = tmp_path / "farmpkg"
    package.mkdir()
    helpers = _module(package, "def f(:\n    pass\n", "helpers.py")
    _module(package, "from . import helpers\n" + textwrap.dedent(GOOD), "__init__.py")
    with pytest.raises(ModuleLoadError) as info:
        load_module(package)
    assert (info.value.file, info.value.line) == (str(helpers), 1)
