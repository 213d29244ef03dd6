"""What went wrong in a cook is shown where the user looks, and goes when it no longer holds.

A module that cannot load: the reason in the panel's error line and in Problems, with a
link to its line. A callback that raised: an entry in Problems, a marker and the message
on the raising line, the error in the failed item's details. The next cook, New and Open
clear it all.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from scheduler_studio.engine.codegen import parse
from scheduler_studio.engine.codegen.document import FrozenMap
from scheduler_studio.engine.codegen.starters import new_document
from scheduler_studio.gui.cook.cook_state import FAILED
from scheduler_studio.gui.cook.error_bar import GO_LINK
from scheduler_studio.gui.window import fields
from tests.gui.cook.conftest import cook, editor_window_with_panel

ON_SCHEDULE = fields.callback_field("onSchedule")

MISSING_MODULE = '''\
import pdg
from pdg.scheduler import PyScheduler
import notinstalled


class MissingScheduler(PyScheduler):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
    type_registry.registerScheduler(MissingScheduler, label="Missing")
'''

RAISING_BODY = ('label = work_item.name\n'
                'raise ValueError("no farm slot for " + label)\n')


def _raising_document(body: str = RAISING_BODY):
    doc = new_document("raiser", "Raiser")
    return replace(doc, bodies=FrozenMap({**doc.bodies, "onSchedule": body}))


def _missing_document():
    return parse(MISSING_MODULE, filename="missing.py")


def _click_problem(qtbot, window, row: int) -> None:
    view = window.problems_panel.view()
    qtbot.waitUntil(view.isVisible, timeout=3000)
    rect = view.visualRect(window.problems_model.index(row, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _cook_problems(window) -> list:
    return [p for p in window.problems_model.problems() if p.from_cook]


def test_a_missing_module_is_named_in_the_panel_and_in_problems(qtbot, tmp_path, monkeypatch):
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _missing_document(),
                                  theme="light", size=(1280, 800)) as (window, panel):
        missing = []
        panel.sig_missing_module.connect(missing.append)  # where stand-in actions hook in
        assert cook(qtbot, panel, "frames") == "error"

        bar = panel.error_bar
        assert bar.isVisible()
        text = bar.text()
        assert "imports notinstalled, which is not installed for the test cook" in text
        assert "--stub" not in text  # the CLI's advice: the window has buttons for it
        assert "Module prelude, line 1" in text  # its place in the editor, not a temp file
        assert panel.counts.status_text() == "The cook could not start"
        assert "notinstalled" in panel.log_text()
        assert missing == ["notinstalled"]

        problems = _cook_problems(window)
        assert len(problems) == 1
        problem = problems[0]
        assert problem.field == fields.PRELUDE and problem.line == 1
        assert "imports notinstalled" in problem.message
        assert window.problems_dock.isVisible()  # shown: the cook failed for this reason
        assert window.status.checks.text().startswith("1 error")

        bar._label.linkActivated.emit(GO_LINK)  # the link in the panel's error line
        prelude = window.editor_for(fields.PRELUDE)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is prelude, timeout=3000)
        assert prelude.lineFromPosition(prelude.currentPos()) == 0
        assert "import notinstalled" in prelude.text().splitlines()[0]

        window.go_to(ON_SCHEDULE, 1)  # away, then back through Problems
        _click_problem(qtbot, window, window.problems_model.problems().index(problem))
        qtbot.waitUntil(lambda: QApplication.focusWidget() is prelude, timeout=3000)


def test_a_raising_callback_marks_its_line_and_lists_itself(qtbot, tmp_path, monkeypatch):
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _raising_document(),
                                  theme="dark", size=(1280, 800)) as (window, panel):
        assert cook(qtbot, panel, "frames") == "failed"
        editor = window.editor_for(ON_SCHEDULE)

        marked = [p for p in editor.problems() if p.from_cook]
        assert len(marked) == 1
        assert marked[0].line == 2 and marked[0].severity == "error"
        assert "ValueError: no farm slot for render_1" in marked[0].message
        assert editor.markerGet(1)  # a margin marker on the raising line
        inline = bytes(editor.eOLAnnotationText(1)).decode()
        assert "onSchedule raised ValueError: no farm slot for render_1" in inline
        assert not bytes(editor.eOLAnnotationText(0))
        assert editor.tooltip_text_at(2, editor.pointYFromPosition(
            editor.positionFromLine(1)) + 2).startswith("Error: onSchedule raised")

        problems = _cook_problems(window)
        assert len(problems) == 1  # twenty items raised the same way: one entry
        assert problems[0].field == ON_SCHEDULE and problems[0].line == 2
        assert "on render_1 and 19 more items" in problems[0].message
        assert "onSchedule raised" in panel.error_bar.text()

        window.go_to(fields.PRELUDE, 1)
        _click_problem(qtbot, window, window.problems_model.problems().index(problems[0]))
        qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=3000)
        assert editor.lineFromPosition(editor.currentPos()) == 1

        # the failed item's own panel says what raised, not just "no log URI"
        failed = next(i for i in panel.state.items.values() if i.category == FAILED)
        panel.dots.ensure_visible(failed.id)
        qtbot.mouseClick(panel.dots.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.dots.dot_rect(failed.id).center())
        details = panel.details
        assert details.item_id == failed.id
        assert f"onSchedule raised ValueError: no farm slot for {failed.name}" in \
            details.errors_text()
        assert "onSchedule, line 2" in details.errors_text()
        assert "onSchedule raised before the scheduler gave a log URI" in \
            details.log_label_text()


def test_the_next_cook_clears_the_last_cooks_errors(qtbot, tmp_path, monkeypatch):
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _raising_document(),
                                  theme="light", size=(1280, 800)) as (window, panel):
        assert cook(qtbot, panel, "frames") == "failed"
        assert _cook_problems(window)
        editor = window.editor_for(ON_SCHEDULE)
        editor.selectAll()
        editor.replaceSel(new_document("raiser", "Raiser").bodies["onSchedule"])  # the fix
        cleared = []
        panel.sig_cook_started.connect(
            lambda _graph: cleared.append((_cook_problems(window), panel.error_bar.isVisible())))
        assert cook(qtbot, panel, "frames") == "succeeded"
        assert cleared == [([], False)]  # gone as the cook started, not only at its end
        assert not [p for p in editor.problems() if p.from_cook]
        assert not bytes(editor.eOLAnnotationText(1))
        assert not panel.error_bar.isVisible()


def _new_document(qtbot, window) -> None:
    window.actions["file/new"].trigger()
    dialog = window.files._dialog
    qtbot.waitExposed(dialog)
    dialog.accept()


def _assert_clean(window, panel, shown_ids=(1, 2, 3)) -> None:
    assert panel.state.status == "idle" and not panel.state.items
    assert panel.counts.status_text() == "Ready"
    assert panel.trace_model.total == 0 and panel.trace_model.rowCount() == 0
    assert panel.log_text() == ""
    assert not panel.error_bar.isVisible()
    assert panel.details.item_id is None
    assert all(panel.dots.dot_rect(i) is None for i in shown_ids)  # no dots left
    assert not _cook_problems(window)


def test_new_after_a_failed_cook_shows_a_clean_panel(qtbot, tmp_path, monkeypatch):
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _raising_document(),
                                  theme="light", size=(1280, 800)) as (window, panel):
        assert cook(qtbot, panel, "frames") == "failed"
        failed = next(i for i in panel.state.items.values() if i.category == FAILED)
        panel.dots.ensure_visible(failed.id)
        qtbot.mouseClick(panel.dots.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.dots.dot_rect(failed.id).center())
        assert panel.details.item_id == failed.id
        monkeypatch.setattr("scheduler_studio.gui.window.prompts.ask_save_changes", lambda *args: "discard")
        _new_document(qtbot, window)
        _assert_clean(window, panel)
        assert not window.problems_dock.isVisible() or window.problems_model.rowCount()


def test_opening_another_file_after_a_load_error_shows_a_clean_panel(qtbot, tmp_path,
                                                                     monkeypatch):
    other = tmp_path / "fine.py"
    other.write_text(MISSING_MODULE.replace("import notinstalled\n", ""), encoding="utf-8")
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _missing_document(),
                                  theme="light", size=(1280, 800)) as (window, panel):
        assert cook(qtbot, panel, "frames") == "error"
        assert panel.error_bar.isVisible()
        assert window.files.load(other)
        _assert_clean(window, panel)


def test_new_while_cooking_ends_the_cook_and_shows_nothing_of_it(qtbot, tmp_path, monkeypatch):
    slow = "import time\ntime.sleep(0.2)\n" + new_document("s", "S").bodies["onSchedule"]
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _raising_document(slow),
                                  theme="light", size=(1280, 800)) as (window, panel):
        panel.set_graph("frames")
        with qtbot.waitSignal(panel.host.sig_events, timeout=30000):
            qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        monkeypatch.setattr("scheduler_studio.gui.window.prompts.ask_save_changes", lambda *args: "discard")
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=30000):
            _new_document(qtbot, window)
        _assert_clean(window, panel)
        assert panel.cook_button.isEnabled()


def test_the_cook_marker_follows_its_line_as_the_user_edits_above_it(qtbot, tmp_path,
                                                                      monkeypatch):
    from scheduler_studio.gui.editor.indicators import MARKER_ERROR
    from tests.gui.window.conftest import focus, type_text
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, _raising_document(),
                                  theme="dark", size=(1280, 800)) as (window, panel):
        assert cook(qtbot, panel, "frames") == "failed"
        editor = window.editor_for(ON_SCHEDULE)
        assert editor.markerGet(1) & (1 << MARKER_ERROR)
        focus(editor)
        editor.gotoPos(0)
        type_text(qtbot, editor, "note = undefined_name_xyz\n# and another\n")  # 2 lines
        raising = 3                                      # 0-based: the raise moved down two
        assert editor.text().split("\n")[raising].startswith("raise ValueError")
        qtbot.waitUntil(lambda: any("undefined_name_xyz" in str(p.message)
                                    for p in editor.problems()), timeout=10_000)
        # the lint's warning set this editor's problems again, the cook's error with them
        assert editor.markerGet(raising) & (1 << MARKER_ERROR)
        assert not editor.markerGet(1) & (1 << MARKER_ERROR)
        assert "no farm slot" in bytes(editor.eOLAnnotationText(raising)).decode()


def test_an_interruption_on_the_line_an_earlier_item_raised_on_is_still_listed():
    """onSchedule raised on line 12 for one item, then hung on that same line for the
    next until the timeout: both are listed (the summary's interruption is not the
    event's error again just because callback and line match)."""
    from scheduler_studio.gui.cook.cook_errors import CookErrors

    errors = CookErrors()
    module = "/tmp/m.py"
    errors.set_module(module, None)
    raised = {"type": "RuntimeError", "message": "farm refused the job",
              "file": module, "line": 12}
    errors.add_callback_error("onSchedule", raised, "render_0")
    errors.add_summary({"errors": [
        dict(raised, callback="onSchedule"),      # the same error again: not twice
        {"callback": "onSchedule", "type": "Interrupted", "file": module, "line": 12,
         "message": "still running on work item render_1 when the cook timed out, "
                    "2.0 s after it was called"}]})
    listed = [(e.callback, e.line, e.message) for e in errors.errors()]
    assert listed == [
        ("onSchedule", 12, "farm refused the job"),
        ("onSchedule", 12, "still running on work item render_1 when the cook timed out, "
                           "2.0 s after it was called")]


def test_a_host_that_ended_outside_any_callback_is_not_called_a_load_failure():
    """A crash in a thread of the module's (no callback running) ended a module that
    loaded and cooked: "could not be loaded" would send the user looking in the wrong place."""
    from scheduler_studio.gui.cook.cook_errors import CookErrors
    errors = CookErrors()
    found = errors.add_host_end(None, "the cook host was killed by SIGSEGV before it sent "
                                      "its summary")
    assert found.summary() == ("The cook host ended outside any callback: the cook host was "
                               "killed by SIGSEGV before it sent its summary")
    assert "could not be loaded" not in found.summary()
    during = errors.add_host_end("onSchedule", "os._exit(3) called", item_name="render_5")
    assert during.summary().startswith("onSchedule: os._exit(3) called · on render_5")
