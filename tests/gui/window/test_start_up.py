"""What the window leaves until after its first paint still comes, and works when used.

The first paint is the frame: header, tabs, menus, status line. The editors
of the page on show, the Problems dock, the autosave, the offer to recover
a crashed session (or the message about a file that could not be opened)
and jedi's warm-up follow it; the Problems view, the scroll area of a page
and the dialogs are made when first needed.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QScrollArea, QTreeView

from scheduler_studio.gui import app
from scheduler_studio.gui.editor.completion import CompletionProvider
from scheduler_studio.gui.window import fields, prompts
from scheduler_studio.gui.window.autosave import write_autosave
from scheduler_studio.gui.window.templates import template_document
from tests.gui.window.conftest import focus, type_text, wait_checked

ON_SCHEDULE = fields.callback_field("onSchedule")
ON_TICK = fields.callback_field("onTick")
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


def test_before_the_first_paint_the_window_is_its_frame(make_window, qtbot):
    window = make_window(show=False)
    assert not window.findChildren(QScrollArea)  # no page has its editors yet
    assert window.problems_panel.findChild(QTreeView) is None
    assert window.dockWidgetArea(window.problems_dock) == Qt.DockWidgetArea.NoDockWidgetArea
    window.show()
    wait_checked(qtbot, window)
    page = window.pages["Scheduling"]
    assert page.scroll_area().isVisible() and page.section(ON_SCHEDULE).editor.isVisible()
    assert window.dockWidgetArea(window.problems_dock) == BOTTOM
    # nothing to list: Problems takes no room; the status bar's count opens it
    assert window.problems_dock.isHidden() and not window.actions["view/problems"].isChecked()
    assert window.status.checks.text() == "No problems"
    qtbot.mouseClick(window.status.checks, Qt.MouseButton.LeftButton)
    assert window.problems_dock.isVisible() and window.actions["view/problems"].isChecked()
    assert window.autosave.is_running()
    # the other pages are still empty until shown
    assert not window.pages["Logging"].is_built()
    assert window.pages["Logging"].findChild(QScrollArea) is None


def test_the_problems_list_gets_its_view_with_the_first_problem(window, qtbot):
    panel = window.problems_panel
    wait_checked(qtbot, window)
    assert panel.findChild(QTreeView) is None
    qtbot.mouseClick(window.status.checks, Qt.MouseButton.LeftButton)
    assert panel.findChild(QLabel, "noProblems").isVisible()
    editor = window.editor_for(ON_SCHEDULE)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\nif broken")
    qtbot.waitUntil(lambda: window.problems_model.rowCount() > 0, timeout=10000)
    view = panel.view()
    qtbot.waitUntil(view.isVisible, timeout=3000)
    assert panel.findChildren(QTreeView) == [view]
    icon = window.problems_model.data(window.problems_model.index(0, 1),
                                      Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    window.set_dark_theme(window.theme().name != "dark")  # icons drawn again in the new colours
    icon = window.problems_model.data(window.problems_model.index(0, 1),
                                      Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()


def test_the_problems_dock_keeps_the_place_the_user_left_it_in(qtbot, make_window):
    first = make_window()
    wait_checked(qtbot, first)
    first.actions["view/problems"].trigger()  # View ▸ Problems: show it
    assert first.problems_dock.isVisible()
    first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, first.problems_dock)  # dragged
    first.close()  # the window's state is saved
    second = make_window()
    wait_checked(qtbot, second)
    assert second.problems_dock.isHidden()  # empty: no room taken
    assert not second.actions["view/problems"].isChecked()
    second.actions["view/problems"].trigger()
    assert second.problems_dock.isVisible()
    assert second.dockWidgetArea(second.problems_dock) == Qt.DockWidgetArea.RightDockWidgetArea


def test_a_file_that_cannot_be_opened_is_said_over_the_painted_window(make_window, qtbot,
                                                                       monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: said.append((parent.isVisible(), title, text)))
    window = make_window(show=False)
    app.show_window(window, "broken.py, line 1: invalid syntax")
    assert not said  # not before the window shows
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert said == [(True, "Cannot Open Scheduler", "broken.py, line 1: invalid syntax")]
    qtbot.waitUntil(lambda: window.panel("cook") is not None, timeout=5000)


def test_a_crashed_session_is_offered_once_the_window_shows(make_window, qtbot, data_dir,
                                                            monkeypatch):
    write_autosave(data_dir / "autosave" / "dead0002.json", template_document(), None,
                   "unsaved farm")
    asked = []

    def ask(parent, offer):
        asked.append((parent.isVisible(), offer.title))
        return "discard"

    monkeypatch.setattr(prompts, "ask_recover", ask)
    warmed = []
    monkeypatch.setattr(CompletionProvider, "warm_up", lambda self: warmed.append(self))
    window = make_window(show=False)
    app.show_window(window, offer_recovery=True)
    assert not asked
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked == [(True, "unsaved farm")]
    qtbot.waitUntil(lambda: bool(warmed), timeout=5000)  # jedi loads after the start
    assert warmed == [window.completion]


def test_a_question_has_verbs_on_its_buttons_and_returns_the_one_clicked(qtbot):
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        seen.append(sorted(button.text() for button in box.buttons()))
        next(b for b in box.buttons() if b.text() == "Don't Save").click()

    QTimer.singleShot(0, answer)
    assert prompts.ask_save_changes(None, "farm.py", "closing") == "discard"
    assert seen == [["Cancel", "Don't Save", "Save"]]


def test_a_jump_far_down_a_page_scrolls_the_page(make_window, qtbot):
    window = make_window(size=(1100, 520))
    wait_checked(qtbot, window)
    window.go_to(ON_TICK, 1)  # the last section of Scheduling
    area = window.pages["Scheduling"].scroll_area()
    editor = window.editor_for(ON_TICK)
    qtbot.waitUntil(lambda: area.verticalScrollBar().value() > 0, timeout=3000)
    top = editor.mapTo(area.viewport(), editor.rect().topLeft()).y()
    assert 0 <= top < area.viewport().height()
    assert QApplication.focusWidget() is editor
