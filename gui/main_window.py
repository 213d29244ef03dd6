"""The scheduler editor window: header fields, the callback tabs, Problems, status.

The window composes the parts in ``scheduler_studio.gui.window`` and routes between them;
state lives in the DocumentModel, file work in the FileController, checks
in the LintWorker. Hooks for other panels (the test-cook dock):
``document_model``, ``module_text()``, ``add_dock()``, ``go_to()`` and
``go_to_module_line()`` (a traceback line of the saved module → its editor).
Panels are registered (``register_panel``) and looked up (``panel``) by name; the
cook session (``cook_session``: the cook host and the processes around it) is the
window's, and ends when the window closes, whatever its panel does.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QDockWidget, QMainWindow, QMenu, QTabWidget,
                               QVBoxLayout, QWidget)

from scheduler_studio.engine.codegen import SchedulerDocument
from scheduler_studio.gui.editor.themes import Theme
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.actions import build_actions
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.editor_commands import EditorCommands
from scheduler_studio.gui.window.file_ops import FileController
from scheduler_studio.gui.window.first_paint import after_first_paint
from scheduler_studio.gui.window.header_fields import HeaderFields
from scheduler_studio.gui.window.lint_worker import LintWorker
from scheduler_studio.gui.window.module_navigation import ModuleNavigation
from scheduler_studio.gui.window.problem_map import FieldProblem, field_line_of
from scheduler_studio.gui.window.problem_routing import ProblemRouter, step
from scheduler_studio.gui.window.problem_store import ProblemStore
from scheduler_studio.gui.window.problems_model import ProblemsModel
from scheduler_studio.gui.window.problems_panel import PROBLEMS_HEIGHT, ProblemsPanel
from scheduler_studio.gui.window.recent_files import RecentFiles, fill_menu
from scheduler_studio.gui.window.section_page import SectionPage
from scheduler_studio.gui.window.settings import (AppearanceSettings, SessionSettings,
                                                  SettingsStore, WindowSettings, app_settings)
from scheduler_studio.gui.window.status_line import StatusLine
from scheduler_studio.gui.window.tab_marks import TabMarks
from scheduler_studio.gui.window.templates import template_document
from scheduler_studio.gui.window.window_theme import (resolve, resolve_or_default, severity_icons,
                                                      style_sheet, window_palette)

if TYPE_CHECKING:
    from scheduler_studio.gui.cook.panel import CookPanel
    from scheduler_studio.gui.cook.session import CookSession

DEFAULT_SIZE = (1280, 860)
_OPEN_WINDOWS: set = set()  # windows made by new_window(), kept alive until closed
FIRST_CHECK_DELAY_MS = 150  # the checker process starts once the window is on screen


class MainWindow(QMainWindow):
    """One scheduler document in a window (open another file to switch)."""

    sig_theme_changed = Signal(str)
    """The theme changed (its name): docks added later restyle themselves."""

    def __init__(self, document: Optional[SchedulerDocument] = None, path: Optional[Path] = None,
                 *, settings: Optional[QSettings] = None, data_dir: Optional[Path] = None,
                 theme: Optional[str] = None, parent: Optional[QWidget] = None,
                 raw=None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._store = SettingsStore(settings if settings is not None else app_settings())
        self._appearance = self._store.load(AppearanceSettings)
        self._window_settings = self._store.load(WindowSettings)
        session = self._store.load(SessionSettings)
        self._data_dir = Path(data_dir) if data_dir else None  # looked up when first needed
        self._theme = resolve_or_default(theme or self._appearance.theme)
        self._closed = False
        self.startup_error = ""  # why the window cannot work (the editor component)

        model = self.document_model = DocumentModel(document or template_document(), path, self)
        if raw is not None:  # a module that does not parse: shown whole (raw_page)
            model.set_raw(raw, path)
        self.raw_page = None  # the whole-module page, while the module does not parse
        self.problem_store = ProblemStore(self)
        self.problems = ProblemRouter(self.problem_store, self._section, self)
        self.lint = LintWorker(model, self)
        self.lint.sig_quick_done.connect(self.problem_store.apply_quick)
        self.lint.sig_full_done.connect(self.problem_store.apply_full)
        self._completion = None  # made with the first editor
        self._parameters = None  # the Parameters table, made when first shown
        self.recent = RecentFiles(self._store, self)
        self.files = FileController(model, self, self._store, self.recent, self)
        self.editors = EditorCommands(self, self._first_editor_on_show, self)
        self.navigation = ModuleNavigation(self)
        self._autosave_ms = session.autosave_seconds * 1000
        self._autosave = None  # made when first asked for, started after the first paint
        self._backups = None  # made with the first save
        self._panels: dict[str, QWidget] = {}  # register_panel
        self._cook_session: Optional["CookSession"] = None  # made when first asked for

        self._build_central()
        self._build_problems_dock()
        self.status = StatusLine(self)
        self.setStatusBar(self.status)
        self.actions, self.menus = build_actions(self)
        self._build_recent_menu()
        self.tab_marks = TabMarks(self.tabs, model, self.problem_store, self)
        self._connect()
        self.apply_theme(self._theme)
        self.editors.set_zoom(self._appearance.zoom)
        self._restore_window()
        self._update_title()
        self._show_mode()
        if path is not None:  # watched once the window is up, against the bytes shown
            self.files.watch_later(Path(path), FIRST_CHECK_DELAY_MS)
        self._first_check_done = False

    # -- building --------------------------------------------------------------------
    def _build_central(self) -> None:
        model = self.document_model
        self.header = HeaderFields(model, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pages")
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, QWidget] = {}
        for page in fields.PAGES:
            if page == fields.PARAMETERS_PAGE:
                widget = QWidget(self.tabs)
                widget.setObjectName("parametersHolder")
                QVBoxLayout(widget).setContentsMargins(0, 0, 0, 0)
            else:
                widget = SectionPage(model, fields.page_sections(page), self._theme, self.tabs)
                widget.sig_section_built.connect(self._on_section_built)
            self.pages[page] = widget
            self.tabs.addTab(widget, page)
        self.tabs.currentChanged.connect(self._on_page_changed)
        central = QWidget(self)
        central.setObjectName("central")  # never animated: see window_theme.style_sheet
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_problems_dock(self) -> None:
        self.problems_model = ProblemsModel(self.problem_store, self)
        self.problems_panel = ProblemsPanel(self.problems_model, self)
        dock = self.problems_dock = QDockWidget("Problems", self)
        dock.setObjectName("problemsDock")
        dock.setWidget(self.problems_panel)
        dock.hide()  # until dock_problems(), right after the first paint
        self._problems_docked = False
        self._problems_placed = False  # put where it shows (restored, or beside the panel)
        self._restored_docks: set[str] = set()
        self._problems_placement = None  # how to place Problems the first time it shows
        self._problems_kept = False  # the user opened it: it stays, empty or not, till closed
        self._breakpoint_book = None  # made when first asked for (a cook panel asks)

    def _build_recent_menu(self) -> None:
        menu = self.recent_menu = QMenu("Open &Recent", self)
        menu.aboutToShow.connect(lambda: fill_menu(menu, self.recent, self.files.open_file))
        file_menu = self.menus["&File"]
        file_menu.insertMenu(self.actions["file/save"], menu)
        file_menu.insertSeparator(self.actions["file/save"])
        file_menu.insertSeparator(self.actions["file/quit"])

    def _connect(self) -> None:
        model = self.document_model
        self.header.sig_save_to_python.connect(self.files.save_to_python)
        self.header.sig_class_chosen.connect(self.files.choose_class)
        self.problems.sig_counts_changed.connect(self._update_counts)
        self.status.sig_counts_clicked.connect(self._on_counts_clicked)
        self.problems_panel.sig_problem_activated.connect(self.go_to_problem)
        self.problems.follow_parameters(model)
        model.sig_modified_changed.connect(lambda _m: self._update_title())
        model.sig_path_changed.connect(lambda _p: self._update_title())
        model.sig_field_changed.connect(self._on_field_changed)
        model.sig_document_reset.connect(self._update_title)
        model.sig_document_reset.connect(self._show_mode)
        self.files.sig_status.connect(self.status.show_message)
        self.files.sig_opened.connect(lambda _path: self.offer_recovery())
        self.actions["file/keep_bak"].setChecked(self.files.keeps_bak())
        self.lint.sig_busy_changed.connect(lambda _busy: self._update_counts())
        self.editors.sig_cursor_moved.connect(self.status.set_position)
        self.editors.sig_zoom_changed.connect(self._on_zoom_changed)
        self.problems_dock.visibilityChanged.connect(self.actions["view/problems"].setChecked)
        self.problems_dock.visibilityChanged.connect(self._on_problems_visibility)
        self.actions["view/problems"].setChecked(True)

    # -- hooks for other panels ------------------------------------------------------
    def module_text(self) -> str:
        """The module Save To Python would write now."""
        return self.document_model.module_text()

    def add_dock(self, widget: QWidget, area=Qt.DockWidgetArea.RightDockWidgetArea,
                 title: str = "") -> QDockWidget:
        """Dock a panel (a QDockWidget, or any widget wrapped in one); listed in View.
        It goes where the user had it last time (`dock_restored`), else to `area`."""
        self.dock_problems()  # first: a panel docked after it stacks with it
        if isinstance(widget, QDockWidget):
            dock = widget
        else:
            dock = QDockWidget(title or widget.windowTitle(), self)
            dock.setWidget(widget)
        if not dock.objectName():
            dock.setObjectName(f"dock:{dock.windowTitle() or type(widget).__name__}")
        state = self._window_settings.state
        if state and self.restoreDockWidget(dock):
            self._restored_docks.add(dock.objectName())
            self.restoreState(state)  # its saved size too, beside the docks it was with
            if not self.problem_store.fields_with_problems() and not self._problems_kept:
                self.problems_dock.hide()
        else:
            self.addDockWidget(area, dock)
        self.menus["&View"].addAction(dock.toggleViewAction())
        return dock

    def register_panel(self, name: str, panel: QWidget) -> None:
        """Make `panel` this window's `name` panel ("cook"), found by `panel(name)`.
        One of each: registering another under a taken name is a bug."""
        known = self._panels.get(name)
        if known is not None and known is not panel:
            raise ValueError(f"the window has a {name!r} panel already")
        self._panels[name] = panel

    def panel(self, name: str) -> Optional[QWidget]:
        """The panel registered as `name`, or None (not docked yet)."""
        return self._panels.get(name)

    def place_problems_with(self, place) -> None:
        """`place(dock)` puts Problems where it first shows (the cook panel: beside it)."""
        self._problems_placement = place

    @property
    def breakpoint_book(self):
        """The editors' breakpoints, kept per file (made on first use)."""
        if self._breakpoint_book is None:
            from scheduler_studio.gui.window.breakpoint_book import BreakpointBook
            self._breakpoint_book = BreakpointBook(self._store, self)
        return self._breakpoint_book

    @property
    def cook_panel(self) -> Optional["CookPanel"]:
        """The test-cook panel (`panel("cook")`), None until it is docked."""
        return self._panels.get("cook")  # type: ignore[return-value]

    @property
    def cook_session(self) -> "CookSession":
        """The window's cook session (made on first use), closed with the window."""
        if self._cook_session is None:
            from scheduler_studio.gui.cook.session import CookSession

            self._cook_session = CookSession(self)
            if self._closed:
                self._cook_session.close()
        return self._cook_session

    def dock_restored(self, dock: QDockWidget) -> bool:
        """Whether `dock` went where the saved window state had it (the user's layout)."""
        return dock.objectName() in self._restored_docks

    def dock_problems(self) -> None:
        """Put the Problems dock in its place (the saved one, else the bottom); once.
        It shows when there is something in it: empty, it takes no room (the status
        bar's count opens it).

        The first paint is the window without docks: a dock's place is set
        through QMainWindow's geometry animation (a QPropertyAnimation and its
        timer, even when nothing moves), which the first paint need not wait for.
        """
        if self._problems_docked:
            return
        self._problems_docked = True
        dock = self.problems_dock
        placed = self.dockWidgetArea(dock) != Qt.DockWidgetArea.NoDockWidgetArea
        if placed or (self._window_settings.state and self.restoreDockWidget(dock)):
            self._problems_placed = True  # the user's own place
        else:
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        if not self.problem_store.fields_with_problems():
            dock.hide()
        self.actions["view/problems"].setChecked(not dock.isHidden())

    def editor_for(self, field: str):
        """The CodeEditor of a code field (its page is built if need be), or None."""
        section = self._section(field, build=True)
        return section.editor if section is not None else None

    def go_to(self, field: str, line: int = 1, column: int = 0) -> bool:
        """Show a field at a line: its tab, its editor focused at the line."""
        if field == fields.SOURCE:
            if self.raw_page is None:
                return False
            self.raw_page.editor.go_to_line(line, column)
            return True
        if fields.is_code_field(field):
            editor = self.editor_for(field)
            if editor is None:
                return False
            editor.go_to_line(line, column)
            return True
        if field == fields.PARAMETERS:
            self.tabs.setCurrentWidget(self.pages[fields.PARAMETERS_PAGE])
            self.parameters.select_row(line - 1)
            return True
        if field == fields.HEADER:
            edits = self.header.edits
            bad = [e for e in edits.values() if e.property("invalid")]
            (bad or [edits["class_name"]])[0].setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False

    def go_to_module_line(self, line: int) -> bool:
        """Jump to where a line of the rendered module (a traceback's) came from."""
        _text, line_map = self.document_model.rendered()
        if not 0 < line <= len(line_map) or line_map[line - 1] is None:
            self.status.show_message(f"Module line {line} is code the studio writes")
            return False
        return self.go_to(*field_line_of(line_map[line - 1]))

    def go_to_problem(self, problem: FieldProblem) -> None:
        if not self.go_to(problem.field, problem.line, problem.column) or problem.on_generated_line:
            self.status.show_message(f"{problem.message} (module line {problem.module_line}, "
                                     "in code the studio writes)")

    def data_dir(self) -> Path:
        """Where autosaves and backups live: the studio's data folder (scheduler_studio.engine.appdirs)
        unless the window was given one."""
        if self._data_dir is None:
            from scheduler_studio.engine.appdirs import data_dir

            self._data_dir = data_dir()
        return self._data_dir

    def backup_store(self):
        """The previous versions of saved files (scheduler_studio.engine.codegen.backups), in data_dir()."""
        if self._backups is None:
            from scheduler_studio.engine.appdirs import backup_dir
            from scheduler_studio.engine.codegen.backups import BackupStore

            self._backups = BackupStore(backup_dir(self.data_dir()))
        return self._backups

    def new_window(self) -> "MainWindow":
        """Another window on the same settings and data, shown (a second recovered
        session needs one: recovering into this window would replace its edits)."""
        from scheduler_studio.gui.showing import show_window

        other = MainWindow(settings=self._store.qsettings(), data_dir=self.data_dir(),
                           theme=self._theme.name)
        other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _OPEN_WINDOWS.add(other)
        other.destroyed.connect(lambda *_: _OPEN_WINDOWS.discard(other))
        show_window(other)
        return other

    @property
    def completion(self):
        """The jedi CompletionProvider all editors share (made on first use)."""
        if self._completion is None:
            from scheduler_studio.gui.editor.completion import (CompletionProvider,
                                                                studio_sys_path)

            self._completion = CompletionProvider(sys_path_extra=studio_sys_path(),
                                                  parent=self)
        return self._completion

    @property
    def autosave(self):
        """The Autosaver (made when first asked for; it starts after the first paint:
        nothing can be edited before)."""
        if self._autosave is None:
            from scheduler_studio.engine.appdirs import autosave_dir
            from scheduler_studio.gui.window.autosave import Autosaver

            self._autosave = Autosaver(self.document_model,
                                       lambda: autosave_dir(self.data_dir()),
                                       self._autosave_ms, self)
            self._autosave.sig_failed.connect(self._on_autosave_failed)
        return self._autosave

    @property
    def parameters(self):
        """The Parameters tab's ParametersTable (made on first use: most sessions never
        open it)."""
        if self._parameters is None:
            from scheduler_studio.gui.window.parameters_table import ParametersTable

            holder = self.pages[fields.PARAMETERS_PAGE]
            self._parameters = ParametersTable(self.document_model, holder)
            self._parameters.table_model.set_invalid_colour(self._theme.colour("invalid_field"))
            holder.layout().addWidget(self._parameters)
        return self._parameters

    def theme(self) -> Theme:
        return self._theme

    # -- commands --------------------------------------------------------------------
    def next_problem(self) -> None:
        self._step_problem(1)

    def previous_problem(self) -> None:
        self._step_problem(-1)

    def _step_problem(self, step_by: int) -> None:
        if not step(self.problems_model, self.problems_panel, self.go_to_problem, step_by):
            self.status.show_message("No problems")

    def next_tab(self) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % self.tabs.count())

    def previous_tab(self) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() - 1) % self.tabs.count())

    def set_dark_theme(self, dark: bool) -> None:
        self.apply_theme("dark" if dark else "light")

    def show_problems(self, show: bool, by_user: bool = True) -> None:
        """Show or hide the Problems list. Opened by the user (View › Problems, the
        status bar's count) it stays open when the last problem goes, saying "No
        problems"; opened for them (`by_user` False: the cook's errors) it goes again
        when it has nothing left to list."""
        self.dock_problems()
        if by_user:
            self._problems_kept = show
        dock = self.problems_dock
        if show and not self._problems_placed:
            self._problems_placed = True
            dock.show()
            if self._problems_placement is not None:
                self._problems_placement(dock)  # beside the cook panel
            else:
                self.resizeDocks([dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)
        dock.setVisible(show)
        if show:
            dock.raise_()  # its tab, when the user tabbed it with another dock

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "About Scheduler Studio",
                          "Scheduler Studio writes, test-cooks and exports custom PDG "
                          "schedulers. The editor is Scintilla with Lexilla's Python lexer.")

    def apply_theme(self, theme: Theme | str) -> None:
        """Colour the whole window and every editor; remembered for the next start."""
        theme = resolve(theme)
        self._theme = theme
        palette = window_palette(theme, QApplication.style().standardPalette())
        # Widgets under a style sheet take the application's palette (a palette set
        # on the window would be undone by the next style sheet), so the theme is
        # the application's: dialogs, menus and tooltips follow it too.
        QApplication.setPalette(palette)
        self.setStyleSheet(style_sheet(theme))
        for page in self.pages.values():
            if isinstance(page, SectionPage):
                page.set_theme(theme)
        if self.raw_page is not None:
            from scheduler_studio.gui.editor import apply_theme as theme_editor

            theme_editor(self.raw_page.editor, theme.name)
        if self._parameters is not None:
            self._parameters.table_model.set_invalid_colour(theme.colour("invalid_field"))
        self.problems_model.set_icons(lambda: severity_icons(theme))
        self.actions["view/dark_theme"].setChecked(theme.name == "dark")
        if self._appearance.theme != theme.name:
            self._appearance.theme = theme.name
            self._store.save(self._appearance)
        self.sig_theme_changed.emit(theme.name)

    def offer_recovery(self) -> bool:
        """Offer back the unsaved edits of windows that died: those of the open file,
        or every one when no file is open (a bare start); True when one was recovered."""
        from scheduler_studio.engine.appdirs import autosave_dir
        from scheduler_studio.gui.window.recovery import offer_recovery

        return offer_recovery(self, autosave_dir(self.data_dir()), self.document_model.path())

    def restore_previous_version(self):
        """File > Restore Previous Version: the RestoreVersionDialog, opened (or None)."""
        from scheduler_studio.gui.window.restore_version import open_restore_dialog

        return open_restore_dialog(self)

    # -- reactions -------------------------------------------------------------------
    def _on_section_built(self, section) -> None:
        from scheduler_studio.gui.window.completion_context import (
            context_for, definition_context_for, go_to_definition_in)

        editor = section.editor
        field = section.spec().field
        editor.set_completion_provider(self.completion,
                                       context_for(self.document_model, field, editor),
                                       definition_context_for(self.document_model, field, editor))
        editor.sig_definition_elsewhere.connect(
            lambda line, column: go_to_definition_in(self, line, column))
        self.problems.show_in(section)
        self.editors.register(section)

    def _on_field_changed(self, key: str) -> None:
        if key == "type_name" and self.document_model.path() is None:
            self._update_title()

    def _on_autosave_failed(self, reason: str) -> None:
        """Say a failing autosave where it is seen: the status bar and Problems."""
        from scheduler_studio.gui.window.problem_map import FieldProblem

        text = (f"Autosave failed: {reason}. Your unsaved edits are only in this window: "
                "save them, or free some space." if reason else "")
        self.status.set_autosave_failure(text)
        if text:
            self.status.show_message(text)
        self.problem_store.set_form_problems(fields.AUTOSAVE, [
            FieldProblem(fields.AUTOSAVE, 1, 0, "error", text, "autosave")] if text else [])

    def _on_zoom_changed(self, level: int) -> None:
        self._appearance.zoom = level
        self._store.save(self._appearance)

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document_model.display_name()}[*] — Scheduler Studio")
        self.setWindowModified(self.document_model.is_modified())

    def _update_counts(self, *_args) -> None:
        errors, warnings = self.problems.counts()
        self.status.set_counts(errors, warnings, not self.lint.is_idle())
        total = errors + warnings
        self.problems_dock.setWindowTitle(f"Problems ({total})" if total else "Problems")
        if not total and self._problems_docked and not self.problems_dock.isHidden() \
                and not self._problems_kept:
            self.problems_dock.hide()  # nothing to list: the room goes back to the editors

    def _on_problems_visibility(self, _visible: bool) -> None:
        if self.problems_dock.isHidden():  # closed (its own button too), not tabbed behind
            self._problems_kept = False

    def _on_counts_clicked(self) -> None:
        self.show_problems(self.problems_dock.isHidden()
                           or self.problems_dock.visibleRegion().isEmpty())

    def _section(self, field: str, build: bool = False):
        page = self.pages.get(fields.page_of(field) or "")
        if not isinstance(page, SectionPage):
            return None
        if build:
            page.ensure_built()
        return page.section(field)

    def _build_first_page(self) -> None:
        """Right after the first paint: the Problems list gets its dock, the autosave
        starts, the page on show gets its editors and the first one the keyboard."""
        if self._closed:
            return
        self.dock_problems()
        self.autosave.start()
        if self.raw_page is not None:
            QWidget.setFocus(self.raw_page.editor)
            self.raw_page.show_error()
            return
        from scheduler_studio.gui.editor.component import EditorComponentError, report_and_exit

        try:
            self._on_page_changed(self.tabs.currentIndex())
        except EditorComponentError as exc:  # no editor can be made: say why and end
            self.startup_error = str(exc)
            report_and_exit(self, self.startup_error)
            return
        first = self._first_editor_on_show()
        if first is not None and not self._closed:
            QWidget.setFocus(first)  # ScintillaEdit.setFocus is a Scintilla message

    def _on_page_changed(self, index: int) -> None:
        """Editors are made when their page is first shown (the first one after the
        window's first paint), so start-up does not pay for all of them."""
        page = self.tabs.widget(index)
        if isinstance(page, SectionPage) and not self._closed:
            page.ensure_built()
        elif page is self.pages.get(fields.PARAMETERS_PAGE):
            self.parameters.show()

    def _first_editor_on_show(self):
        if self.raw_page is not None:
            return self.raw_page.editor
        page = self.tabs.currentWidget()
        if isinstance(page, SectionPage) and page.sections():
            return page.sections()[0].editor
        return None

    def _show_mode(self) -> None:
        """The whole-module page while the module does not parse, else the header and
        the callback tabs."""
        raw = self.document_model.raw() is not None
        if raw and self.raw_page is None:
            from scheduler_studio.gui.window.raw_page import RawModulePage

            page = self.raw_page = RawModulePage(self.document_model, self._theme.name,
                                                 self.centralWidget())
            page.sig_problems.connect(
                lambda found: self.problem_store.set_form_problems(fields.SOURCE, found))
            page.sig_show_callbacks.connect(self._show_callbacks)
            page.editor.sig_cursor_moved.connect(self.status.set_position)
            self.centralWidget().layout().addWidget(page, 1)
            page.sig_problems.emit(page.problems())
        elif raw:
            self.raw_page.load()
        elif self.raw_page is not None:
            page, self.raw_page = self.raw_page, None
            page.hide()
            page.deleteLater()
            self.problem_store.set_form_problems(fields.SOURCE, [])
        self.header.setVisible(not raw)
        self.tabs.setVisible(not raw)
        if not raw and getattr(self, "_first_check_done", False):
            self._on_page_changed(self.tabs.currentIndex())

    def _show_callbacks(self, document: SchedulerDocument) -> None:
        """The whole module parses now: show it field by field, edits kept."""
        model = self.document_model
        edited = model.is_modified()
        model.reset(document, model.path())
        if edited:
            model.mark_disk_differs()  # the file still holds the text that did not parse
        self.status.show_message("The module reads as a scheduler: shown callback by "
                                 "callback" + (" (not saved yet)" if edited else ""))
        first = self._first_editor_on_show()
        if first is not None:
            QWidget.setFocus(first)

    # -- window state and the end ----------------------------------------------------
    def _restore_window(self) -> None:
        saved = self._window_settings
        if not (saved.geometry and self.restoreGeometry(saved.geometry)):
            self.resize(*DEFAULT_SIZE)
        if saved.state:
            self.restoreState(saved.state)

    def _save_window(self) -> None:
        self._window_settings.geometry = bytes(self.saveGeometry())
        self._window_settings.state = bytes(self.saveState())
        self._store.save(self._window_settings)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._first_check_done:  # after the first paint: start-up stays short
            self._first_check_done = True
            after_first_paint(self, self._build_first_page)
            self.lint.check_now(delay_ms=FIRST_CHECK_DELAY_MS)

    def is_ready(self) -> bool:
        """The page on show has its editors, the docks their places and the checks
        have settled."""
        if self.startup_error:
            return True  # nothing more will come
        if self.raw_page is not None:
            return self._problems_docked and not self.raw_page.is_checking() \
                and self.lint.is_idle()
        page = self.tabs.currentWidget()
        built = not isinstance(page, SectionPage) or page.is_built()
        return built and self._problems_docked and self.lint.is_idle()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() \
                and not self._closed:
            QTimer.singleShot(0, self.files.watcher.check_now)  # not inside the event

    def closeEvent(self, event) -> None:
        if not self._closed and not self.files.maybe_save("closing"):
            event.ignore()
            return
        self._save_window()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop every worker and timer, clean up the autosave; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._cook_session is not None:
            self._cook_session.close()  # a cook still running ends with its jobs
        self.lint.shutdown()
        if self.raw_page is not None:
            self.raw_page.stop()
        self.header.stop()
        for page in self.pages.values():
            for section in page.sections() if isinstance(page, SectionPage) else ():
                section.editor.set_completion_provider(None)  # stops its debounce timer
        if self._completion is not None:
            self._completion.shutdown()
        if self._autosave is not None:
            self._autosave.shutdown()
        self.files.stop()
        self.navigation.stop()
        self.editors.detach()
        self.status.clearMessage()  # ends the message's timeout timer

