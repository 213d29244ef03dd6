"""The studio's one home for its own data: autosaves and previous versions of saved files.

Everything the app keeps for the user lives under ``data_dir()``, named with
one application name. ``$SCHEDSTUDIO_DATA_DIR`` replaces the folder (tests,
portable setups), so no test ever touches the user's own data.
"""
from __future__ import annotations

import os
from pathlib import Path

APPLICATION = "Scheduler Studio"
ORGANIZATION = "SchedulerStudio"
DATA_DIR_ENV = "SCHEDSTUDIO_DATA_DIR"


def data_dir() -> Path:
    """The user's data folder for the studio ($SCHEDSTUDIO_DATA_DIR when set)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs  # only when first needed: start-up does not pay for it

    return Path(platformdirs.user_data_dir(APPLICATION, ORGANIZATION))


def autosave_dir(root: Path | None = None) -> Path:
    """Where windows keep their unsaved edits (see scheduler_studio.gui.window.autosave)."""
    return Path(root or data_dir()) / "autosave"


def backup_dir(root: Path | None = None) -> Path:
    """Where saves keep the versions they replaced (see scheduler_studio.engine.codegen.backups)."""
    return Path(root or data_dir()) / "backups"
