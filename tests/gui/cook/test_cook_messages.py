"""The cook panel's headline and Problems say what happened, in the window's terms.

An HDA-style farm scheduler that reads parameters only its HDA defines: the headline
says the cook failed for want of their values and where to give them (not the CLI's
flags), Problems lists each at the line that reads it, and the next cook clears it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from scheduler_studio.engine.codegen import parse
from scheduler_studio.gui.window import fields
from tests.gui.cook.conftest import COOK_TIMEOUT_MS, cook, editor_window_with_panel

ON_SCHEDULE = fields.callback_field("onSchedule")

HDA_FARM = '''\
import pdg
import farmapi
from pdg.scheduler import PyScheduler


class StudioFarmScheduler(PyScheduler):
    """No registerTypes: it lives in its HDA, which defines farm_pool and the rest."""

    def onSchedule(self, work_item):
        pool = self["farm_pool"].evaluateString()
        group = self["farm_group"].evaluateString()
        prio = self["farm_priority"].evaluateInt()
        farmapi.submit(work_item.name, pool, group, prio)
        return pdg.scheduleResult.CookSucceeded
'''

FARMAPI = "def submit(*args):\n    return 'job1'\n"
PARAMETERS = ("farm_pool", "farm_group", "farm_priority")


def _hda_farm(tmp_path):
    """The module file and its farmapi stand-in beside it (NAME.standins/)."""
    path = tmp_path / "studiofarm.py"
    path.write_text(HDA_FARM, encoding="utf-8")
    standins = tmp_path / "studiofarm.standins"
    standins.mkdir()
    (standins / "farmapi.py").write_text(FARMAPI, encoding="utf-8")
    return parse(HDA_FARM, filename=str(path)), path


def _cook_problems(window) -> list:
    return [p for p in window.problems_model.problems() if p.from_cook]


def _problems_rows(window) -> list[tuple[str, str]]:
    """(Line, Problem) as the Problems list shows them."""
    model = window.problems_model
    return [(model.index(row, 1).data(), model.index(row, 2).data())
            for row in range(model.rowCount())]


def test_parameters_nobody_defined_are_headlined_as_such_and_listed_where_read(
        qtbot, tmp_path, monkeypatch):
    document, path = _hda_farm(tmp_path)
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, document, theme="dark",
                                  size=(1280, 800), path=path) as (window, panel):
        assert cook(qtbot, panel, "frames") == "failed"
        assert panel.state.summary["items"]["succeeded"] == 41  # every item cooked

        text = panel.error_bar.text()
        assert text.startswith("The cook failed: 3 parameters your HDA defines have no "
                               "value here: farm_pool, farm_group, farm_priority")
        assert "Options › More parameters" in text
        for cli_advice in ("could not be loaded", "--parm", "--parms-file", "nobody defined"):
            assert cli_advice not in text
        assert "more error" not in text  # the three below are this one, not others

        editor = window.editor_for(ON_SCHEDULE)
        body = editor.text().splitlines()
        listed = _cook_problems(window)
        assert [p.field for p in listed] == [ON_SCHEDULE] * 3
        for name, problem in zip(PARAMETERS, listed):
            assert f'self["{name}"]' in body[problem.line - 1]  # at the line that reads it
            assert name in problem.message and "--parm" not in problem.message
        rows = [row for row in _problems_rows(window) if "has no value here" in row[1]]
        assert [line for line, _ in rows] == ["1", "2", "3"]  # onSchedule's lines

        # the button beside the headline opens the place to give them values
        button = next(b for b in panel.error_bar.action_buttons()
                      if "Options" in b.text())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert panel.tabs.currentWidget() is panel.options
        more = panel.options.more_parms
        qtbot.waitUntil(lambda: QApplication.focusWidget() is more, timeout=3000)

        # a new cook clears the old headline, even one the user cancels at once
        panel.set_graph("frames")
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS):
            qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
            assert not panel.error_bar.isVisible()
            assert not _cook_problems(window)
            panel.cancel()
        assert "could not be loaded" not in panel.error_bar.text()

        # the values given in Options: the cook succeeds, nothing is left of it
        more.setPlainText("farm_pool=gpu\nfarm_group=linux\nfarm_priority=50")
        assert cook(qtbot, panel, "frames") == "succeeded"
        assert not panel.error_bar.isVisible()
        assert not _cook_problems(window)


def test_a_parameter_whose_read_has_no_line_is_listed_without_one(qtbot):
    """Read from outside any module file (a hou parm of the scene): no "Line 1"."""
    from scheduler_studio.gui.cook.attach import cook_problem
    from scheduler_studio.gui.cook.cook_errors import CookErrors

    errors = CookErrors()
    errors.set_module("/tmp/m.py", None)
    errors.add_summary({"status": "cancelled", "undefined_parameters": ["rop_frames"],
                        "undefined_parameter_reads": [{"name": "rop_frames", "file": None,
                                                       "line": None}],
                        "errors": [{"callback": None, "type": "UndefinedParameters",
                                    "message": "the scheduler read 1 parameter(s) nobody "
                                               "defined: rop_frames. ... --parm"}]})
    headline = errors.headline()
    assert headline.summary() == ("1 parameter your HDA defines has no value here: "
                                  "rop_frames — set it in Options › More parameters")
    assert errors.others() == 0
    [listed] = errors.listed()
    problem = cook_problem(listed)
    assert problem.line == 0 and problem.field == fields.PARAMETERS
    assert problem.message.startswith("rop_frames has no value here")


HANG_IN_TICK = "n = 0\nwhile True:\n    n += 1   # waits for a slot that never frees\n"


def test_a_callback_still_running_at_cancel_is_not_said_to_have_raised(
        qtbot, tmp_path, monkeypatch):
    from dataclasses import replace

    from scheduler_studio.engine.codegen.document import FrozenMap
    from scheduler_studio.engine.codegen.starters import new_document

    doc = new_document("hanger", "Hanger")
    doc = replace(doc, bodies=FrozenMap({**doc.bodies, "onTick": HANG_IN_TICK}))
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, doc, theme="light",
                                  size=(1280, 800)) as (window, panel):
        panel.set_graph("frames")
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(e.slow and e.name == "onTick"
                                    for e in panel.trace_model.entries()), timeout=20_000)
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as blocker:
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert blocker.args == ["cancelled"]

        headline = panel.error_bar.text()
        assert headline.startswith("onTick: still running when the cook was cancelled, ")
        assert "after it was called" in headline and "raised" not in headline

        editor = window.editor_for(fields.callback_field("onTick"))
        [marked] = [p for p in editor.problems() if p.from_cook]
        assert marked.line in (2, 3)   # the loop's line it was on
        inline = bytes(editor.eOLAnnotationText(marked.line - 1)).decode()
        assert "onTick: still running when the cook was cancelled" in inline
        assert "raised" not in inline
        [listed] = _cook_problems(window)
        assert listed.message.startswith("onTick: still running when the cook was cancelled")


def _checked(window) -> list[str]:
    """The live check's messages in Problems (not the cook's)."""
    return [p.message for p in window.problems_model.problems() if not p.from_cook]


def _unset(window) -> list[str]:
    return [m for m in _checked(window) if "reads a parameter no templateBody declares" in m]


def test_problems_follow_the_stand_ins_and_values_the_cook_is_given(
        qtbot, tmp_path, monkeypatch):
    document, path = _hda_farm(tmp_path)
    farmapi = tmp_path / "studiofarm.standins" / "farmapi.py"
    farmapi.unlink()   # not given yet
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, document, theme="dark",
                                  size=(1280, 800), path=path) as (window, panel):
        qtbot.waitUntil(lambda: any("'farmapi' is not on this machine" in m
                                    for m in _checked(window)), timeout=20_000)
        assert len(_unset(window)) == 3

        farmapi.write_text(FARMAPI, encoding="utf-8")   # the user gives it one, and cooks
        cook(qtbot, panel, "frames")
        qtbot.waitUntil(lambda: not any("farmapi" in m for m in _checked(window)),
                        timeout=20_000)

        panel.options.more_parms.setPlainText("farm_pool=gpu\nfarm_group=linux")
        qtbot.waitUntil(lambda: len(_unset(window)) == 1, timeout=20_000)
        assert "farm_priority" in _unset(window)[0]
        panel.options.more_parms.appendPlainText("farm_priority=50")
        qtbot.waitUntil(lambda: not _unset(window), timeout=20_000)
        assert cook(qtbot, panel, "frames") == "succeeded"
        qtbot.waitUntil(window.lint.is_idle, timeout=20_000)
        assert not _unset(window) and not any("farmapi" in m for m in _checked(window))

        # as `schedstudio check` says of the same file, given the same
        from scheduler_studio.engine.check import check_source
        codes = {p.code for p in check_source(path.read_bytes(), str(path),
                                              parms=PARAMETERS)}
        assert not codes & {"test-cook-import", "undeclared-parameter"}
