"""Settings dataclasses in QSettings, recent files, window state and theme across starts."""
from __future__ import annotations

from PySide6.QtGui import QPalette

from scheduler_studio.gui.editor import load_theme
from scheduler_studio.gui.window.recent_files import RecentFiles
from scheduler_studio.gui.window.settings import (AppearanceSettings, RecentFilesSettings,
                                                  SettingsStore, WindowSettings, ini_settings)


def test_sections_round_trip_and_a_foreign_schema_reads_as_defaults(tmp_path):
    store = SettingsStore(ini_settings(tmp_path / "s.ini"))
    store.save(WindowSettings(geometry=b"\x01\x02", state=b"\x03"))
    store.save(RecentFilesSettings(paths=["/only/one.py"]))  # one item: INI's list trap
    again = SettingsStore(ini_settings(tmp_path / "s.ini"))
    assert again.load(WindowSettings) == WindowSettings(b"\x01\x02", b"\x03")
    assert again.load(RecentFilesSettings).paths == ["/only/one.py"]
    qs = again.qsettings()
    qs.setValue("appearance/schema", 99)
    qs.setValue("appearance/theme", "neon")
    assert again.load(AppearanceSettings) == AppearanceSettings()
    qs.setValue("recent_files/paths", "not json")
    assert again.load(RecentFilesSettings) == RecentFilesSettings()


def test_recent_files_most_recent_first_without_duplicates(tmp_path):
    recent = RecentFiles(SettingsStore(ini_settings(tmp_path / "s.ini")))
    for name in ("a", "b", "a", *"cdefghijkl"):
        recent.add(tmp_path / f"{name}.py")
    names = [p.stem for p in recent.paths()]
    assert names[:3] == ["l", "k", "j"] and len(names) == RecentFilesSettings.MAX
    assert names.count("a") <= 1


def test_theme_switch_recolours_window_and_editors_and_is_remembered(make_window, qtbot):
    window = make_window(theme="light")
    editor = window.editor_for("callback:onTick")
    light_back = editor.styleBack(32)
    window.actions["view/dark_theme"].trigger()
    dark = load_theme("dark")
    assert window.palette().color(QPalette.ColorRole.Window).name() == dark.ui["window"]
    assert editor.styleBack(32) != light_back
    assert editor.theme().name == "dark"
    later = window.editor_for("callback:getLogURI")  # a page built after the switch
    assert later.theme().name == "dark"
    # The next window starts dark (same settings file).
    second = make_window(theme=None)
    assert second.theme().name == "dark"


def test_window_geometry_and_zoom_survive_a_restart(make_window, qtbot):
    first = make_window(size=(720, 520))
    first.editors.zoom_in()
    first.editors.zoom_in()
    assert first.editor_for("callback:onTick").zoom_level() == 2
    first.close()
    second = make_window(size=None)
    assert (second.width(), second.height()) == (720, 520)
    assert second.editor_for("callback:onTick").zoom_level() == 2
    assert second.editor_for("callback:getLogURI").zoom_level() == 2
