"""Docking the test-cook panel into the main window (the one integration point).

    from scheduler_studio.gui.cook.attach import attach_cook_panel
    panel = attach_cook_panel(window)     # after MainWindow(...) is built

The panel is a view of the window's `CookSession` (``window.cook_session``: the host
processes are the window's, ended when it closes) and is registered as the window's
``"cook"`` panel (``window.panel("cook")``, ``window.cook_panel``): attaching again
returns it. The panel cooks ``document_model.rendered()`` (the text Save To Python writes, unsaved
edits included, with its line map), and a traceback frame opens the callback editor
through ``MainWindow.go_to``. The cook's errors join the window's Problems (and so the
editors' markers); a new or opened document clears the panel.
"""
from __future__ import annotations

from PySide6.QtCore import Qt

from scheduler_studio.engine.hostclient import host_env
from scheduler_studio.gui.cook.cook_errors import PARAMETER, CookError
from scheduler_studio.gui.cook.panel import CookPanel

DOCK_SHARE = 0.42  # of the window's height: at 1280x800 the editors keep more than half
DOCK_HEIGHT = 300  # the least, in a short window
PROBLEMS_SHARE = 0.3  # of the bottom's width, beside the panel, when Problems shows


def cook_problem(error: CookError):
    """A cook error as a Problems entry, placed in its editor when it has one."""
    from scheduler_studio.gui.window import fields
    from scheduler_studio.gui.window.problem_map import FieldProblem, field_line_of

    code = "load-error" if error.callback is None else "cook-error"
    if error.kind == PARAMETER and not error.field:   # no read line known: none shown
        return FieldProblem(fields.PARAMETERS, 0, 0, "error", error.summary(), code)
    if error.field:
        field, line = field_line_of((error.field, error.field_line - 1))
        return FieldProblem(field, line, 0, "error", error.summary(), code, error.line,
                            inline=True)
    return FieldProblem(fields.MODULE, error.line or 1, 0, "error",
                        f"{error.summary()} ({error.where() or 'no line'})", code, error.line,
                        on_generated_line=True)


def attach_cook_panel(window) -> CookPanel:
    """Create the cook panel on the window's cook session, dock it at the bottom of
    `window`, wire it and register it as the window's "cook" panel; returns it (the one
    registered already, when there is one)."""
    known = window.panel("cook")
    if known is not None:
        return known
    model = window.document_model
    session = window.cook_session
    panel = CookPanel(model.rendered, window, source_provider=model.path, session=session,
                      class_provider=model.cook_class)
    panel.setObjectName("cookDock")
    window.register_panel("cook", panel)
    session.keep_warm(host_env)  # Cook starts a host that is already waiting
    restored = window.add_dock(panel, Qt.DockWidgetArea.BottomDockWidgetArea) is not None \
        and window.dock_restored(panel)
    panel.show()  # a dock added to a window on screen starts hidden, and sizes need it shown
    if not restored:  # the user's own layout stands; this is the first one
        place_default(window, panel)

    def open_location(field: str, line: int) -> None:
        from scheduler_studio.gui.window.problem_map import field_line_of
        window.go_to(*field_line_of((field, line - 1)))

    def errors_changed(errors: list) -> None:
        window.problem_store.set_cook_problems([cook_problem(e) for e in errors])
        if errors:
            window.show_problems(True, by_user=False)

    attach_breakpoints(window, panel)
    attach_checks(window, panel)
    panel.sig_open_location.connect(open_location)
    panel.sig_errors_changed.connect(errors_changed)
    model.sig_document_reset.connect(panel.clear_results)
    model.sig_document_reset.connect(panel.document_changed)
    model.sig_field_changed.connect(panel.document_changed)
    window.place_problems_with(lambda dock: place_problems(window, panel, dock))
    return panel


def attach_checks(window, panel: CookPanel) -> None:
    """The live checks weigh what the cook is given (stand-ins, parameter values), as
    `schedstudio check` does with the same options, and look again after a cook (a
    stand-in may have been written for it)."""
    lint = window.lint

    def context_changed(*_args) -> None:
        lint.set_cook_context(panel.cook_context())

    panel.sig_cook_context_changed.connect(context_changed)
    window.document_model.sig_path_changed.connect(context_changed)
    window.document_model.sig_document_reset.connect(context_changed)
    panel.sig_cook_finished.connect(lambda _status: (context_changed(), lint.recheck()))
    context_changed()


def attach_breakpoints(window, panel: CookPanel) -> None:
    """The editors' breakpoints go to the panel's cooks; a pause shows its line."""
    from scheduler_studio.gui.window.section_page import SectionPage

    model = window.document_model
    book = window.breakpoint_book
    book.load(model.path(), model.chosen_class())
    for page in window.pages.values():
        if isinstance(page, SectionPage):
            for section in page.sections():
                book.attach(section.spec().field, section.editor)
            page.sig_section_built.connect(
                lambda section: book.attach(section.spec().field, section.editor))
    model.sig_document_reset.connect(lambda: book.load(model.path(), model.chosen_class()))
    model.sig_path_changed.connect(book.rename)
    book.sig_changed.connect(panel.debug.breakpoints_changed)
    shown: dict = {"editor": None}

    def paused_at(field: str, line: int) -> None:
        if shown["editor"] is not None:
            shown["editor"].breakpoints.show_paused(None)
            shown["editor"] = None
        if not field:
            return
        from scheduler_studio.gui.window.problem_map import field_line_of
        field, line = field_line_of((field, line - 1))
        editor = window.editor_for(field)
        if editor is not None and window.go_to(field, line):
            editor.breakpoints.show_paused(line)
            shown["editor"] = editor

    def cursor():
        editor = window.editors.current_editor()
        name = editor.objectName() if editor is not None else ""
        return (name.split(":", 1)[1], editor.caret_line()) if name.startswith("editor:") \
            else None

    panel.debug.set_providers(book.collect, cursor)
    panel.debug.sig_paused_at.connect(paused_at)


def place_default(window, panel: CookPanel) -> None:
    """The panel across the bottom at a share of the window's height."""
    height = max(DOCK_HEIGHT, round(window.height() * DOCK_SHARE))
    window.resizeDocks([panel], [height], Qt.Orientation.Vertical)


def place_problems(window, panel: CookPanel, problems) -> None:
    """Problems beside the panel (its height is the panel's): the editors keep theirs."""
    if panel.isHidden() or window.dockWidgetArea(panel) != Qt.DockWidgetArea.BottomDockWidgetArea:
        return
    window.splitDockWidget(panel, problems, Qt.Orientation.Horizontal)
    width = window.width()
    window.resizeDocks([panel, problems],
                       [round(width * (1 - PROBLEMS_SHARE)), round(width * PROBLEMS_SHARE)],
                       Qt.Orientation.Horizontal)
