"""Fixtures for the cook panel tests: a shown window with the panel, test modules.

Every panel is shut down at the end, and the test fails if a cook was still running
or one of the panel's timers was left active.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Optional

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow

from scheduler_studio.engine.codegen.document import FrozenMap
from scheduler_studio.engine.codegen.starters import new_document
from scheduler_studio.engine.codegen.rendering import render
from scheduler_studio.gui.cook.panel import CookPanel

ROOT = Path(__file__).resolve().parents[3]
LOCAL_TEMPLATE = ROOT / "resources" / "templates" / "local.py"
DATA = Path(__file__).resolve().parent / "data"
COOK_TIMEOUT_MS = 60_000


def file_provider(path: Path):
    """A module provider for a file not written by codegen: no line map."""
    return lambda: (path.read_text(encoding="utf-8"), None)


def document_module(**bodies: str):
    """(text, line_map) of the local template with these callback bodies replaced."""
    doc = new_document("testsched", "Test Scheduler")
    merged = dict(doc.bodies)
    merged.update(bodies)
    return render(replace(doc, bodies=FrozenMap(merged)))


@pytest.fixture
def make_panel(qtbot):
    """Factory: a CookPanel docked in a shown QMainWindow."""
    made = []

    def make(provider, size=(1100, 800)) -> CookPanel:
        window = QMainWindow()
        qtbot.addWidget(window)
        panel = CookPanel(provider, window)
        panel.options.post_mortem.setChecked(False)  # tests of raising cooks expect an end
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        made.append((window, panel))   # qtbot keeps only a weak reference
        return panel

    yield make
    for _window, panel in made:
        still_cooking, active = finish_panel(qtbot, panel)
        assert not still_cooking, "a test left its cook running"
        assert not active, f"timers left running: {active}"


def finish_panel(qtbot, panel: CookPanel, timeout_ms: int = COOK_TIMEOUT_MS) -> tuple[bool, list]:
    """Cancel a cook a test left running (and wait for its end), shut the panel down;
    (whether it was still cooking, the panel's timers still active)."""
    still_cooking = panel.is_cooking()
    if still_cooking:
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=timeout_ms):
            panel.cancel()
    panel.shutdown()
    return still_cooking, [t for t in panel.findChildren(QTimer) if t.isActive()]


@contextmanager
def editor_window_with_panel(qtbot, tmp_path: Path, monkeypatch, document, *, theme: str,
                             size: tuple[int, int], timeout_ms: int = COOK_TIMEOUT_MS,
                             path: Optional[Path] = None):
    """The real editor window on `document` (opened from `path`, when given; settings
    and data under `tmp_path`), its cook panel attached, shown; closed at the end
    without asking to save."""
    from scheduler_studio.gui.cook.attach import attach_cook_panel
    from scheduler_studio.gui.main_window import MainWindow
    from scheduler_studio.gui.window import prompts
    from scheduler_studio.gui.window.settings import ini_settings

    window = MainWindow(document, path, settings=ini_settings(tmp_path / "settings.ini"),
                        data_dir=tmp_path / "data", theme=theme)
    window.resize(*size)
    panel = attach_cook_panel(window)
    panel.options.post_mortem.setChecked(False)  # tests of raising cooks expect an end
    window.show()
    qtbot.waitExposed(window)
    yield window, panel
    finish_panel(qtbot, panel, timeout_ms)
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *args: "discard")
    window.close()
    assert window.cook_session.is_closed()  # the window's cook processes ended with it
    window.deleteLater()


def cook(qtbot, panel: CookPanel, graph: str, static: bool = False) -> str:
    """Choose `graph`, click Cook (or Cook Static) and wait for the end; the status."""
    panel.set_graph(graph)
    button = panel.cook_static_button if static else panel.cook_button
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def session_processes(sid: int) -> list[int]:
    """Living processes whose session is `sid` (the cook host's pid)."""
    import psutil
    out = []
    for proc in psutil.process_iter(["pid", "status"]):
        try:
            if os.getsid(proc.pid) == sid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                out.append(proc.pid)
        except (ProcessLookupError, PermissionError, psutil.Error):
            pass
    return out
