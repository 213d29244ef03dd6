"""Settings as small dataclasses, each with a schema version, stored in QSettings.

Each section is a group in QSettings; its ``schema`` key says which version
wrote it. A section written by another version is read as its defaults
(nothing here is worth a migration yet). Tests hand the window a QSettings
on an INI file in a temporary folder; the app uses the user's own.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import ClassVar, Type, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from scheduler_studio.engine.appdirs import APPLICATION, ORGANIZATION  # one name for settings and data


S = TypeVar("S")


@dataclass
class WindowSettings:
    """Where the window was and how its docks were laid out."""

    SECTION: ClassVar[str] = "window"
    SCHEMA: ClassVar[int] = 1
    geometry: bytes = b""
    state: bytes = b""


@dataclass
class AppearanceSettings:
    SECTION: ClassVar[str] = "appearance"
    SCHEMA: ClassVar[int] = 1
    theme: str = "dark"
    zoom: int = 0


@dataclass
class RecentFilesSettings:
    SECTION: ClassVar[str] = "recent_files"
    SCHEMA: ClassVar[int] = 1
    MAX: ClassVar[int] = 10
    paths: list = field(default_factory=list)


@dataclass
class SessionSettings:
    """Autosave cadence, the last folders used by the file dialogs, and whether a
    save also leaves ``NAME.py.bak`` beside the file (the previous versions are
    always kept in the studio's backup folder)."""

    SECTION: ClassVar[str] = "session"
    SCHEMA: ClassVar[int] = 1
    autosave_seconds: int = 5
    last_folder: str = ""
    last_houdini_types: str = ""
    keep_bak_beside: bool = False


def app_settings() -> QSettings:
    """The user's settings: ``settings.ini`` in the studio's config folder
    (scheduler_studio.engine.appdirs), where its other files live. Settings an earlier version kept
    where Qt puts them by default are carried over once."""
    from scheduler_studio.engine.appdirs import DATA_DIR_ENV, settings_file

    path = settings_file()
    if not path.exists() and not os.environ.get(DATA_DIR_ENV):  # the user's own home
        earlier = Path(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                 ORGANIZATION, APPLICATION).fileName())
        if earlier.is_file():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(earlier, path)
            except OSError:
                pass  # unreadable or unwritable: start from the defaults, lose nothing there
    return QSettings(str(path), QSettings.Format.IniFormat)


def ini_settings(path) -> QSettings:
    """Settings in one INI file (tests, portable setups)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


class SettingsStore:
    """Reads and writes settings dataclasses in one QSettings."""

    def __init__(self, qsettings: QSettings) -> None:
        self._qs = qsettings

    def qsettings(self) -> QSettings:
        return self._qs

    def load(self, cls: Type[S]) -> S:
        qs = self._qs
        qs.beginGroup(cls.SECTION)
        try:
            if _to_int(qs.value("schema")) != cls.SCHEMA:
                return cls()
            values = {}
            try:
                for f in fields(cls):
                    raw = qs.value(f.name)
                    if raw is not None:
                        values[f.name] = _decode(f.type, raw)
                return cls(**values)
            except (TypeError, ValueError):
                return cls()  # a hand-edited or damaged section: defaults
        finally:
            qs.endGroup()

    def save(self, settings) -> None:
        qs = self._qs
        qs.beginGroup(settings.SECTION)
        try:
            qs.setValue("schema", settings.SCHEMA)
            for name, value in asdict(settings).items():
                qs.setValue(name, _encode(value))
        finally:
            qs.endGroup()
        qs.sync()


def _to_int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _encode(value):
    if isinstance(value, bytes):
        return QByteArray(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value)  # INI files turn one-item lists into strings
    return value


def _decode(type_name, raw):
    kind = type_name if isinstance(type_name, str) else getattr(type_name, "__name__", "")
    if kind == "bytes":
        return bytes(raw) if isinstance(raw, (QByteArray, bytes)) else b""
    if kind == "int":
        value = _to_int(raw)
        if value is None:
            raise ValueError(raw)
        return value
    if kind == "list":
        value = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(value, list):
            raise ValueError(raw)
        return value
    if kind == "bool":
        return raw in (True, "true", "1", 1)
    return str(raw)
