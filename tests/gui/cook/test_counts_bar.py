"""The counts bar in a refresh: the right figures, and the progress bar painted with the
next frame, not inside the refresh."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel

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


class _LayoutRequests(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_live_counts_do_not_re_lay_the_window_out_and_always_show_whole(qtbot, make_panel):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    bar, requests = panel.counts, _LayoutRequests()
    bar.installEventFilter(requests)
    state = _state({"a": 400})
    label = bar.findChild(QLabel, "cook_counts")
    for step in range(1, 40):                  # a cook's counts going up, refresh by refresh
        state.counts = [400 - step * 10, step, step * 2, step * 7, 0, 0]
        bar.update_counts(state)
        qtbot.wait(1)
        assert label.width() >= label.sizeHint().width()   # no count cut off
    assert requests.count <= 2                 # the first text, and a digit more at most
    state.counts = [123_456, 234_567, 345_678, 456_789, 567_890, 678_901]
    bar.update_counts(state)                   # much wider: the label grows to show it
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width())
    assert "678901 cancelled" in label.text()


def test_before_a_cook_the_bar_shows_the_graphs_own_item_count_or_none(qtbot, make_panel,
                                                                      tmp_path):
    """The trial read "0 / 1 items" for frames (41 items): the count is the graph's when
    its specs say it, and no count at all when only the cook can tell."""
    import json
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    bar = panel.counts.progress
    assert panel.graph() == "frames" and bar.text() == "41 items"
    panel.set_graph("wedge")            # dynamic: the cook decides how many
    assert bar.text() == "" and "1" not in bar.text()
    panel.set_graph("large")
    assert bar.text() == "10,000 items"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"nodes": [{"name": "a", "kind": "nope"}]}), encoding="utf-8")
    panel.set_graph(str(broken))
    assert bar.text() == ""
    panel.set_graph("frames")
    assert bar.text() == "41 items"
    state = _state({})                  # started, no item yet
    state.status = "running"
    panel.counts.update_counts(state)
    assert bar.text() == "0 / 41 items"
