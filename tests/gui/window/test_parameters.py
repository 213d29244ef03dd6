"""The Parameters tab: rows edited like a spreadsheet, invalid cells explained."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox

from scheduler_studio.engine.codegen import Parameter
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.parameter_rows import ParameterRow, row_problems, to_parameters


def _edit_cell(qtbot, table, row, column, text):
    """Select the cell, F2, replace the text, Enter: as a user does."""
    view = table.view
    view.setFocus()
    view.setCurrentIndex(table.table_model.index(row, column))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and view.isAncestorOf(editor), editor
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=3000)


def test_add_a_parameter_by_typing_and_it_reaches_the_document(window, qtbot):
    window.tabs.setCurrentWidget(window.pages[fields.PARAMETERS_PAGE])
    table = window.parameters
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    row = table.table_model.rowCount() - 1
    _edit_cell(qtbot, table, row, 0, "retries")
    _edit_cell(qtbot, table, row, 1, "Retries")
    table.table_model.setData(table.table_model.index(row, 2), "Integer")
    _edit_cell(qtbot, table, row, 3, "8")
    assert window.document_model.document().parameters[-1] == Parameter(
        "retries", "Retries", "Integer", 8)
    assert "•" in window.tabs.tabText(fields.PAGES.index(fields.PARAMETERS_PAGE))


def test_an_invalid_default_is_tinted_listed_and_blocks_saving(window, qtbot, monkeypatch):
    table = window.parameters
    row = table.table_model.add_row()
    model = table.table_model
    model.setData(model.index(row, 2), "Float")
    model.setData(model.index(row, 3), "fast")
    index = model.index(row, 3)
    assert "float" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert table.message.isVisibleTo(table)
    listed = [p for p in window.problems_model.problems() if p.field == fields.PARAMETERS]
    assert listed and listed[0].line == row + 1
    assert all(p.name != "parm1" for p in window.document_model.document().parameters)

    warning = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warning.append(a))
    assert not window.files.save()
    assert "Parameter row" in warning[0][2]

    window.go_to_problem(listed[0])
    assert window.tabs.currentWidget().isAncestorOf(table)
    assert table.view.currentIndex().row() == row


def test_row_rules():
    rows = [ParameterRow("a", "A", "String", "x"), ParameterRow("a", "A2", "String", ""),
            ParameterRow("2b", "", "Integer", "1.5"), ParameterRow("pdg_workingdir", "", "String"),
            ParameterRow("t", "T", "Toggle", "on")]
    problems = {(p.row, p.column) for p in row_problems(rows)}
    assert problems == {(1, "name"), (2, "name"), (2, "default"), (3, "name")}
    assert to_parameters(rows) == (Parameter("a", "A", "String", "x"),
                                   Parameter("t", "T", "Toggle", True))


def test_a_module_with_its_own_template_body_says_the_table_is_not_used(window):
    model = window.document_model
    model.set_value(fields.EXTRA_MEMBERS, "def helper(self):\n    pass\n")
    assert not window.parameters.notice.isVisibleTo(window.parameters)
    assert window.header.edits["working_dir"].isEnabled()
    model.set_value(fields.EXTRA_MEMBERS, "@classmethod\ndef templateBody(cls):\n    return '{}'\n")
    assert window.parameters.notice.isVisibleTo(window.parameters)
    assert not window.header.edits["working_dir"].isEnabled()
