"""The live test-cook panel: cook a sample graph through the scheduler being edited.

Public API: ``CookSession`` (the cook's processes and state, no widget: the window owns
and closes it), ``CookPanel`` (the dock, a view of a session), ``CookState`` (the
Qt-free model of a cook), ``CookHostProcess`` (the QProcess bridge to the cook host).
Integration helpers:
``scheduler_studio.gui.cook.attach.attach_cook_panel`` and ``scheduler_studio.gui.cook.screenshot.cook_then_screenshot``.
"""
from scheduler_studio.gui.cook.cook_state import CookState
from scheduler_studio.gui.cook.host_process import CookHostProcess
from scheduler_studio.gui.cook.panel import CookPanel
from scheduler_studio.gui.cook.session import CookSession

__all__ = ["CookHostProcess", "CookPanel", "CookSession", "CookState"]
