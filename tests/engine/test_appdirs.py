"""One home, one application name: settings, data, autosaves, backups and caches."""
from __future__ import annotations

from pathlib import Path

import platformdirs

from scheduler_studio.engine import appdirs


def test_every_folder_comes_from_platformdirs_with_one_name(monkeypatch, tmp_path):
    monkeypatch.delenv(appdirs.DATA_DIR_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    name = (appdirs.APPLICATION, appdirs.ORGANIZATION)
    assert appdirs.data_dir() == Path(platformdirs.user_data_dir(*name))
    assert appdirs.config_dir() == Path(platformdirs.user_config_dir(*name))
    assert appdirs.cache_dir() == Path(platformdirs.user_cache_dir(*name))
    assert appdirs.settings_file().parent == appdirs.config_dir()
    assert appdirs.autosave_dir().parent == appdirs.backup_dir().parent == appdirs.data_dir()
    homes = [appdirs.data_dir(), appdirs.config_dir(), appdirs.cache_dir()]
    assert {home.name for home in homes} == {appdirs.APPLICATION}


def test_the_override_holds_everything(monkeypatch, tmp_path):
    monkeypatch.setenv(appdirs.DATA_DIR_ENV, str(tmp_path))
    for folder in (appdirs.data_dir(), appdirs.config_dir(), appdirs.cache_dir(),
                   appdirs.autosave_dir(), appdirs.backup_dir()):
        assert folder == tmp_path or tmp_path in folder.parents


def test_the_users_own_types_live_in_the_config_home(monkeypatch, tmp_path):
    from scheduler_studio.engine.factory import search_path

    monkeypatch.setenv(appdirs.DATA_DIR_ENV, str(tmp_path))
    monkeypatch.delenv("SCHEDSTUDIO_PATH", raising=False)
    assert search_path() == [appdirs.config_dir() / "pdg" / "types"]
