"""Options of the next test cook: working folder, limits, timing, spare parameter values.

Values typed for spare parameters apply to this cook only (passed to the host as
``--parm``); the module's own defaults are untouched. "More parameters" gives values
to parameters the module reads but does not declare (its HDA's). Stand-ins: a folder of
stand-in modules and farm tools, and modules that get a recording stand-in. Max concurrent jobs appears only
when the scheduler declares a parameter for it (``max_jobs`` and its usual spellings).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QWidget)

from scheduler_studio.gui.cook.module_info import DeclaredParameter, max_jobs_parameter
from scheduler_studio.gui.cook.scrolling_page import scrolling_layout

PARM_COLUMNS = ("Parameter", "Type", "Default", "Value for this cook")


@dataclass
class CookRunOptions:
    """What the panel passes to the cook host."""

    workdir: str = ""
    tick_period: Optional[float] = None
    max_items: Optional[int] = None
    timeout: Optional[float] = None
    parms: dict = field(default_factory=dict)
    standins: list = field(default_factory=list)   # stand-in folders
    stubs: list = field(default_factory=list)      # modules given recording stand-ins
    result_server_auth: bool = True
    post_mortem: bool = True                       # pause where a callback raises


class _BoxLabel(QLabel):
    """A check box's text that wraps (a QCheckBox's own never does, and its one long
    line widened the page past the tab: the form scrolled, "Browse…" was cut off)."""

    def __init__(self, box: QCheckBox, text: str):
        super().__init__(text, box.parentWidget())
        self._box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.toggle()
        super().mousePressEvent(event)


def checked_row(box: QCheckBox, text: str) -> QWidget:
    """`box` beside its wrapping `text` (which toggles it, as a check box's own text)."""
    row = QWidget(box.parentWidget())
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    box.setAccessibleName(text)
    box.setToolTip(text)
    box.setFixedSize(box.sizeHint())   # its indicator: a click anywhere on it toggles
    line.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    label = _BoxLabel(box, text)
    line.addWidget(label, 1)
    box.label = label   # what the user reads beside the box (tests)
    return row


class CookOptionsWidget(QWidget):
    """Edits a `CookRunOptions`; `set_parameters` follows the module being cooked."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._parameters: list[DeclaredParameter] = []
        self._typed: dict[str, str] = {}          # parameter values kept across modules
        self._max_jobs_name = ""

        self._workdir = QLineEdit(self)
        self._workdir.setPlaceholderText("a fresh temporary folder for each cook")
        browse = self.browse_button = QPushButton("Browse…", self)
        browse.setObjectName("browse_workdir")
        browse.setMinimumWidth(browse.sizeHint().width())   # its whole text, never less
        browse.clicked.connect(self._on_browse)
        workdir_row = QHBoxLayout()
        workdir_row.addWidget(self._workdir, 1)
        workdir_row.addWidget(browse)

        self._max_jobs = QSpinBox(self)
        self._max_jobs.setRange(0, 4096)
        self._max_jobs.setSpecialValueText("scheduler default")
        self._max_jobs_label = QLabel("Max concurrent jobs:", self)
        self._tick = QDoubleSpinBox(self)
        self._tick.setRange(0.0, 60.0)
        self._tick.setDecimals(3)
        self._tick.setSingleStep(0.05)
        self._tick.setSuffix(" s")
        self._tick.setSpecialValueText("scheduler default")
        self._max_items = QSpinBox(self)
        self._max_items.setRange(0, 100_000)
        self._max_items.setSpecialValueText("scheduler default")
        self._timeout = QDoubleSpinBox(self)
        self._timeout.setRange(0.0, 24 * 3600.0)
        self._timeout.setDecimals(1)
        self._timeout.setSuffix(" s")
        self._timeout.setSpecialValueText("none")

        self.standins_folder = QLineEdit(self)
        self.standins_folder.setObjectName("standins_folder")
        self.standins_folder.setPlaceholderText("besides NAME.standins/ next to the module")
        self.stubs = QLineEdit(self)
        self.stubs.setObjectName("stubs")
        self.stubs.setPlaceholderText("modules, comma-separated; * = every missing import")
        self.more_parms = QPlainTextEdit(self)
        self.more_parms.setObjectName("more_parameters")
        self.more_parms.setPlaceholderText("NAME=VALUE per line: parameters the module "
                                           "reads but does not declare (its HDA's)")
        self.more_parms.setMaximumHeight(70)
        self.no_auth = QCheckBox(self)
        self.no_auth.setObjectName("result_server_no_auth")
        no_auth_row = checked_row(self.no_auth, "Accept job reports without the cook's "
                                  "secret, as Houdini does (for schedulers that rebuild "
                                  "the address)")
        self.post_mortem = QCheckBox(self)
        self.post_mortem.setObjectName("post_mortem")
        self.post_mortem.setChecked(True)
        post_mortem_row = checked_row(self.post_mortem, "Pause in the debugger where a "
                                      "callback raises (post-mortem)")

        form = QFormLayout()
        form.addRow("Working directory:", workdir_row)
        form.addRow(self._max_jobs_label, self._max_jobs)
        form.addRow("Tick period:", self._tick)
        form.addRow("Max items per tick:", self._max_items)
        form.addRow("Timeout:", self._timeout)
        form.addRow("Stand-ins folder:", self.standins_folder)
        form.addRow("Record calls to:", self.stubs)
        form.addRow("More parameters:", self.more_parms)
        form.addRow("", no_auth_row)
        form.addRow("", post_mortem_row)

        self._table = QTableWidget(0, len(PARM_COLUMNS), self)
        self._table.setObjectName("spare_parameters")
        self._table.setHorizontalHeaderLabels(PARM_COLUMNS)
        self._table.verticalHeader().hide()
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._table.itemChanged.connect(self._on_item_changed)
        self._empty = QLabel("The scheduler declares no spare parameters.", self)

        layout = scrolling_layout(self)
        layout.addLayout(form)
        spare = QLabel("<b>Spare parameters</b> (empty value = the module's default)", self)
        spare.setWordWrap(True)
        layout.addWidget(spare)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._empty)
        self._sync_visibility()

    # -- public ----------------------------------------------------------------------------
    def set_parameters(self, parameters: list[DeclaredParameter]) -> None:
        """Show the spare parameters the module declares; typed values are kept by name."""
        self._parameters = list(parameters)
        self._max_jobs_name = max_jobs_parameter(parameters)
        shown = [p for p in parameters if p.name != self._max_jobs_name]
        self._table.blockSignals(True)
        self._table.setRowCount(len(shown))
        for row, parm in enumerate(shown):
            cells = (parm.label if parm.label == parm.name else f"{parm.label} ({parm.name})",
                     parm.type, "" if parm.default is None else str(parm.default),
                     self._typed.get(parm.name, ""))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, parm.name)
                if column != 3:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self._table.setItem(row, column, cell)
        self._table.blockSignals(False)
        self._sync_visibility()

    def set_workdir(self, path: str) -> None:
        self._workdir.setText(path)

    def set_parameter_value(self, name: str, value: str) -> None:
        """Set a spare parameter's value for the next cook ("" = module default)."""
        if name == self._max_jobs_name:
            self._max_jobs.setValue(int(float(value or 0)))
            return
        self._typed[name] = value
        self.set_parameters(self._parameters)

    def set_timing(self, tick_period: float = 0.0, timeout: float = 0.0,
                   max_items: int = 0) -> None:
        self._tick.setValue(tick_period)
        self._timeout.setValue(timeout)
        self._max_items.setValue(max_items)

    def values(self) -> CookRunOptions:
        names = {p.name for p in self._parameters}
        parms = {name: value for name, value in self._typed.items()
                 if value.strip() and name in names and name != self._max_jobs_name}
        if self._max_jobs_name and self._max_jobs.value() > 0:
            parms[self._max_jobs_name] = str(self._max_jobs.value())
        for line in self.more_parms.toPlainText().splitlines():
            name, sep, value = line.partition("=")
            if sep and name.strip():
                parms.setdefault(name.strip(), value.strip())
        folder = self.standins_folder.text().strip()
        return CookRunOptions(
            workdir=self._workdir.text().strip(),
            tick_period=self._tick.value() or None,
            max_items=self._max_items.value() or None,
            timeout=self._timeout.value() or None,
            parms=parms,
            standins=[folder] if folder else [],
            stubs=self.stub_names(),
            result_server_auth=not self.no_auth.isChecked(),
            post_mortem=self.post_mortem.isChecked())

    def stub_names(self) -> list[str]:
        return [n.strip() for n in self.stubs.text().split(",") if n.strip()]

    def add_stub(self, module: str) -> None:
        """Give `module` a recording stand-in in the next cooks."""
        names = self.stub_names()
        if module not in names:
            self.stubs.setText(", ".join(names + [module]))

    def set_standins_folder(self, folder: str) -> None:
        self.standins_folder.setText(folder)

    # -- slots -----------------------------------------------------------------------------
    def _on_item_changed(self, cell: QTableWidgetItem) -> None:
        if cell.column() == 3:
            self._typed[cell.data(Qt.ItemDataRole.UserRole)] = cell.text().strip()

    def _on_browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Working directory for test cooks",
                                                  self._workdir.text())
        if folder:
            self._workdir.setText(folder)

    def _sync_visibility(self) -> None:
        has_max_jobs = bool(self._max_jobs_name)
        self._max_jobs.setVisible(has_max_jobs)
        self._max_jobs_label.setVisible(has_max_jobs)
        has_rows = self._table.rowCount() > 0
        self._table.setVisible(has_rows)
        self._empty.setVisible(not has_rows)
