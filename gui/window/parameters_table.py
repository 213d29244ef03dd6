"""The Parameters tab: the spare parameters the scheduler node shows, as a table."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QStyledItemDelegate, QTableView, QVBoxLayout,
                               QWidget)

from scheduler_studio.engine.codegen import PARAM_TYPES
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.parameter_rows import defines_template_body
from scheduler_studio.gui.window.module_classes import inherited_template
from scheduler_studio.gui.window.parameter_rows import ParameterRow
from scheduler_studio.gui.window.parameters_model import ParametersModel


def inherited_rows(parameters: list) -> list[ParameterRow]:
    """Table rows for the parameters a base class's templateBody lists."""
    return [ParameterRow(str(p.get("name", "")), str(p.get("label") or p.get("name", "")),
                         str(p.get("type") or "String"), str(p.get("value", "")))
            for p in parameters]

_INTRO = ("Spare parameters appear on the scheduler node in Houdini; read them in a "
          "callback with <code>self[\"name\"].evaluateString()</code> (or "
          "<code>evaluateInt</code>, <code>evaluateFloat</code>).")
_READ_ONLY = "<b>Read-only:</b> {note}."
_INHERITED = ("<b>Inherited, read-only:</b> this class has no <code>templateBody</code> of "
              "its own; its parameters come from <code>{base}.templateBody</code> "
              "(Module prelude, line {line}), built by code. Edit them there.")
_INHERITED_UNREAD = ("<b>Inherited, read-only:</b> this class has no <code>templateBody</code>"
                     " of its own; its parameters come from <code>{base}.templateBody</code>"
                     " (Module prelude, line {line}), built by code the studio does not run,"
                     " so they are not listed here. Edit them there.")
COLUMN_WIDTHS = (200, 260, 130)  # Name, Label, Type (Default stretches)
_BUTTONS_OFF = "The parameters are not this table's to change: see the note above"
_OWN_BODY = ("<b>Not used for this module:</b> its class members define their own "
             "<code>templateBody</code>, which lists the parameters. Edit them there "
             "(Extra members tab), or delete that method to use this table.")


class _TypeDelegate(QStyledItemDelegate):
    """A combo box of the parameter types for the Type column."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems(PARAM_TYPES)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class ParametersTable(QWidget):
    """Add, remove, reorder and edit parameters; invalid cells are tinted with the reason."""

    def __init__(self, model: DocumentModel, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("parametersPage")
        self._doc = model
        self.table_model = ParametersModel(model, self)
        self.view = QTableView(self)
        self.view.setObjectName("parametersView")
        self.view.setModel(self.table_model)
        self.view.setItemDelegateForColumn(2, _TypeDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        triggers = QAbstractItemView.EditTrigger
        self.view.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed
                                  | triggers.AnyKeyPressed | triggers.SelectedClicked)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        # names and labels are short, the type's combo box needs room; the default
        # (a path, a command) takes the rest
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        self.intro = QLabel(_INTRO, self, wordWrap=True)
        self.notice = QLabel(_OWN_BODY, self, wordWrap=True)
        self.notice.setObjectName("notice")
        self.message = QLabel(self, wordWrap=True)
        self.message.setObjectName("formProblem")
        self.add_button = QPushButton("Add", self)
        self.remove_button = QPushButton("Remove", self)
        self.up_button = QPushButton("Move Up", self)
        self.down_button = QPushButton("Move Down", self)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.intro)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.up_button.clicked.connect(lambda: self._on_move(-1))
        self.down_button.clicked.connect(lambda: self._on_move(1))
        self.table_model.sig_problems_changed.connect(self._on_problems)
        model.sig_field_changed.connect(self._on_field_changed)
        model.sig_document_reset.connect(self._update_notice)
        self._on_problems(self.table_model.problems())
        self._update_notice()

    def select_row(self, row: int) -> None:
        """Show and select one parameter (a jump from the Problems list)."""
        if 0 <= row < self.table_model.rowCount():
            self.view.selectRow(row)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_add(self) -> None:
        current = self.view.currentIndex()
        row = self.table_model.add_row(current.row() if current.isValid() else -1)
        self.view.setCurrentIndex(self.table_model.index(row, 0))
        self.view.edit(self.table_model.index(row, 0))

    def _on_remove(self) -> None:
        rows = [index.row() for index in self.view.selectionModel().selectedRows()]
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        self.table_model.remove_rows(rows)

    def _on_move(self, offset: int) -> None:
        current = self.view.currentIndex()
        if current.isValid():
            row = self.table_model.move_row(current.row(), offset)
            self.view.selectRow(row)

    def _on_problems(self, problems: list) -> None:
        self.message.setText("\n".join(f"Row {p.row + 1}, {p.column}: {p.message}"
                                       for p in problems[:5]))
        self.message.setVisible(bool(problems))

    def _on_field_changed(self, key: str) -> None:
        if key == fields.EXTRA_MEMBERS:
            self._update_notice()

    def showEvent(self, event) -> None:
        """The prelude (a base class's templateBody) is edited on another tab: read it
        again when this one shows."""
        super().showEvent(event)
        self._update_notice()

    def _update_notice(self) -> None:
        read_only = "parameters" in self._doc.read_only()
        own_body = defines_template_body(self._doc.value(fields.EXTRA_MEMBERS))
        inherited = None
        if not (read_only or own_body or self._doc.value(fields.PARAMETERS)) \
                and self._doc.raw() is None:
            inherited = inherited_template(self._doc.value(fields.PRELUDE),
                                           self._doc.document().bases)
        if inherited is not None:
            text = _INHERITED if inherited.parameters is not None else _INHERITED_UNREAD
            self.notice.setText(text.format(base=inherited.base, line=inherited.line))
        else:
            self.notice.setText(_READ_ONLY.format(note=self._doc.read_only_note())
                                if read_only else _OWN_BODY)
        self.notice.setVisible(read_only or own_body or inherited is not None)
        self.table_model.show_inherited(None if inherited is None else
                                        inherited_rows(inherited.parameters or []))
        locked = read_only or inherited is not None
        self.table_model.set_read_only(read_only)
        for button in (self.add_button, self.remove_button, self.up_button,
                       self.down_button):
            button.setEnabled(not locked)
            button.setToolTip(_BUTTONS_OFF if locked else "")
