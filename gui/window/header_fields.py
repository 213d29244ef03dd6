"""The fields above the tabs: type name, label, class, working directory, Save To Python."""
from __future__ import annotations

import re
from typing import Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSizePolicy, QToolButton, QWidget)

from scheduler_studio.engine.codegen.document import class_name_for
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.module_classes import inherited_template, other_schedulers
from scheduler_studio.gui.window.parameter_rows import defines_template_body

_TYPE_NAME = re.compile(r"^[A-Za-z_][\w.:-]*$")
_CLASS_NAME = re.compile(r"^[A-Za-z_]\w*$")
WORKING_DIR_CALLBACK = fields.callback_field("workingDir")
MODULE_READ_DELAY_MS = 250
_CALLBACK_SERVER_TIP = ("Derive from CallbackServerMixin: jobs report to a result server "
                        "that the scheduler starts in onStartCook")
_FILE_CLASS_TIP = ("The class statement is this file's own: add or remove "
                   "CallbackServerMixin in the code (its base classes and __init__)")
_CHOOSER_TIP = ("This module holds several scheduler classes: choose the one these fields "
                "edit and the test cook cooks (your unsaved edits are kept; Save writes "
                "the whole module)")
_OWN_BODY_TIP = ("The class members define their own templateBody, so this field is "
                 "not written to the module: edit the parameters there.")


