"""The panel in the real editor window: it cooks the document being edited (unsaved
edits included) and a traceback frame opens the callback editor at the line."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.gui.cook.conftest import COOK_TIMEOUT_MS, document_module, editor_window_with_panel


@pytest.fixture
def window_with_panel(qtbot, tmp_path, monkeypatch):
    from scheduler_studio.engine.codegen import parse

    text, _ = document_module(onSchedule="x = 1\nraise RuntimeError('boom in onSchedule')")
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, parse(text.encode()),
                                  theme="dark", size=(1400, 1000)) as window_and_panel:
        yield window_and_panel


def _cook(qtbot, panel, graph="frames") -> str:
    panel.set_graph(graph)
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_traceback_frame_opens_the_callback_editor(qtbot, window_with_panel):
    window, panel = window_with_panel
    assert window.dockWidgetArea(panel) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert _cook(qtbot, panel) == "failed"
    panel.tabs.setCurrentWidget(panel.trace)
    panel.trace.set_filter(errors_only=True)
    panel.trace.select_row(0)
    frames = panel.trace.frames
    qtbot.waitUntil(lambda: frames.count() >= 2)
    last = frames.item(frames.count() - 1)
    with qtbot.waitSignal(panel.sig_open_location) as blocker:
        frames.itemDoubleClicked.emit(last)
    assert blocker.args == ["callback:onSchedule", 2]
    editor = window.editor_for("callback:onSchedule")
    assert editor.lineFromPosition(editor.currentPos()) + 1 == 2


def test_unsaved_edit_is_what_cooks(qtbot, window_with_panel):
    from scheduler_studio.engine.codegen.starters import new_document

    window, panel = window_with_panel
    assert _cook(qtbot, panel) == "failed"          # the document as opened raises
    body = new_document("x", "X").bodies["onSchedule"]
    window.editor_for("callback:onSchedule").set_text(body)   # an edit, never saved
    qtbot.waitUntil(lambda: window.document_model.value("callback:onSchedule") == body)
    assert window.document_model.is_modified()
    assert _cook(qtbot, panel) == "succeeded"
    assert panel.state.count("succeeded") == 41
