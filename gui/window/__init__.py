"""The scheduler editor window's parts: model, sections, panels, controllers.

``scheduler_studio.gui.main_window.MainWindow`` composes them; each module here does one job
(a view, a model, or a non-widget controller) so it can be tested alone.
"""