class HeaderFields(QWidget):
    """Edits the document's names; the prominent button exports the module."""

    sig_save_to_python = Signal()
    """The user pressed Save To Python."""

    sig_class_chosen = Signal(str)
    """The user chose another scheduler class of the module to edit (its name)."""

    def __init__(self, model: DocumentModel, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerFields")
        self._model = model
        self.edits: dict[str, QLineEdit] = {}
        self._tips: dict[str, str] = {}
        self._classes: list[tuple[str, object]] = []  # the module's, as last read
        self._build()
        # the module's other parts are read again once typing in them pauses
        self._module_timer = QTimer(self, singleShot=True, interval=MODULE_READ_DELAY_MS)
        self._module_timer.timeout.connect(self._on_module_changed)
        self._load()
        model.sig_document_reset.connect(self._load)
        model.sig_field_changed.connect(self._on_model_changed)

    def _build(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        rows = (("type_name", "Type name", "The name Houdini registers the scheduler type "
                 "under (templateName); letters, digits and _", 0, 0),
                ("label", "Label", "What the TOP scheduler menu shows", 0, 2),
                ("class_name", "Class", "The Python class name of the scheduler", 1, 0),
                ("working_dir", "Working Directory", "pdg_workingdir: the default "
                 "directory jobs write to; $HIP and other variables are expanded", 1, 2))
        for key, text, tip, row, column in rows:
            label = QLabel(text, self)
            label.setToolTip(tip)
            edit = QLineEdit(self)
            edit.setObjectName(f"field:{key}")
            edit.setToolTip(tip)
            label.setBuddy(edit)
            if key in ("type_name", "class_name"):
                edit.setMaximumWidth(420)  # names are short; the rest goes to label and path
            edit.textEdited.connect(lambda value, k=key: self._on_edited(k, value))
            self.edits[key] = edit
            self._tips[key] = tip
            grid.addWidget(label, row, column, Qt.AlignmentFlag.AlignRight)
            if key == "working_dir":
                holder = QHBoxLayout()
                holder.setSpacing(4)
                holder.addWidget(edit, 1)
                self.browse_button = QToolButton(self, text="…")
                self.browse_button.setToolTip("Choose a directory")
                self.browse_button.clicked.connect(self._on_browse)
                holder.addWidget(self.browse_button)
                grid.addLayout(holder, row, column + 1)
            else:
                grid.addWidget(edit, row, column + 1)
        self.callback_server = QCheckBox("Callback server", self)
        self.callback_server.setToolTip(_CALLBACK_SERVER_TIP)
        self.callback_server.toggled.connect(
            lambda on: self._model.set_value("use_callback_server", on))
        grid.addWidget(self.callback_server, 0, 4)
        self.save_button = QPushButton("Save To Python", self)
        self.save_button.setObjectName("saveToPython")
        self.save_button.setToolTip("Write the scheduler module where Houdini loads it "
                                    "(a pdg/types folder)  Ctrl+E")
        self.save_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
        self.save_button.clicked.connect(self.sig_save_to_python)
        grid.addWidget(self.save_button, 1, 4)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 3)
        self.class_chooser_label = QLabel("Scheduler class", self)
        self.class_chooser = QComboBox(self)
        self.class_chooser.setObjectName("classChooser")
        self.class_chooser.setToolTip(_CHOOSER_TIP)
        self.class_chooser.setMaximumWidth(420)
        self.class_chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.class_chooser_label.setBuddy(self.class_chooser)
        self.class_chooser.activated.connect(self._on_class_activated)
        grid.addWidget(self.class_chooser_label, 2, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.class_chooser, 2, 1)
        self.class_chooser_label.hide()
        self.class_chooser.hide()
        self.other_classes = QLabel(self)
        self.other_classes.setObjectName("otherClasses")
        self.other_classes.setWordWrap(True)
        self.other_classes.hide()
        grid.addWidget(self.other_classes, 2, 2, 1, 3)

    def _load(self) -> None:
        for key in self.edits:
            self._show(key)
        self.callback_server.blockSignals(True)
        self.callback_server.setChecked(bool(self._model.value("use_callback_server")))
        self.callback_server.blockSignals(False)
        fixed = "use_callback_server" in self._model.read_only()
        self.callback_server.setEnabled(not fixed)
        self.callback_server.setToolTip(_FILE_CLASS_TIP if fixed else _CALLBACK_SERVER_TIP)
        # fixed by the file's class statement: the box cannot be clicked, but its label is
        # read as a fact about the module, not greyed out as if it did not apply
        self.callback_server.setStyleSheet("QCheckBox:disabled { color: palette(window-text); }"
                                           if fixed else "")
        self._update_working_dir_state()
        self._update_classes()
        self._update_other_classes()

    def _update_classes(self) -> None:
        """The chooser lists the module's scheduler classes when there are several
        (read off the module as it is now; a module mid-edit keeps the last list)."""
        model = self._model
        if model.raw() is not None or not any(  # one class: nothing rendered to tell
                "class" in model.value(key) for key in (fields.PRELUDE, fields.TRAILER)):
            self._classes = []
        else:
            found = module_classes(model.module_text())
            if found is not None:
                self._classes = found
        chooser, shown = self.class_chooser, model.value("class_name")
        names = [name for name, _ in self._classes]
        several = len(names) > 1
        chooser.blockSignals(True)
        if [chooser.itemText(i) for i in range(chooser.count())] != names:
            chooser.clear()
            for name, type_name in self._classes:
                chooser.addItem(name)
                chooser.setItemData(chooser.count() - 1, f"registered as type {type_name!r}"
                                    if type_name else "not registered by registerTypes",
                                    Qt.ItemDataRole.ToolTipRole)
        chooser.setCurrentIndex(names.index(shown) if shown in names else -1)
        chooser.blockSignals(False)
        chooser.setVisible(several)
        self.class_chooser_label.setVisible(several)

    def _on_class_activated(self, index: int) -> None:
        name = self.class_chooser.itemText(index)
        if name and name != self._model.value("class_name"):
            self.sig_class_chosen.emit(name)
        self._update_classes()  # a choice that was not taken shows the class edited

    def _update_other_classes(self) -> None:
        """Name the module's other scheduler classes: the window edits one of them."""
        model = self._model
        others = [] if model.raw() is not None else other_schedulers(
            (model.value(fields.PRELUDE), model.value(fields.TRAILER)),
            model.value("class_name"), model.document().bases)
        shown = model.value("class_name")
        if others:
            names = ", ".join(others)
            self.other_classes.setText(
                f"Editing <b>{shown}</b>. Also in this module, kept as written: "
                f"<b>{names}</b> (Module prelude tab); choose one under Scheduler class "
                "to edit it.")
            self.other_classes.setToolTip("The chooser re-reads the module as it is now "
                                          "with the class you pick; `schedstudio cook "
                                          "--class NAME` cooks any of them")
        self.other_classes.setVisible(bool(others))

    def _show(self, key: str) -> None:
        edit, value = self.edits[key], str(self._model.value(key))
        if edit.text() != value:
            edit.setText(value)
        self._validate(key)

    def _on_edited(self, key: str, value: str) -> None:
        follow = (key == "type_name" and self._model.value("class_name")
                  == class_name_for(self._model.value("type_name")))
        self._model.set_value(key, value)
        if follow:  # a derived class name follows the type name
            self._model.set_value("class_name", class_name_for(value))
        self._validate(key)

    def _on_model_changed(self, key: str) -> None:
        if key in self.edits:
            self._show(key)
        elif key == "use_callback_server":
            self.callback_server.setChecked(bool(self._model.value(key)))
        if key in (fields.EXTRA_MEMBERS, WORKING_DIR_CALLBACK, "working_dir"):
            self._update_working_dir_state()
        if key in (fields.PRELUDE, fields.TRAILER, "class_name"):
            self._module_timer.start()

    def _on_module_changed(self) -> None:
        self._update_working_dir_state()
        self._update_classes()
        self._update_other_classes()

    def stop(self) -> None:
        """The window is closing."""
        self._module_timer.stop()

    def _validate(self, key: str) -> None:
        edit = self.edits[key]
        text = edit.text()
        problem = ""
        if key == "type_name" and not _TYPE_NAME.match(text):
            problem = "A type name starts with a letter or _ and has no spaces"
        elif key == "class_name" and not _CLASS_NAME.match(text):
            problem = "A class name is a Python identifier"
        elif key == "label" and not text.strip():
            problem = "Give the scheduler a label for Houdini's menu"
        if bool(problem) != bool(edit.property("invalid")):
            edit.setProperty("invalid", bool(problem))
            edit.style().unpolish(edit)
            edit.style().polish(edit)
        edit.setToolTip(problem or self._tips[key])

    def _update_working_dir_state(self) -> None:
        model = self._model
        own = defines_template_body(model.value(fields.EXTRA_MEMBERS)) \
            or "working_dir" in model.read_only()
        inherited = None
        if not own and model.raw() is None and not model.value("working_dir") \
                and not _has_own_template(model.document()):
            inherited = inherited_template(model.value(fields.PRELUDE), model.document().bases)
        edit = self.edits["working_dir"]
        edit.setEnabled(not (own or inherited))
        self.browse_button.setEnabled(not (own or inherited))
        if own:
            placeholder, tip = "set in the class's own templateBody", _OWN_BODY_TIP
            note = model.document().read_only_note() if "working_dir" in model.read_only() \
                else ""
            if note:
                placeholder = f"set by {model.value('class_name')}.templateBody (built by code)"
                tip = note
        elif inherited is not None:
            placeholder = f"set by {inherited.base}.templateBody (Module prelude)"
            tip = (f"The class inherits {inherited.base}.templateBody, which lists the node's "
                   "parameters: edit it there")
        elif model.value(WORKING_DIR_CALLBACK).strip():
            placeholder = "decided by the workingDir callback (File Paths tab)"
            tip = ("The module's workingDir callback returns the directory; this field is "
                   "pdg_workingdir's default, which that callback may read or ignore")
        else:
            placeholder, tip = "$HIP/pdgtemp", self._tips["working_dir"]
        edit.setPlaceholderText(placeholder)
        edit.setToolTip(tip)

    def _on_browse(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load when first used

        folder = QFileDialog.getExistingDirectory(self, "Working Directory",
                                                  self.edits["working_dir"].text())
        if folder:
            self.edits["working_dir"].setText(folder)
            self._on_edited("working_dir", folder)


def _has_own_template(document) -> bool:
    """Whether the class the document edits has its own templateBody in its file (a
    literal, spliced there, or one built by code): a base's then does not count."""
    origin = getattr(document, "origin", None)
    return origin is not None and (origin.template is not None or bool(origin.template_note))


def module_classes(text: str) -> "Optional[list]":
    """``scheduler_classes`` of the module text, or None when it does not parse now."""
    from scheduler_studio.engine.codegen.classes import scheduler_classes
    from scheduler_studio.engine.codegen.errors import SchedulerParseError

    try:
        return scheduler_classes(text)
    except SchedulerParseError:
        return None
