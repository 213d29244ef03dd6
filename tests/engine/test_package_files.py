"""The package's own files, found through one helper; a missing one is a loud error."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from scheduler_studio.engine import package_files
from scheduler_studio.engine.model.graph import sample_graphs  # imported with the real files
from scheduler_studio.engine.package_files import (MissingResourceError, engine_dir, engine_file,
                                                   resource_dir, resource_file, resource_files)

ROOT = Path(__file__).resolve().parents[2]


def test_every_shipped_folder_is_found():
    for folder in ("graphs", "jobs", "templates", "themes", "icons"):
        assert resource_dir(folder).is_dir()
    assert resource_file("themes", "dark.json").is_file()
    assert [p.stem for p in resource_files("templates", "*.py")] == ["dask", "farm_cli", "local"]
    assert (engine_dir("compat") / "pdg" / "__init__.py").is_file()
    assert engine_dir("compat", "hfs").is_dir()
    assert engine_file("jobhelper", "pdgcmd.py").name == "pdgcmd.py"


@pytest.fixture
def bare_package(tmp_path, monkeypatch):
    """A resources package that ships nothing (a wheel built without its data)."""
    (tmp_path / "bare_resources_pkg").mkdir()
    (tmp_path / "bare_resources_pkg" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "bare_resources_pkg", raising=False)
    monkeypatch.setattr(package_files, "RESOURCES_PACKAGE", "bare_resources_pkg")
    yield tmp_path / "bare_resources_pkg"
    sys.modules.pop("bare_resources_pkg", None)


def test_a_missing_folder_names_itself_and_where_it_looked(bare_package):
    with pytest.raises(MissingResourceError) as caught:
        resource_dir("graphs")
    message = str(caught.value)
    assert "the folder resources/graphs is missing" in message
    assert str(bare_package) in message and "reinstall scheduler-studio" in message


def test_a_missing_file_names_itself(bare_package):
    (bare_package / "themes").mkdir()
    with pytest.raises(MissingResourceError, match=r"the file resources/themes/dark\.json"):
        resource_file("themes", "dark.json")


def test_an_empty_folder_is_not_an_empty_list(bare_package):
    (bare_package / "graphs").mkdir()
    with pytest.raises(MissingResourceError, match=r"the \*\.json files of resources/graphs"):
        resource_files("graphs", "*.json")


def test_a_package_that_is_not_there_is_named(monkeypatch):
    monkeypatch.setattr(package_files, "RESOURCES_PACKAGE", "no_such_resources_pkg")
    with pytest.raises(MissingResourceError, match="'no_such_resources_pkg' package"):
        resource_dir("graphs")


def test_missing_sample_graphs_are_an_error_not_an_empty_list(bare_package):
    with pytest.raises(MissingResourceError, match="resources/graphs"):
        sample_graphs()


def test_a_shipped_template_that_is_gone_is_a_broken_install(tmp_path, monkeypatch):
    from scheduler_studio.engine.codegen import new_document

    monkeypatch.setattr("scheduler_studio.engine.codegen.starters.TEMPLATES_DIR", tmp_path)
    with pytest.raises(MissingResourceError, match=r"resources/templates/dask\.py"):
        new_document("x", "X", template="dask")


def test_an_unknown_template_lists_the_ones_there_are():
    from scheduler_studio.engine.codegen import new_document

    with pytest.raises(ValueError, match=r"no scheduler template named 'nope' "
                                         r"\(templates: dask, farm_cli, local\)"):
        new_document("x", "X", template="nope")


def test_no_module_finds_shipped_files_from_its_own_location():
    """Only the helper knows where the package's files are: a module that builds a path
    to ``resources`` (or to the engine's data folders) from ``__file__`` breaks in a wheel."""
    guessed = re.compile(r"__file__.*(resources|compat|jobhelper)|parents\[\d\]\s*/\s*\"resources")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for folder in ("engine", "gui") for path in (ROOT / folder).rglob("*.py")
                 if "compat" not in path.relative_to(ROOT).parts[1:2]
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if guessed.search(line)]
    assert offenders == []


def test_source_root_holds_the_engine_as_plain_folders(tmp_path):
    """jedi reads source: it needs <root>/scheduler_studio/engine, which an editable
    install only has through an import hook (a view of symlinks is made then)."""
    root = package_files.source_root(tmp_path / "view")
    engine = root / "scheduler_studio" / "engine"
    assert (engine / "runtime.py").is_file()
    assert engine.resolve() == engine_dir().resolve()
    assert package_files.source_root(tmp_path / "view") == root  # made once, then reused


def test_a_stale_view_is_pointed_at_the_package_again(tmp_path):
    if package_files.source_root(tmp_path / "probe") != tmp_path / "probe":
        pytest.skip("this install is a plain folder tree: no view is needed")
    link = tmp_path / "view" / "scheduler_studio" / "engine"
    link.parent.mkdir(parents=True)
    link.symlink_to(tmp_path, target_is_directory=True)  # a repository that moved
    package_files.source_root(tmp_path / "view")
    assert link.resolve() == engine_dir().resolve()
