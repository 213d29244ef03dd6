"""The panel's graph chooser: the sample graphs, any graph file, and "Other graph file…"."""
from __future__ import annotations

import os
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from scheduler_studio.engine.model.graph import sample_graphs

OTHER_GRAPH = "Other graph file…"
DEFAULT_GRAPH = "frames"  # the graph a new window offers first


class GraphChooser(QComboBox):
    """Sample graphs by name, plus graph files the user picked."""

    sig_graph_changed = Signal(str)
    """The graph file the next cook uses changed (its path)."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("graph_chooser")
        self.setMinimumContentsLength(14)
        for name, path in sample_graphs().items():
            self.addItem(name, name)
            self.setItemData(self.count() - 1, str(path), Qt.ItemDataRole.ToolTipRole)
        self.addItem(OTHER_GRAPH, "")
        self.setCurrentIndex(max(0, self.findData(DEFAULT_GRAPH)))
        self.activated.connect(self._on_activated)

    def graph(self) -> str:
        """The sample graph name or graph file the next cook uses."""
        data = self.currentData()
        return data if data else self.itemText(0)

    def graph_file(self) -> str:
        graph = self.graph()
        return str(sample_graphs().get(graph, graph))

    def set_graph(self, name_or_path: str) -> None:
        """Choose a sample graph by name, or any graph JSON file by path."""
        index = self.findData(name_or_path)
        if index < 0:
            if not os.path.isfile(name_or_path):
                raise ValueError(f"no sample graph or file named {name_or_path!r}")
            index = self.count() - 1
            self.insertItem(index, os.path.basename(name_or_path), name_or_path)
            self.setItemData(index, name_or_path, Qt.ItemDataRole.ToolTipRole)
        self.setCurrentIndex(index)
        self.sig_graph_changed.emit(self.graph_file())

    def _on_activated(self, index: int) -> None:
        if self.itemData(index):
            self.sig_graph_changed.emit(self.graph_file())
            return
        path, _ = QFileDialog.getOpenFileName(self, "Graph file", "", "Graph JSON (*.json)")
        if path:
            self.set_graph(path)
        else:
            self.setCurrentIndex(max(0, self.findData(DEFAULT_GRAPH)))
