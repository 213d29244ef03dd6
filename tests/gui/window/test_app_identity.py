"""The app names itself as its launcher does, and has its icon."""
from __future__ import annotations

from scheduler_studio.engine.package_files import DESKTOP_ID
from scheduler_studio.gui import app as gui_app


def test_desktop_file_name_and_window_icon(qapp):
    app = gui_app._application()
    assert app.desktopFileName() == DESKTOP_ID
    assert not app.windowIcon().isNull()
    assert app.windowIcon().pixmap(64, 64).width() == 64
