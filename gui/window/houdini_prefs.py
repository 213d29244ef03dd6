"""Where Houdini looks for scheduler modules: the pdg/types folders of its user prefs.

Houdini imports every module in ``pdg/types`` on HOUDINI_PATH at start-up;
the user preference directory is on that path. It is
``$HOUDINI_USER_PREF_DIR`` when set (``__HVER__`` stands for the version),
else ``~/houdiniX.Y`` (Linux), ``~/Library/Preferences/houdini/X.Y`` (macOS)
or ``~/Documents/houdiniX.Y`` (Windows).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

_VERSION = re.compile(r"(\d+)\.(\d+)$")
_HOME_PATTERNS = ("houdini*.*", "Library/Preferences/houdini/*.*", "Documents/houdini*.*")


@dataclass(frozen=True)
class HoudiniTypesDir:
    """One pdg/types folder Houdini reads (``exists`` False: it would be created)."""

    version: Optional[str]
    prefs: Path
    source: str  # "HOUDINI_USER_PREF_DIR" or "home"

    @property
    def types(self) -> Path:
        return self.prefs / "pdg" / "types"

    @property
    def exists(self) -> bool:
        return self.types.is_dir()

    def describe(self) -> str:
        name = f"Houdini {self.version}" if self.version else "Houdini"
        state = "" if self.exists else "  (pdg/types will be created)"
        return f"{name} — {self.types}{state}"


def _version_of(path: Path) -> Optional[str]:
    match = _VERSION.search(path.name)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def _version_key(found: HoudiniTypesDir):
    if found.version is None:
        return (0, 0)
    major, minor = found.version.split(".")
    return (int(major), int(minor))


def find_types_dirs(env: Optional[Mapping[str, str]] = None,
                    home: Optional[Path] = None) -> list[HoudiniTypesDir]:
    """Every Houdini pdg/types folder for this user: the env's first, then newest first."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else Path(home)
    found: list[HoudiniTypesDir] = []
    pref = env.get("HOUDINI_USER_PREF_DIR", "").strip()
    if pref:
        pref_path = Path(os.path.expanduser(pref))
        if "__HVER__" in pref:
            pattern = pref_path.name.replace("__HVER__", "*")
            versions = [HoudiniTypesDir(_version_of(path), path, "HOUDINI_USER_PREF_DIR")
                        for path in pref_path.parent.glob(pattern) if path.is_dir()]
            found += sorted(versions, key=_version_key, reverse=True)
        else:
            found.append(HoudiniTypesDir(_version_of(pref_path), pref_path,
                                         "HOUDINI_USER_PREF_DIR"))
    from_home = []
    for pattern in _HOME_PATTERNS:
        for path in home.glob(pattern):
            version = _version_of(path)
            if path.is_dir() and version:
                from_home.append(HoudiniTypesDir(version, path, "home"))
    seen = {f.prefs.resolve() for f in found}
    for item in sorted(from_home, key=_version_key, reverse=True):
        if item.prefs.resolve() not in seen:
            seen.add(item.prefs.resolve())
            found.append(item)
    return found
