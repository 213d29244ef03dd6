"""The wheel's layout: one top-level package, every folder of Python files mapped in."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _python_folders(top: str) -> set[str]:
    found = set()
    for path in (ROOT / top).rglob("*.py"):
        folder = path.parent.relative_to(ROOT)
        while folder.parts:
            found.add(".".join(("scheduler_studio", *folder.parts)))
            folder = folder.parent
    return found


def test_every_python_folder_is_a_listed_package():
    listed = set(CONFIG["packages"])
    missing = (_python_folders("engine") | _python_folders("gui")) - listed
    assert missing == set(), f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"
    assert "scheduler_studio.resources" in listed


def test_one_top_level_package_mapped_onto_the_repository_folders():
    assert {name.split(".")[0] for name in CONFIG["packages"]} == {"scheduler_studio"}
    assert CONFIG["package-dir"] == {"scheduler_studio.engine": "engine",
                                     "scheduler_studio.gui": "gui",
                                     "scheduler_studio.resources": "resources"}
    assert not (ROOT / "scheduler_studio").exists()  # the repository layout stays


def test_the_package_is_the_installed_one_and_found_from_anywhere():
    import scheduler_studio.engine
    import scheduler_studio.gui

    assert Path(scheduler_studio.engine.__file__).parent == ROOT / "engine"
    assert Path(scheduler_studio.gui.__file__).parent == ROOT / "gui"
