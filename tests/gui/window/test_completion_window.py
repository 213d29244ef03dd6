"""Completion in a callback editor knows work_item and self from the whole module."""
from __future__ import annotations

from PySide6.QtCore import Qt

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.completion_context import field_span, module_context
from tests.gui.window.conftest import focus, type_text, wait_checked

ON_SCHEDULE = fields.callback_field("onSchedule")


def test_work_item_dot_offers_members_and_enter_inserts(window, qtbot):
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\nwork_item.")
    qtbot.waitUntil(editor.autoCActive, timeout=30000)
    qtbot.keyClicks(editor, "addOutputFi")
    qtbot.waitUntil(lambda: bytes(editor.autoCCurrentText()).decode() == "addOutputFile",
                    timeout=30000)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text().rstrip().endswith("work_item.addOutputFile")
    assert window.document_model.value(ON_SCHEDULE).rstrip().endswith("work_item.addOutputFile")
    window.completion.wait_for_done(30000)


def test_self_completes_scheduler_base_methods(window, qtbot):
    editor = window.editor_for(fields.callback_field("onTick"))
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\nself.onWorkItemSucc")
    qtbot.waitUntil(editor.autoCActive, timeout=30000)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text().rstrip().endswith("self.onWorkItemSucceeded")
    window.completion.wait_for_done(30000)


def test_context_puts_the_current_text_where_the_line_map_says(window, qtbot):
    wait_checked(qtbot, window)  # the lint worker's rendering is there to reuse
    model = window.document_model
    text = "x = 1\nwork_item."
    source, offset, indent = module_context(model, ON_SCHEDULE, text)
    lines = source.split("\n")
    assert lines[offset:offset + 2] == ["        x = 1", "        work_item."]
    assert indent == 8
    assert lines[offset - 1].strip().startswith("def onSchedule(self, work_item")


def test_context_for_an_empty_callback_renders_its_method(window):
    model = window.document_model
    field = fields.callback_field("submitAsJob")
    model.set_value(field, "")
    source, offset, indent = module_context(model, field, "self.")
    assert source.split("\n")[offset] == "        self."
    assert source.split("\n")[offset - 1].strip() == "def submitAsJob(self, graph_file, node_path):"


def test_field_span():
    line_map = [None, ("prelude", 0), ("prelude", 1), None, ("callback:onTick", 0)]
    assert field_span(line_map, "prelude") == (1, 2)
    assert field_span(line_map, "callback:onTick") == (4, 1)
    assert field_span(line_map, "trailer") is None
