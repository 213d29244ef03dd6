"""The trace table fits a narrow dock (no sideways scrolling) and tips the full result."""
from __future__ import annotations

from PySide6.QtCore import QPoint
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
    qtbot.waitUntil(lambda: _columns_width(table) + LEAST_WIDTHS[-1]
                    <= table.viewport().width())
    assert not table.horizontalScrollBar().isVisible()
    view.resize(1000, 300)  # room again: the columns go back to their widths
    qtbot.waitUntil(lambda: _columns_width(table) == sum(COLUMN_WIDTHS))


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
