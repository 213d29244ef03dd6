"""Fixtures for the window tests: windows on temporary settings and data folders.

Every window is closed at the end of its test with the unsaved-changes
question answered "discard", and must leave no timer running and no
worker thread busy.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool, QTimer, Qt
from PySide6.QtWidgets import QApplication, QWidget

from scheduler_studio.gui.main_window import MainWindow
from scheduler_studio.gui.window import prompts
from scheduler_studio.gui.window.settings import ini_settings


def leftover_activity(window) -> list:
    """Timers still running and thread pools still busy under ``window``."""
    timers = [(t, t.parent()) for t in window.findChildren(QTimer) if t.isActive()]
    pools = [p for p in window.findChildren(QThreadPool) if p.activeThreadCount()]
    return timers + pools


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "settings.ini"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def make_window(qtbot, settings_path, data_dir, monkeypatch):
    """Factory for shown MainWindows; checks they end cleanly.

    Closed here rather than by ``qtbot.addWidget``, which would close them
    before this teardown could answer the unsaved-changes question.
    """
    made = []

    def make(document=None, path=None, theme="light", size=(1280, 800), show=True, raw=None):
        window = MainWindow(document, path, settings=ini_settings(settings_path),
                            data_dir=data_dir, theme=theme, raw=raw)
        if size:
            window.resize(*size)
        if show:
            window.show()
            qtbot.waitExposed(window)
            window.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
        made.append(window)
        return window

    yield make
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *args: "discard")
    for window in made:
        window.close()
        assert window.isHidden()
        assert not leftover_activity(window), leftover_activity(window)
        window.deleteLater()


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()


class Answer:
    """A stand-in for a prompt: gives `answer`, keeps the arguments of each call."""

    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def __call__(self, *args):
        self.calls.append(args)
        return self.answer


def focus(editor) -> None:
    """Give an editor the keyboard focus (ScintillaEdit.setFocus is SCI_SETFOCUS)."""
    editor.activateWindow()
    QWidget.setFocus(editor)


def type_text(qtbot, widget, text: str) -> None:
    """Type like a user; newlines are Return presses (QTest cannot type "\\n")."""
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(widget, line)


def wait_checked(qtbot, window, timeout=10000) -> None:
    """Wait until the live checks have settled."""
    qtbot.waitUntil(window.is_ready, timeout=timeout)
