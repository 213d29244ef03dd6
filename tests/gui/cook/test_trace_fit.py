"""The trace table fits a narrow dock (no sideways scrolling) and tips the full result."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip

from scheduler_studio.engine.cook.events import CallbackCalled
from scheduler_studio.gui.cook.trace_model import TraceModel
from scheduler_studio.gui.cook.trace_view import COLUMN_WIDTHS, LEAST_WIDTHS, TraceView

LONG = "farm said no to render_1 because the queue 'blades' is closed for maintenance " * 3


def _view(qtbot, width):
    model = TraceModel(lambda item_id: f"render_{item_id}")
    model.add_events([CallbackCalled("onSchedule", None, "<WorkItem render_1>", 0.001,
                                     repr(LONG))])
    view = TraceView(model)
    qtbot.addWidget(view)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    return view, model


def _columns_width(table) -> int:
    header = table.horizontalHeader()
    return sum(header.sectionSize(c) for c in range(len(COLUMN_WIDTHS)))


def test_a_narrow_trace_fits_without_a_horizontal_scrollbar(qtbot):
    view, _model = _view(qtbot, 380)
    table = view.table
    least = view.least_widths()
    assert all(a >= b for a, b in zip(least, LEAST_WIDTHS))
    qtbot.waitUntil(lambda: _columns_width(table) + least[-1]
                    <= table.viewport().width())
    assert not table.horizontalScrollBar().isVisible()
    view.resize(1000, 300)  # room again: the columns go back to their widths
    qtbot.waitUntil(lambda: _columns_width(table) ==
                    sum(max(w, n) for w, n in zip(COLUMN_WIDTHS, least)))


def test_headers_and_callback_names_are_never_cut(qtbot):
    """The trial's narrow trace showed "turned / rais" and "onSched…": however narrow
    the view, each header's text and each callback's name fit their column."""
    from PySide6.QtWidgets import QStyle
    view, model = _view(qtbot, 1000)
    model.add_events([CallbackCalled(name, None, "", 0.001, "True")
                      for name in ("onStopCook", "onScheduleStatic", "getLogURI")])
    table = view.table
    header = table.horizontalHeader()
    pad = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    for width in (1000, 600, 380, 200):
        view.resize(width, 300)
        qtbot.wait(1)
        for column in range(model.columnCount()):
            text = model.headerData(column, Qt.Orientation.Horizontal)
            assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(text) \
                + 4, (width, text, header.sectionSize(column))
            assert header.sectionViewportPosition(column) + header.sectionSize(column) <= \
                header.viewport().width() or table.horizontalScrollBar().isVisible()
        for row in range(model.rowCount()):
            name = model.index(row, 1).data()
            assert table.fontMetrics().horizontalAdvance(name) + pad <= \
                header.sectionSize(1), (width, name)


def test_a_width_the_user_set_is_kept(qtbot):
    view, _model = _view(qtbot, 1000)
    header = view.table.horizontalHeader()
    header.resizeSection(1, 200)
    view.resize(900, 300)
    qtbot.wait(50)
    assert header.sectionSize(1) == 200


def test_the_returned_cell_tips_its_whole_text(qtbot):
    view, model = _view(qtbot, 500)
    table = view.table
    rect = table.visualRect(model.index(0, 4))
    whole = model.entry(0).outcome()
    assert "farm said no" in whole
    assert table.fontMetrics().horizontalAdvance(whole) > rect.width()  # cut on screen
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(),
                       table.viewport().mapToGlobal(rect.center()))
    QApplication.sendEvent(table.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == whole
    QToolTip.hideText()


def test_item_names_show_whole_and_results_by_what_they_say(qtbot):
    """At 1280x800 the trial read "rende…" and "<scheduleResult.Su…": an item name like
    render_12 (and the longest the trace holds) fits its column however narrow the
    table, and an enum a callback returned shows as its member's name."""
    from PySide6.QtWidgets import QStyle
    view, model = _view(qtbot, 1000)
    model.add_events([CallbackCalled("onSchedule", i, f"<WorkItem render_{i}>", 0.001,
                                     "<scheduleResult.Succeeded: 0>") for i in (3, 12)])
    table = view.table
    header = table.horizontalHeader()
    pad = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    for width in (1000, 600, 420, 200):
        view.resize(width, 300)
        qtbot.wait(1)
        assert table.fontMetrics().horizontalAdvance("render_12") + pad <= \
            header.sectionSize(2), (width, header.sectionSize(2))
    assert model.index(2, 4).data() == "Succeeded"
    model.add_events([CallbackCalled("onSchedule", 99, "", 0.001, "True")])
    model._name_of = lambda item_id: "denoise_wedge_long_17"
    model.add_events([CallbackCalled("onSchedule", 17, "", 0.001, "True")])
    qtbot.waitUntil(lambda: header.sectionSize(2) >= table.fontMetrics().horizontalAdvance(
        "denoise_wedge_long_17") + pad)
