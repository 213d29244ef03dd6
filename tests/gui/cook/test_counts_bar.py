"""The counts bar in a refresh: the right figures, and the progress bar painted with the
next frame, not inside the refresh."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from scheduler_studio.engine.cook.events import ItemState
from tests.gui.cook.conftest import LOCAL_TEMPLATE, file_provider
from tests.gui.cook.test_dots_view import _state


class _Paints(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_refresh_schedules_the_progress_paint_instead_of_painting(qtbot, make_panel):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    bar = panel.counts
    paints = _Paints()
    bar.progress.installEventFilter(paints)
    state = _state({"a": 400})
    bar.update_counts(state)
    qtbot.wait(50)
    for done in range(1, 40):
        state.apply(ItemState(done, "CookedSuccess", ""))
        before = paints.count
        bar.update_counts(state)                  # the value moves: the text says it
        assert paints.count == before, done       # painted with the next frame
        assert (bar.progress.maximum(), bar.progress.value()) == (400, done)
    qtbot.waitUntil(lambda: paints.count > before, timeout=5000)
    assert "39 succeeded" in bar.counts_text()
