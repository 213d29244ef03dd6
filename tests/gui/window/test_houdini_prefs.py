"""Finding Houdini's pdg/types folders."""
from __future__ import annotations

from scheduler_studio.gui.window.houdini_prefs import find_types_dirs


def test_home_folders_newest_first(tmp_path):
    for name in ("houdini19.5", "houdini20.5", "houdini20.0"):
        (tmp_path / name).mkdir()
    (tmp_path / "houdini-notes").mkdir()
    found = find_types_dirs({}, tmp_path)
    assert [f.version for f in found] == ["20.5", "20.0", "19.5"]
    assert found[0].types == tmp_path / "houdini20.5" / "pdg" / "types"
    assert not found[0].exists


def test_pref_dir_variable_comes_first_and_expands_hver(tmp_path):
    (tmp_path / "prefs20.5").mkdir()
    (tmp_path / "houdini20.0").mkdir()
    found = find_types_dirs({"HOUDINI_USER_PREF_DIR": str(tmp_path / "prefs__HVER__")}, tmp_path)
    assert [(f.version, f.source) for f in found] == [("20.5", "HOUDINI_USER_PREF_DIR"),
                                                     ("20.0", "home")]


def test_macos_and_windows_layouts(tmp_path):
    (tmp_path / "Library" / "Preferences" / "houdini" / "20.5").mkdir(parents=True)
    (tmp_path / "Documents" / "houdini19.5").mkdir(parents=True)
    assert [f.version for f in find_types_dirs({}, tmp_path)] == ["20.5", "19.5"]
