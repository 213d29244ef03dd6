"""Showing a main window: first paint first, then what it does not need (the cook
panel, messages, jedi's warm-up). Apart from `scheduler_studio.gui.app` so that a window can show
another (`MainWindow.new_window`) without the window importing the application."""
from __future__ import annotations


def show_window(window, error: str = "", offer_recovery: bool = False) -> None:
    """Show ``window``; what its first paint does not need comes right after it.

    The editors (made by the window itself), the test-cook panel, the
    message about a file that could not be opened or the offer to recover the
    edits of windows that died (the open file's, or all at a bare start), then
    jedi's warm-up: start-up stays quick, and
    a dialog never opens over a window not yet drawn.
    """
    from scheduler_studio.gui.window.first_paint import after_first_paint

    def after_paint() -> None:
        dock_cook_panel(window)
        if error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(window, "Cannot Open Scheduler", error)
        elif offer_recovery:
            window.offer_recovery()
        from PySide6.QtCore import QTimer

        QTimer.singleShot(800, window, lambda: window.completion.warm_up())

    after_first_paint(window, after_paint)
    window.show()


def dock_cook_panel(window):
    """Dock the test-cook panel in `window` (once) and return it: the window's registered
    "cook" panel (`attach_cook_panel` registers it)."""
    panel = window.panel("cook")
    if panel is None:
        from scheduler_studio.gui.cook.attach import attach_cook_panel

        panel = attach_cook_panel(window)
    return panel
