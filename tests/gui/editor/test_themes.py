"""Themes are data: both files load, apply, differ, and render readable pixels."""
from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from pyside6_scintilla import Scintilla

from scheduler_studio.gui.editor import (CodeEditor, apply_theme, available_themes, load_theme,
                                         theme_palette)
from scheduler_studio.gui.editor.themes import THEMES_DIR, bgr, style_numbers, theme_from_dict

SAMPLE = '''import pdg

class LocalScheduler(PyScheduler):
    """Runs work items as local processes."""

    def onSchedule(self, work_item):
        # expand tokens, then start the job
        cmd = self.expandCommandTokens(work_item.command, work_item)
        self.jobs[work_item.id] = (cmd, 1.5, [1, 2])
        return pdg.scheduleResult.Succeeded
'''


def test_both_themes_ship_with_the_same_keys():
    assert {"dark", "light"} <= set(available_themes())
    dark = json.loads((THEMES_DIR / "dark.json").read_text())
    light = json.loads((THEMES_DIR / "light.json").read_text())
    assert dark["ui"].keys() == light["ui"].keys()
    assert set(dark["styles"]) == set(light["styles"]) == set(style_numbers())


def test_unknown_style_name_or_format_is_refused():
    data = json.loads((THEMES_DIR / "dark.json").read_text())
    with pytest.raises(ValueError, match="SCE_P_NOPE"):
        theme_from_dict({**data, "styles": {"SCE_P_NOPE": {"fore": "#000000"}}})
    with pytest.raises(ValueError, match="format"):
        theme_from_dict({**data, "format": 99})


@pytest.mark.parametrize("name", ["dark", "light"])
def test_theme_applies_style_colours(qtbot, name):
    editor = CodeEditor(theme=name)
    qtbot.addWidget(editor)
    theme = load_theme(name)
    assert editor.theme() is theme
    default = Scintilla.StylesCommon.Default
    assert editor.styleBack(default) == bgr(theme.ui["background"])
    keyword = style_numbers()["SCE_P_WORD"]
    assert editor.styleFore(keyword) == bgr(theme.styles["SCE_P_WORD"]["fore"])
    assert editor.styleBack(keyword) == bgr(theme.ui["background"])


def test_switching_theme_changes_the_background(qtbot):
    editor = CodeEditor(theme="light")
    qtbot.addWidget(editor)
    light_back = editor.styleBack(Scintilla.StylesCommon.Default)
    apply_theme(editor, "dark")
    dark_back = editor.styleBack(Scintilla.StylesCommon.Default)
    assert dark_back != light_back
    assert QColor(load_theme("dark").ui["background"]).lightness() < 60
    assert QColor(load_theme("light").ui["background"]).lightness() > 200


def test_theme_palette_for_the_host():
    palette = theme_palette("dark")
    assert palette.color(QPalette.ColorRole.Base) == QColor(load_theme("dark").ui["base"])


@pytest.mark.parametrize("name", ["dark", "light"])
def test_screenshot_is_not_blank(make_editor, tmp_path, name):
    editor = make_editor(SAMPLE, theme=name, size=(560, 260))
    path = tmp_path / f"editor-{name}.png"
    assert editor.grab().save(str(path))
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2)}
    assert len(colours) > 20  # text in several colours, not one flat fill
    background = QColor(load_theme(name).ui["background"]).rgb()
    text_area = image.pixel(image.width() // 2, image.height() - 30)
    assert text_area == background


@pytest.mark.parametrize("name", ["dark", "light"])
def test_current_line_is_highlighted_while_focused(make_editor, qtbot, name):
    editor = make_editor("a = 1\nb = 2\nc = 3\n", theme=name, size=(300, 120))
    editor.gotoPos(editor.positionFromLine(1))
    caret_line = QColor(load_theme(name).ui["caret_line"]).rgb()

    def line_colour() -> int:
        image = editor.grab().toImage()
        y = editor.pointYFromPosition(editor.positionFromLine(1)) + 2
        return image.pixel(image.width() - 40, y)

    qtbot.waitUntil(editor.hasFocus)
    qtbot.waitUntil(lambda: line_colour() == caret_line)
