"""The studio's one home for what it keeps: settings, data (autosaves, previous versions
of saved files), caches and the user's own scheduler types.

Every folder comes from platformdirs with one application name (``APPLICATION`` and
``ORGANIZATION``, which QSettings uses too). ``$SCHEDSTUDIO_DATA_DIR`` replaces the
whole home with one folder (tests, portable setups): settings and caches then live
inside it too, so no test ever touches the user's own files.
"""
from __future__ import annotations

import os
from pathlib import Path

APPLICATION = "Scheduler Studio"
ORGANIZATION = "SchedulerStudio"
DATA_DIR_ENV = "SCHEDSTUDIO_DATA_DIR"


def _home(kind: str) -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override) if kind == "data" else Path(override) / kind
    import platformdirs  # only when first needed: start-up does not pay for it

    where = {"data": platformdirs.user_data_dir, "config": platformdirs.user_config_dir,
             "cache": platformdirs.user_cache_dir}[kind]
    return Path(where(APPLICATION, ORGANIZATION))


def data_dir() -> Path:
    """The user's data folder for the studio ($SCHEDSTUDIO_DATA_DIR when set)."""
    return _home("data")


def config_dir() -> Path:
    """Settings (``settings.ini``) and the user's own ``pdg/types``."""
    return _home("config")


def cache_dir() -> Path:
    """What can be made again (parsed templates): safe to delete."""
    return _home("cache")


def settings_file() -> Path:
    """The INI file QSettings keeps the window's settings in."""
    return config_dir() / "settings.ini"


def autosave_dir(root: Path | None = None) -> Path:
    """Where windows keep their unsaved edits (see scheduler_studio.gui.window.autosave)."""
    return Path(root or data_dir()) / "autosave"


def backup_dir(root: Path | None = None) -> Path:
    """Where saves keep the versions they replaced (see scheduler_studio.engine.codegen.backups)."""
    return Path(root or data_dir()) / "backups"
