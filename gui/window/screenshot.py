"""Render the window to a PNG without a screen (README pictures, visual checks).

The window is shown (offscreen or under Xvfb), the chosen tab opened, and
the picture taken once the live checks have settled, so problems and tab
marks are in it.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.problems_panel import PROBLEMS_HEIGHT

SETTLE_TIMEOUT_S = 10.0


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def find_page(name: str) -> Optional[str]:
    """The page a user means by ``name`` ("file paths", "init", "extra")."""
    wanted = _key(name)
    for page in fields.PAGES:
        if _key(page) == wanted:
            return page
    matches = [page for page in fields.PAGES if _key(page).startswith(wanted)]
    return matches[0] if len(matches) == 1 else None


def wait_until(condition, timeout_s: float = SETTLE_TIMEOUT_S, step_ms: int = 20) -> bool:
    """Run the event loop until ``condition()`` or the timeout (no busy sleeping)."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer(interval=step_ms)
    timer.timeout.connect(loop.quit)
    timer.start()
    try:
        while not condition():
            if time.monotonic() > deadline:
                return False
            loop.exec()
        return True
    finally:
        timer.stop()


def take(window, png: Path, page: Optional[str] = None,
         size: Optional[tuple[int, int]] = None) -> bool:
    """Show ``window`` at ``size`` on ``page`` and save it as ``png``; False on failure."""
    if size:
        window.resize(*size)
    if page:
        window.tabs.setCurrentWidget(window.pages[page])
    window.show()
    wait_until(window.is_ready)  # editors made, Problems docked, checks done
    if getattr(window, "startup_error", ""):
        return False  # the window said why it has no editors: no picture of empty pages
    # a dock hidden for the picture left its room
    window.resizeDocks([window.problems_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)
    QApplication.processEvents()
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    return window.grab().save(str(png))
