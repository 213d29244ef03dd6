"""A broken editor component (a Scintilla wheel built for another PySide6) is a clear
start-up error naming the three pins, not a window of empty pages that exits 0."""
from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import distribution

import pytest

from scheduler_studio.gui.editor import component

BROKEN = "raise ImportError('simulated: this wheel was built for another PySide6')\n"


def test_the_pins_named_are_the_ones_the_package_requires():
    required = {r.split(";")[0].replace(" ", "") for r in distribution("scheduler-studio").requires}
    for pin in component.PINS:
        name, version = pin.split()
        assert f"{name}=={version}" in required


def test_the_message_names_the_pins_and_what_is_installed():
    text = component.explain("ImportError: no module")
    for pin in component.PINS:
        assert pin in text
    assert "This environment has: PySide6-Essentials 6.11." in text
    assert component.REINSTALL in text


@pytest.fixture
def broken_env(tmp_path):
    """An environment whose pyside6_scintilla fails to import (it comes first on the path)."""
    (tmp_path / "shadow" / "pyside6_scintilla").mkdir(parents=True)
    (tmp_path / "shadow" / "pyside6_scintilla" / "__init__.py").write_text(BROKEN)
    home = tmp_path / "home"
    return {**os.environ, "PYTHONPATH": str(tmp_path / "shadow"), "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
            "SCHEDSTUDIO_DATA_DIR": str(home / "studio")}


def _run(args, env, cwd):
    return subprocess.run([sys.executable, "-m", "scheduler_studio.gui.launcher", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)


def _assert_explained(result):
    assert result.returncode == component.EXIT_NO_EDITOR, result.stderr[-2000:]
    assert "The code editor component cannot be loaded: ImportError: simulated" in result.stderr
    for pin in component.PINS:
        assert pin in result.stderr


def test_the_window_says_why_and_exits_non_zero(broken_env, tmp_path):
    _assert_explained(_run([], broken_env, tmp_path))


def test_a_screenshot_says_why_and_writes_no_picture(broken_env, tmp_path):
    png = tmp_path / "shot.png"
    _assert_explained(_run(["--screenshot", str(png)], broken_env, tmp_path))
    assert not png.exists()
