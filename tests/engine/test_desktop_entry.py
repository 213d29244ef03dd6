"""``schedstudio desktop-entry``: a launcher that starts this install's window, and its icon."""
from __future__ import annotations

import configparser
from pathlib import Path

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.package_files import DESKTOP_ID


def test_the_launcher_starts_this_installs_window(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["desktop-entry"]) == 0
    entry = tmp_path / "applications" / f"{DESKTOP_ID}.desktop"
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg"
    assert str(entry) in capsys.readouterr().out
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.optionxform = str
    parsed.read_string(entry.read_text())
    desktop = parsed["Desktop Entry"]
    assert (desktop["Type"], desktop["Name"], desktop["Icon"]) == \
        ("Application", "Scheduler Studio", DESKTOP_ID)
    program = desktop["Exec"].split()[0]
    assert Path(program).name == "schedstudio-window" and Path(program).is_file()
    assert desktop["Exec"].endswith(" %f") and "@" not in desktop["Exec"]
    assert icon.read_text().lstrip().startswith("<?xml") and "<svg" in icon.read_text()


def test_a_folder_that_cannot_be_written_is_an_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "applications").write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["desktop-entry"]) == 2
    assert "cannot write the desktop entry" in capsys.readouterr().err
