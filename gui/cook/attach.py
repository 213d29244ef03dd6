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

DOCK_HEIGHT = 330  # the least: at 1280x800 the editors keep about 300 px
DOCK_SHARE = 0.4  # of a taller window's height
PROBLEMS_HEIGHT = 90
SHORT_WINDOW = 1000  # below this height Problems shares the panel's place, as a tab


def attach_cook_panel(window) -> CookPanel:
    """Create the cook panel, dock it at the bottom of `window`, wire it; returns it."""
    model = window.document_model
    panel = CookPanel(model.rendered, window, source_provider=model.path)
    panel.setObjectName("cookDock")
    window.add_dock(panel, Qt.DockWidgetArea.BottomDockWidgetArea)
    panel.show()  # a dock added to a window on screen starts hidden, and sizes need it shown
    problems = getattr(window, "problems_dock", None)
    height = max(DOCK_HEIGHT, round(window.height() * DOCK_SHARE))
    if problems is None or window.dockWidgetArea(problems) != window.dockWidgetArea(panel):
        window.resizeDocks([panel], [height], Qt.Orientation.Vertical)
    elif window.height() < SHORT_WINDOW:
        # A short window (1280x800) keeps room for its editors: Problems becomes a
        # tab next to the panel (its title carries the count), the panel on top.
        window.tabifyDockWidget(panel, problems)
        panel.raise_()
        window.resizeDocks([panel], [height], Qt.Orientation.Vertical)
    else:
        # full width for thousands of dots: stack above Problems rather than beside it
        window.splitDockWidget(panel, problems, Qt.Orientation.Vertical)
        window.resizeDocks([panel, problems], [height, PROBLEMS_HEIGHT],
                           Qt.Orientation.Vertical)

    def open_location(field: str, line: int) -> None:
        from gui.window.problem_map import field_line_of
        window.go_to(*field_line_of((field, line - 1)))

    panel.sig_open_location.connect(open_location)
    model.sig_document_reset.connect(panel.document_changed)
    model.sig_field_changed.connect(panel.document_changed)
    return panel
