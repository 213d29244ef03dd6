"""Cook options: what the module declares is offered, and what is set reaches the cook."""
from __future__ import annotations

from PySide6.QtCore import Qt

from scheduler_studio.engine.codegen.starters import new_document
from scheduler_studio.gui.cook.module_info import (DeclaredParameter, declared_parameters,
                                                   max_jobs_parameter)
from tests.gui.cook.conftest import LOCAL_TEMPLATE, cook, document_module, file_provider

PRINT_PARMS = ('print("parms: max_jobs=%d tick=%g" % (self["max_jobs"].evaluateInt(), '
               'self["tick_period"].evaluateFloat()), flush=True)\n')


def _show_options(qtbot, panel) -> None:
    bar = panel.tabs.tabBar()
    index = panel.tabs.indexOf(panel.options)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert panel.tabs.currentWidget() is panel.options


def test_declared_parameters_are_offered(qtbot, make_panel):
    panel = make_panel(file_provider(LOCAL_TEMPLATE))
    _show_options(qtbot, panel)
    options = panel.options
    assert options._max_jobs.isVisible()
    table = options._table
    assert table.rowCount() == 1                       # tick_period; max_jobs has its spin box
    assert "tick_period" in table.item(0, 0).text()
    assert table.item(0, 2).text() == "0.05"
    options._max_jobs.setValue(3)
    table.item(0, 3).setText("0.02")
    values = options.values()
    assert values.parms == {"max_jobs": "3", "tick_period": "0.02"}
    assert values.workdir == "" and values.timeout is None and values.tick_period is None


def test_options_reach_the_cook(qtbot, make_panel, tmp_path):
    doc = new_document("parmsched", "Parm Scheduler")
    text, line_map = document_module(onStartCook=PRINT_PARMS + doc.bodies["onStartCook"])
    panel = make_panel(lambda: (text, line_map))
    _show_options(qtbot, panel)
    panel.options.set_workdir(str(tmp_path))
    panel.options.set_parameter_value("max_jobs", "1")
    panel.options.set_parameter_value("tick_period", "0.02")
    panel.options.set_timing(timeout=120.0)
    assert cook(qtbot, panel, "frames") == "succeeded"
    assert "parms: max_jobs=1 tick=0.02" in panel.log_text()
    assert panel.state.workdir == str(tmp_path)
    assert (tmp_path / "render" / "frame.0001.txt").exists()


def test_timeout_option_ends_a_hung_cook(qtbot, make_panel):
    text, line_map = document_module(onSchedule="while True:\n    pass")
    panel = make_panel(lambda: (text, line_map))
    panel.options.set_timing(timeout=1.5)
    assert cook(qtbot, panel, "frames") == "timeout"
    assert panel.counts.status_text() == "Cook timed out"


def test_module_without_parameters_hides_max_jobs(qtbot, make_panel):
    text = ("import pdg\nfrom pdg.scheduler import PyScheduler\n\n"
            "class S(PyScheduler):\n    pass\n")
    panel = make_panel(lambda: (text, None))
    _show_options(qtbot, panel)
    assert not panel.options._max_jobs.isVisible()
    assert panel.options._empty.isVisible()
    assert panel.options.values().parms == {}


def test_declared_parameters_from_ast():
    params = declared_parameters(LOCAL_TEMPLATE.read_text())
    assert [p.name for p in params] == ["max_jobs", "tick_period"]
    assert max_jobs_parameter(params) == "max_jobs"
    text, _ = document_module()
    assert [p.name for p in declared_parameters(text)] == ["max_jobs", "tick_period"]
    assert declared_parameters("def templateBody(cls):\n    return build()\n") == []
    assert declared_parameters("this is not python(") == []
    from_string = 'def templateBody(cls):\n    return \'{"parameters": [{"name": "q"}]}\'\n'
    assert [p.name for p in declared_parameters(from_string)] == ["q"]


def test_max_jobs_spellings():
    def names(*names):
        return [DeclaredParameter(n, n, "Integer", 0) for n in names]
    for name in ("max_jobs", "maxjobs", "max_concurrent_jobs", "max_procs", "concurrency",
                 "max_workers", "num_concurrent"):
        assert max_jobs_parameter(names("other", name)) == name
    assert max_jobs_parameter(names("jobs_done", "max_memory")) == ""
    assert max_jobs_parameter([DeclaredParameter("max_jobs", "", "String", "")]) == ""
