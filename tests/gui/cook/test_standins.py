"""The cook panel with a scheduler whose farm module is missing: the module is named,
the two stand-in buttons give it one, and the recorded calls show in the trace."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.cook.conftest import COOK_TIMEOUT_MS, cook

FARM = '''import pdg
import afclient
from pdg.scheduler import PyScheduler


class AfScheduler(PyScheduler):
    def onSchedule(self, work_item):
        job = afclient.Job(work_item.name)
        job.setPriority(7)
        job.send()
        return pdg.scheduleResult.CookSucceeded
'''


def _farm(tmp_path):
    path = tmp_path / "affarm.py"
    path.write_text(FARM, encoding="utf-8")
    return path


def _panel(make_panel, path):
    panel = make_panel(lambda: (path.read_text(encoding="utf-8"), None))
    panel._source_provider = lambda: path  # as attach_cook_panel gives the document's path
    return panel


def _click_and_wait(qtbot, panel, button):
    with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_a_missing_import_shows_the_module_and_two_stand_in_buttons(qtbot, make_panel, tmp_path):
    panel = _panel(make_panel, _farm(tmp_path))
    assert cook(qtbot, panel, "frames") == "error"
    bar = panel.standin_bar
    assert bar.isVisible()
    assert "afclient" in bar.message.text() and "missing" in bar.message.text()
    assert bar.record_button.isVisible() and bar.write_button.isVisible()
    assert "afclient" in bar.record_button.text() and "afclient" in bar.write_button.text()
    assert "affarm.py:2: import afclient" in bar.message.toolTip()


def test_recording_its_calls_cooks_and_the_trace_shows_the_calls(qtbot, make_panel, tmp_path):
    panel = _panel(make_panel, _farm(tmp_path))
    assert cook(qtbot, panel, "frames") == "error"
    assert _click_and_wait(qtbot, panel, panel.standin_bar.record_button) == "succeeded"
    assert panel.options.stub_names() == ["afclient"]
    names = [panel.trace_model.entry(row).name for row in range(panel.trace_model.rowCount())]
    assert "→ afclient.Job('render_1')" in names
    first = names.index("→ afclient.Job('render_1')")
    assert names[first + 1:first + 3] == ["→ afclient.Job('render_1').setPriority(7)",
                                          "→ afclient.Job('render_1').send()"]
    entry = panel.trace_model.entry(first)
    assert "afclient stand-in in onSchedule" in entry.outcome()
    bar = panel.standin_bar
    assert bar.isVisible() and not bar.record_button.isVisible()
    assert bar.message.text().startswith("Stand-ins: afclient (records calls, ")


def test_writing_a_stand_in_puts_a_file_beside_the_scheduler_and_cooks_with_it(
        qtbot, make_panel, tmp_path):
    path = _farm(tmp_path)
    panel = _panel(make_panel, path)
    assert cook(qtbot, panel, "frames") == "error"
    status = _click_and_wait(qtbot, panel, panel.standin_bar.write_button)
    written = tmp_path / "affarm.standins" / "afclient.py"
    assert written.is_file()
    # the starting stand-in loads; the scheduler then asks it for what it lacks
    assert status == "failed"
    messages = [e["message"] for e in panel.state.summary["errors"]]
    assert any("the afclient stand-in has no 'Job' yet" in m for m in messages)
    assert {"module": "afclient", "kind": "file", "path": str(written)} in \
        panel.state.summary["stand_ins"]


def test_cook_options_give_undeclared_parameters_stubs_and_a_stand_ins_folder(qtbot, make_panel,
                                                                              tmp_path):
    panel = _panel(make_panel, _farm(tmp_path))
    options = panel.options
    options.more_parms.setPlainText("farm_pool=gpu\nfarm_cpus = 8\nnot a line\n")
    options.stubs.setText("afclient, royalCommands")
    options.standins_folder.setText(str(tmp_path / "mine"))
    values = options.values()
    assert values.parms == {"farm_pool": "gpu", "farm_cpus": "8"}
    assert values.stubs == ["afclient", "royalCommands"]
    assert values.standins == [str(tmp_path / "mine")]
    assert values.result_server_auth is True
    qtbot.mouseClick(options.no_auth, Qt.MouseButton.LeftButton)
    assert options.values().result_server_auth is False
