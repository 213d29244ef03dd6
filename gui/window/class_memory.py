"""Which scheduler class of a module the user edits, remembered per file.

A module holding several scheduler classes opens on the one chosen last time
in it (the header's Class chooser), so a TD working on a farm's GPU flavour
is not put back on the base class at every open. Kept in the settings as the
breakpoints are: by absolute path, newest last, a bounded list.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import ClassVar, Optional

MAX_FILES = 100


@dataclass
class ClassChoiceSettings:
    """``[{"path": ..., "class": ...}]``, newest last."""

    SECTION: ClassVar[str] = "scheduler_classes"
    SCHEMA: ClassVar[int] = 1
    files: list = field(default_factory=list)


def remembered_class(store, path: Optional[os.PathLike]) -> Optional[str]:
    """The class last chosen in the file at ``path``, or None."""
    if store is None or path is None:
        return None
    key = os.path.abspath(path)
    for entry in reversed(store.load(ClassChoiceSettings).files):
        if isinstance(entry, dict) and entry.get("path") == key and \
                isinstance(entry.get("class"), str):
            return entry["class"]
    return None


def remember_class(store, path: Optional[os.PathLike], class_name: Optional[str]) -> None:
    """Keep ``class_name`` as the file's choice (None forgets it)."""
    if store is None or path is None:
        return
    key = os.path.abspath(path)
    settings = store.load(ClassChoiceSettings)
    settings.files = [e for e in settings.files
                      if not (isinstance(e, dict) and e.get("path") == key)]
    if class_name:
        settings.files.append({"path": key, "class": class_name})
    settings.files = settings.files[-MAX_FILES:]
    store.save(settings)
