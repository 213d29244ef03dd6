"""Docking the test-cook panel into the main window (the one integration point).

    from gui.cook.attach import attach_cook_panel
    panel = attach_cook_panel(window)     # after MainWindow(...) is built

The panel cooks ``document_model.rendered()`` (the text Save To Python writes, unsaved
edits included, with its line map), and a traceback frame opens the callback editor
through ``MainWindow.go_to``.
"""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui.cook.panel import CookPanel

DOCK_HEIGHT = 330  # at 1280x800 the editors keep about half the window
PROBLEMS_HEIGHT = 90


def attach_cook_panel(window) -> CookPanel:
    """Create the cook panel, dock it at the bottom of `window`, wire it; returns it."""
    model = window.document_model
    panel = CookPanel(model.rendered, window)
    panel.setObjectName("cookDock")
    window.add_dock(panel, Qt.DockWidgetArea.BottomDockWidgetArea)
    problems = getattr(window, "problems_dock", None)
    if problems is not None and window.dockWidgetArea(problems) == window.dockWidgetArea(panel):
        # full width for thousands of dots: stack above Problems rather than beside it
        window.splitDockWidget(panel, problems, Qt.Orientation.Vertical)
        window.resizeDocks([panel, problems], [DOCK_HEIGHT, PROBLEMS_HEIGHT],
                           Qt.Orientation.Vertical)
    else:
        window.resizeDocks([panel], [DOCK_HEIGHT], Qt.Orientation.Vertical)

    def open_location(field: str, line: int) -> None:
        from gui.window.problem_map import field_line_of
        window.go_to(*field_line_of((field, line - 1)))

    panel.sig_open_location.connect(open_location)
    model.sig_document_reset.connect(panel.document_changed)
    model.sig_field_changed.connect(panel.document_changed)
    return panel
