"""New scheduler: pick a template, name the type."""
from __future__ import annotations

import re
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QVBoxLayout, QWidget)

from scheduler_studio.gui.window.templates import TemplateInfo

_TYPE_NAME = re.compile(r"^[A-Za-z_][\w.:-]*$")


class NewDocumentDialog(QDialog):
    """Lists the templates; the type name and label follow the choice until edited."""

    def __init__(self, templates: list[TemplateInfo], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("newDocumentDialog")
        self.setWindowTitle("New Scheduler")
        self._templates = templates
        self._names_edited = False
        self.list = QListWidget(self)
        for info in templates:
            item = QListWidgetItem(f"{info.title}\n{info.description}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, info.stem)
            item.setToolTip(str(info.path))
        self.type_name = QLineEdit(self)
        self.type_name.setObjectName("newTypeName")
        self.label = QLineEdit(self)
        self.label.setObjectName("newLabel")
        form = QFormLayout()
        form.addRow("Type name", self.type_name)
        form.addRow("Label", self.label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start from a template:", self))
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._on_template_changed)
        self.type_name.textEdited.connect(self._on_names_edited)
        self.label.textEdited.connect(self._on_names_edited)
        self.type_name.textChanged.connect(self._validate)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.resize(560, 380)
        if templates:
            self.list.setCurrentRow(0)
        self._validate()

    def choice(self) -> tuple[str, str, str]:
        """(template stem, type name, label)."""
        item = self.list.currentItem()
        stem = item.data(Qt.ItemDataRole.UserRole) if item is not None else "local"
        return stem, self.type_name.text().strip(), self.label.text().strip()

    def _on_template_changed(self, row: int) -> None:
        if self._names_edited or not 0 <= row < len(self._templates):
            return
        info = self._templates[row]
        self.type_name.setText("my" + re.sub(r"\W", "", info.stem) + "scheduler")
        self.label.setText("My " + info.title)

    def _on_names_edited(self, _text: str) -> None:
        self._names_edited = True

    def _validate(self) -> None:
        ok = bool(_TYPE_NAME.match(self.type_name.text().strip())) and self.list.currentItem() is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
