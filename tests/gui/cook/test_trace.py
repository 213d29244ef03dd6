"""The callback trace: errors are listed, and a traceback frame opens the editor."""
from __future__ import annotations

from PySide6.QtCore import Qt

from scheduler_studio.engine.cook.events import CallbackCalled, CallbackSlow
from scheduler_studio.gui.cook.trace_model import MAX_ENTRIES, TraceModel, module_location
from tests.gui.cook.conftest import LOCAL_TEMPLATE, cook, document_module, file_provider

RAISING_BODY = "x = 1\nraise RuntimeError('boom in onSchedule')"


def _double_click(qtbot, widget, pos) -> None:
    """Press, release, then double-click: what a real double-click delivers (item views
    only emit doubleClicked for the index the press landed on)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def _click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_raising_callback_is_traced_and_frame_opens_editor(qtbot, make_panel):
    text, line_map = document_module(onSchedule=RAISING_BODY)
    panel = make_panel(lambda: (text, line_map))
    assert cook(qtbot, panel, "frames") == "failed"
    model, trace = panel.trace_model, panel.trace
    assert model.errors == 20                          # one per render item offered
    panel.tabs.setCurrentWidget(trace)
    trace.set_filter(errors_only=True)
    assert model.rowCount() == 20
    entry = model.entry(0)
    assert entry.name == "onSchedule" and entry.item_name == "render_1"
    assert "boom in onSchedule" in entry.outcome()

    _click_row(qtbot, trace.table, 0)
    frames = trace.frames
    qtbot.waitUntil(lambda: frames.count() >= 2)
    last = frames.item(frames.count() - 1)
    assert "callback:onSchedule line 2" in last.text()
    with qtbot.waitSignal(panel.sig_open_location, timeout=2000) as blocker:
        _double_click(qtbot, frames.viewport(), frames.visualItemRect(last).center())
    assert blocker.args == ["callback:onSchedule", 2]

    # double-clicking the error row itself goes to the innermost frame in the module
    with qtbot.waitSignal(panel.sig_open_location, timeout=2000) as blocker:
        rect = trace.table.visualRect(model.index(0, 1))
        _double_click(qtbot, trace.table.viewport(), rect.center())
    assert blocker.args == ["callback:onSchedule", 2]


def test_frames_outside_the_module_do_not_open(qtbot, make_panel):
    text, line_map = document_module(onSchedule=RAISING_BODY)
    panel = make_panel(lambda: (text, line_map))
    assert cook(qtbot, panel, "frames") == "failed"
    panel.tabs.setCurrentWidget(panel.trace)
    panel.trace.set_filter(errors_only=True)
    _click_row(qtbot, panel.trace.table, 0)
    frames = panel.trace.frames
    first = frames.item(0)                             # engine/cook/invoker.py
    assert "invoker.py" in first.text()
    with qtbot.assertNotEmitted(panel.sig_open_location):
        _double_click(qtbot, frames.viewport(), frames.visualItemRect(first).center())


def test_module_without_line_map_reports_unmapped_line(qtbot, make_panel, tmp_path):
    text, _ = document_module(onSchedule=RAISING_BODY)
    path = tmp_path / "handwritten.py"
    path.write_text(text)
    panel = make_panel(file_provider(path))
    assert cook(qtbot, panel, "frames") == "failed"
    panel.tabs.setCurrentWidget(panel.trace)
    panel.trace.set_filter(errors_only=True)
    _click_row(qtbot, panel.trace.table, 0)
    frames = panel.trace.frames
    last = frames.item(frames.count() - 1)
    with qtbot.waitSignal(panel.trace.sig_unmapped_location, timeout=2000) as blocker:
        with qtbot.assertNotEmitted(panel.sig_open_location):
            _double_click(qtbot, frames.viewport(), frames.visualItemRect(last).center())
    assert blocker.args[1] == text.splitlines().index(
        "        raise RuntimeError('boom in onSchedule')") + 1
    assert "no editor" in panel.counts.status_text()


def test_trace_filters_by_callback_item_and_errors(qtbot, make_panel):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    assert cook(qtbot, panel, "failing") == "failed"
    model = panel.trace_model
    total = model.rowCount()
    assert total == model.total > 0
    panel.trace.set_filter(callback="getLogURI")
    assert model.rowCount() == 14
    panel.trace.set_filter(item="7")                   # by id: render_7, and names with 7
    names = {model.entry(r).item_name for r in range(model.rowCount())}
    assert "render_7" in names and all("7" in n for n in names)
    panel.trace.set_filter(errors_only=True)
    assert model.rowCount() == 0
    panel.trace.set_filter()
    assert model.rowCount() == total


def test_module_location_maps_through_line_map():
    text, line_map = document_module(onSchedule=RAISING_BODY)
    line = text.splitlines().index("        raise RuntimeError('boom in onSchedule')") + 1
    frame = {"file": "/x/mod.py", "line": line}
    assert module_location(frame, "/x/mod.py", line_map) == ("callback:onSchedule", 2)
    assert module_location(frame, "/x/other.py", line_map) is None
    assert module_location(frame, "/x/mod.py", None) is None
    assert module_location({"file": "/x/mod.py", "line": 10_000}, "/x/mod.py", line_map) is None
    class_line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("class "))
    assert module_location({"file": "/x/mod.py", "line": class_line}, "/x/mod.py",
                           line_map)[0] == "header"


def test_model_caps_entries_and_keeps_filters(qtbot):
    model = TraceModel(lambda item: f"n_{item}" if item is not None else "")
    batch = [CallbackCalled("onTick", None, "", 0.001, "ok") for _ in range(1000)]
    for _ in range(MAX_ENTRIES // 1000 + 3):
        model.add_events(batch)
    assert model.total <= MAX_ENTRIES and model.dropped > 0
    model.add_events([CallbackCalled("onSchedule", 3, "<WorkItem n_3>", 0.5, None,
                                     {"message": "ValueError: bad", "traceback": []}),
                      CallbackSlow("onSchedule", 4, 2.5)])
    model.set_filter(errors_only=True)
    assert model.rowCount() == 1 and model.entry(0).item_name == "n_3"
    model.set_filter(callback="onSchedule")
    assert model.rowCount() == 2
    assert model.entry(1).slow and "still running" in model.entry(1).outcome()


def test_the_ring_drops_the_oldest_from_the_top_and_says_what_it_dropped(qtbot):
    from scheduler_studio.gui.cook.trace_view import TraceView
    model = TraceModel(lambda item: f"n_{item}" if item is not None else "")
    view = TraceView(model)
    qtbot.addWidget(view)
    raised = {"message": "boom", "traceback": []}
    first = [CallbackCalled("onSchedule", 1, "", 0.001, None, raised)] + \
        [CallbackCalled("onTick", None, "", 0.001, "ok") for _ in range(MAX_ENTRIES - 1)]
    model.add_events(first)
    model.set_filter(callback="onSchedule")
    assert model.rowCount() == 1
    model.set_filter()
    view.select_row(MAX_ENTRIES - 1)                   # the newest call is selected
    selected = model.entry(MAX_ENTRIES - 1).seq
    resets, removed = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsRemoved.connect(lambda _parent, a, b: removed.append((a, b)))

    model.add_events([CallbackCalled("onSchedule", 2, "", 0.001, "Succeeded")])

    assert resets == [] and removed and removed[0][0] == 0   # rows left from the top
    assert model.total <= MAX_ENTRIES and model.dropped == MAX_ENTRIES + 1 - model.total
    assert model.dropped_by_name["onSchedule"] == 1 and model.dropped_errors == 1
    assert model.dropped_by_name["onTick"] == model.dropped - 1
    assert model.errors == 1                            # still counted: it did raise
    rows = view.table.selectionModel().selectedRows()
    assert [model.entry(i.row()).seq for i in rows] == [selected]  # selection kept
    assert model.entry(model.rowCount() - 1).item == 2
    model.set_filter(callback="onSchedule")             # the dropped call is gone
    assert [model.entry(r).item for r in range(model.rowCount())] == [2]
    note = view._count.toolTip()
    assert f"{model.dropped:,} older ones were dropped (1 of them raised)" in note
    assert "onSchedule 1" in note and f"onTick {model.dropped - 1:,}" in note


def test_a_batch_larger_than_the_ring_keeps_its_newest_calls(qtbot):
    model = TraceModel(lambda item: "")
    model.add_events([CallbackCalled("onTick", i, "", 0.0, "ok")
                      for i in range(MAX_ENTRIES + 10)])
    assert model.total == model.rowCount() <= MAX_ENTRIES
    assert model.entry(model.rowCount() - 1).item == MAX_ENTRIES + 9
    assert model.dropped == MAX_ENTRIES + 10 - model.total


def test_a_call_is_one_row_however_often_it_is_reported(qtbot):
    """The trial's hung onSchedule had two rows ("still running after 1.2 s", "... after
    5.8 s") and the header counted 8 calls for 7: its reports update its one row."""
    from scheduler_studio.gui.cook.trace_view import TraceView
    model = TraceModel(lambda item: f"render_{item}" if item is not None else "")
    view = TraceView(model)
    qtbot.addWidget(view)
    model.add_events([CallbackCalled("onStart", None, "", 0.001, "True"),
                      CallbackSlow("onSchedule", 3, 1.2)])
    changed = []
    model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    model.add_events([CallbackCalled("onTick", None, "", 0.001, "True")])
    model.add_events([CallbackSlow("onSchedule", 3, 5.8, "timeout", "/m.py", 12)])
    assert model.total == model.rowCount() == 3
    assert changed == [(1, 1)]
    row = model.entry(1)
    assert (row.seq, row.name, row.item_name) == (2, "onSchedule", "render_3")
    assert model.index(1, 4).data() == "stopped by the timeout after 5.8 s"
    assert model.index(1, 3).data() == "5800.00 ms"
    assert view._count.text() == "3 calls"

    # a slow call that returns in the end: its row becomes the finished call
    model.add_events([CallbackSlow("onSchedule", 4, 1.1)])
    model.set_filter(errors_only=True)
    assert model.rowCount() == 1                       # the stopped call
    model.add_events([CallbackCalled("onSchedule", 4, "<WorkItem render_4>", 1.5, None,
                                     {"message": "OSError: farm gone", "traceback": []})])
    assert [model.entry(r).item for r in range(model.rowCount())] == [3, 4]
    model.set_filter()
    assert model.total == model.rowCount() == 4 and model.errors == 1
    assert model.index(3, 4).data() == "OSError: farm gone"
    # the next call of the same callback on the same item is a call of its own
    model.add_events([CallbackCalled("onSchedule", 4, "<WorkItem render_4>", 0.1,
                                     "<scheduleResult.Succeeded: 0>")])
    assert model.total == 5
    assert model.index(4, 4).data() == "Succeeded"      # what it says shows, however narrow
    assert model.entry(4).outcome() == "<scheduleResult.Succeeded: 0>"


def test_the_call_running_when_the_host_ended_says_so(qtbot):
    model = TraceModel(lambda item: f"render_{item}" if item is not None else "")
    model.add_events([CallbackSlow("onSchedule", 5, 2.0)])
    model.add_host_end("onSchedule", 5, "the cook host ended in this call")
    model.add_host_end("onTick", None, "the cook host ended in this call")
    assert model.total == 2
    assert model.index(0, 4).data() == "the cook host ended in this call after 2.0 s"
    assert model.index(1, 4).data() == "the cook host ended in this call"
    assert model.index(1, 3).data() == "…"
