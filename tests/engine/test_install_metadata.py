"""The package's metadata tells the truth: version, Python, licence, entry points."""
from __future__ import annotations

import tomllib
from importlib.metadata import distribution
from pathlib import Path

from scheduler_studio.engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
DIST = distribution("scheduler-studio")


def test_version_is_the_one_pyproject_declares(capsys):
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert DIST.version == declared  # an install older than the source would show here
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"schedstudio {declared}"


def test_python_and_licence():
    assert DIST.metadata["Requires-Python"] == ">=3.11"
    assert DIST.metadata["License-Expression"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "LICENSE" in DIST.metadata.get_all("License-File")
    classifiers = DIST.metadata.get_all("Classifier")
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert not any(c.startswith("Programming Language :: Python :: 3.10") for c in classifiers)


def test_console_and_gui_scripts_load():
    points = {(ep.group, ep.name): ep for ep in DIST.entry_points}
    from scheduler_studio.gui.launcher import main as launcher_main

    assert points[("console_scripts", "schedstudio")].load() is launcher_main
    window = points[("gui_scripts", "schedstudio-window")].load()
    from scheduler_studio.gui.app import main as window_main
    assert window is window_main
