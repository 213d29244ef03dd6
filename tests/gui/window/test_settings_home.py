"""The window's settings live in the studio's config home, under the same name."""
from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSettings

from scheduler_studio.engine import appdirs
from scheduler_studio.gui.window.settings import APPLICATION, ORGANIZATION, app_settings


def test_settings_share_the_application_name():
    assert (APPLICATION, ORGANIZATION) == (appdirs.APPLICATION, appdirs.ORGANIZATION)


def test_settings_are_in_the_config_home(qapp):
    settings = app_settings()
    assert settings.fileName() == str(appdirs.settings_file())
    settings.setValue("probe/value", 7)
    settings.sync()
    assert appdirs.settings_file().is_file()


@pytest.fixture
def qt_user_ini_path(tmp_path):
    """Qt's default place for user INI settings, pointed into the test's folder."""
    before = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "XDG_CONFIG_HOME"))
    yield
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, before)


def test_settings_kept_where_qt_put_them_are_carried_over(qapp, monkeypatch, tmp_path,
                                                          qt_user_ini_path):
    monkeypatch.delenv(appdirs.DATA_DIR_ENV)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable))
    earlier = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                        ORGANIZATION, APPLICATION)
    earlier.setValue("appearance/theme", "light")
    earlier.sync()
    settings = app_settings()
    assert settings.value("appearance/theme") == "light"
    assert settings.fileName() == str(appdirs.settings_file())
