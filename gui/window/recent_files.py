"""Recently opened and saved files: a short list kept in the settings, and its menu."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu

from scheduler_studio.gui.window.settings import RecentFilesSettings, SettingsStore


class RecentFiles(QObject):
    """Most recent first, no duplicates, at most ``RecentFilesSettings.MAX``."""

    sig_changed = Signal()

    def __init__(self, store: SettingsStore, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = store.load(RecentFilesSettings)

    def paths(self) -> list[Path]:
        return [Path(p) for p in self._settings.paths]

    def add(self, path: Path) -> None:
        text = str(Path(path).resolve())
        paths = [text] + [p for p in self._settings.paths if p != text]
        self._set(paths[:RecentFilesSettings.MAX])

    def remove(self, path: Path) -> None:
        text = str(Path(path).resolve())
        self._set([p for p in self._settings.paths if p != text])

    def clear(self) -> None:
        self._set([])

    def _set(self, paths: list[str]) -> None:
        if paths != self._settings.paths:
            self._settings.paths = paths
            self._store.save(self._settings)
            self.sig_changed.emit()


def fill_menu(menu: QMenu, recent: RecentFiles, open_path: Callable[[Path], None]) -> None:
    """Rebuild ``menu`` from the list (call it from ``aboutToShow``)."""
    menu.clear()
    paths = recent.paths()
    for number, path in enumerate(paths, start=1):
        label = f"&{number} {path.name}" if number < 10 else path.name
        action = menu.addAction(label)
        action.setToolTip(str(path))
        action.setStatusTip(str(path))
        action.setEnabled(path.exists())
        action.triggered.connect(lambda _=False, p=path: open_path(p))
    if paths:
        menu.addSeparator()
        menu.addAction("Clear Recent Files").triggered.connect(recent.clear)
    else:
        menu.addAction("No recent files").setEnabled(False)
