"""`cook_then_screenshot`: cook, wait for the end, render the window (offscreen)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMainWindow

from scheduler_studio.gui.cook.panel import CookPanel
from scheduler_studio.gui.cook.screenshot import cook_then_screenshot
from tests.gui.cook.conftest import LOCAL_TEMPLATE, file_provider


def test_cook_then_screenshot(qtbot, tmp_path):
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = CookPanel(file_provider(LOCAL_TEMPLATE), window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
    window.resize(1000, 700)
    png = tmp_path / "shots" / "failing.png"
    try:
        assert cook_then_screenshot(window, "failing", png, panel=panel)
    finally:
        panel.shutdown()
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1000, 700)
    assert panel.state.status == "failed"
    assert panel.tabs.currentWidget() is panel.details
    assert "render failed on purpose" in panel.details.log_text()
