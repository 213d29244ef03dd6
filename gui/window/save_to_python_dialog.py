"""Save To Python: choose a Houdini pdg/types folder (or any folder) and a file name."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from scheduler_studio.gui.window.houdini_prefs import HoudiniTypesDir

_EXPLAIN = ("Houdini loads the scheduler modules of every <code>pdg/types</code> folder on "
            "its path when it starts. Choose one of your Houdini preference folders:")
_NONE_FOUND = ("No Houdini preference folder was found (looked at "
               "<code>$HOUDINI_USER_PREF_DIR</code> and <code>~/houdiniX.Y</code>). "
               "Choose a folder on your HOUDINI_PATH:")


class SaveToPythonDialog(QDialog):
    """Offers the pdg/types folders found; ``target()`` is the file to write."""

    def __init__(self, found: list[HoudiniTypesDir], file_name: str,
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveToPythonDialog")
        self.setWindowTitle("Save To Python")
        self.list = QListWidget(self)
        for item in found:
            entry = QListWidgetItem(item.describe(), self.list)
            entry.setData(Qt.ItemDataRole.UserRole, str(item.types))
            entry.setToolTip(f"from {item.source}: {item.prefs}")
        self.other_button = QPushButton("Other Folder…", self)
        self.other_button.clicked.connect(self._on_other)
        self.file_name = QLineEdit(file_name, self)
        self.file_name.setObjectName("saveToPythonFile")
        self.create = QCheckBox("Create the pdg/types folder when it does not exist", self)
        self.create.setChecked(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save To Python")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("File name", self.file_name)
        layout = QVBoxLayout(self)
        intro = QLabel(_EXPLAIN if found else _NONE_FOUND, self, wordWrap=True)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.other_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form)
        layout.addWidget(self.create)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(lambda _row: self._validate())
        self.file_name.textChanged.connect(lambda _text: self._validate())
        if found:
            self.list.setCurrentRow(0)
        self.resize(640, 360)
        self._validate()

    def folders(self) -> list[str]:
        """The folders offered, as shown."""
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def select_folder(self, folder: Path) -> None:
        for row, offered in enumerate(self.folders()):
            if Path(offered) == Path(folder):
                self.list.setCurrentRow(row)
                return
        self._add_folder(str(folder))

    def target(self) -> Optional[Path]:
        item = self.list.currentItem()
        name = self.file_name.text().strip()
        if item is None or not name:
            return None
        if not name.endswith(".py"):
            name += ".py"
        return Path(item.data(Qt.ItemDataRole.UserRole)) / name

    def create_folder(self) -> bool:
        return self.create.isChecked()

    def _on_other(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the scheduler module")
        if folder:
            self._add_folder(folder)

    def _add_folder(self, folder: str) -> None:
        entry = QListWidgetItem(folder, self.list)
        entry.setData(Qt.ItemDataRole.UserRole, folder)
        self.list.setCurrentItem(entry)

    def _validate(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            self.target() is not None)


def ask_save_anyway(parent: Optional[QWidget], verdict) -> str:
    """'save' or 'cancel' before writing a module Houdini would not load (a HoudiniVerdict)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, "Save To Python",
                      "Houdini would not load this module.", QMessageBox.StandardButton.NoButton,
                      parent)
    box.setObjectName("saveAnywayQuestion")
    box.setInformativeText(f"{verdict.listing()}\n\nSave it anyway? TOPs will not list it "
                           "until it is fixed.")
    save = box.addButton("Save Anyway", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return "save" if box.clickedButton() is save else "cancel"
