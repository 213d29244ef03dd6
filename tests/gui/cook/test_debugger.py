"""Debugging in the window: a breakpoint set by clicking an editor's margin stops the
cook there; the paused line, the stack and the work item show; Step Over moves on;
Continue runs to the end. Breakpoints persist with the document's file."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from scheduler_studio.engine.codegen.starters import new_document
from scheduler_studio.gui.editor.margins import MARGIN_PROBLEMS
from tests.gui.cook.conftest import COOK_TIMEOUT_MS, editor_window_with_panel

ON_SCHEDULE = "callback:onSchedule"


def assert_no_cook_runs(view) -> None:
    """What the debugger says once a cook ended, however it ended."""
    status = view.status.text()
    assert status.startswith("Not paused") and "no cook runs" in status, status
    assert "Running" not in status and "Pausing" not in status, status


def _line_of(editor, needle: str) -> int:
    return next(i for i, text in enumerate(editor.text().split("\n"), 1) if needle in text)


def _click_margin(qtbot, editor, line: int) -> None:
    x = sum(editor.marginWidthN(m) for m in range(MARGIN_PROBLEMS)) + editor.marginLeft() + 4
    y = editor.pointYFromPosition(editor.positionFromLine(line - 1)) + \
        editor.textHeight(line - 1) // 2
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))


def test_a_margin_breakpoint_pauses_the_cook_steps_and_continues(qtbot, tmp_path, monkeypatch):
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  new_document("dbg", "Debugged"), theme="dark",
                                  size=(1280, 800)) as (window, panel):
        editor = window.editor_for(ON_SCHEDULE)
        stop = _line_of(editor, "if not self._enqueue(work_item):")
        _click_margin(qtbot, editor, stop)
        assert [b.line for b in editor.breakpoints.breakpoints()] == [stop]

        window.go_to("callback:onStartCook", 1)           # another tab is on show
        panel.set_graph("frames")
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        view = panel.debugger
        qtbot.waitUntil(view.is_paused, timeout=COOK_TIMEOUT_MS)

        qtbot.waitUntil(lambda: editor.breakpoints.paused_line() == stop, timeout=5000)
        assert editor.isVisible()                          # its tab came forward
        assert panel.tabs.currentWidget() is view
        assert view.stack.item(0).text().startswith("onSchedule")
        assert "engine (" in view.stack.item(view.stack.count() - 1).text()
        name = view.find_variable("work_item", "name")
        assert name is not None and name.text(1).startswith("'render_")
        view.find_variable("self").setExpanded(True)
        view.find_variable("self", "parameters").setExpanded(True)  # asked of the host now
        qtbot.waitUntil(lambda: view.find_variable("self", "parameters", "'max_jobs'")
                        is not None, timeout=5000)
        assert "Paused in onSchedule" in view.status.text()

        view.prompt.setText("work_item.name")
        qtbot.keyClick(view.prompt, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "render_" in view.output.toPlainText(), timeout=5000)

        qtbot.mouseClick(view.buttons["step_over"], Qt.MouseButton.LeftButton)
        after = _line_of(editor, "return pdg.scheduleResult.Succeeded")
        qtbot.waitUntil(lambda: view.is_paused() and editor.breakpoints.paused_line() == after,
                        timeout=10_000)

        _click_margin(qtbot, editor, stop)                  # the breakpoint off again
        assert editor.breakpoints.breakpoints() == []
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
            qtbot.mouseClick(view.buttons["continue"], Qt.MouseButton.LeftButton)
        assert done.args[0] == "succeeded"
        assert not view.is_paused() and editor.breakpoints.paused_line() is None


def test_post_mortem_pauses_where_a_callback_raised(qtbot, tmp_path, monkeypatch):
    from dataclasses import replace

    from scheduler_studio.engine.codegen.document import FrozenMap
    doc = new_document("dbg", "Debugged")
    bodies = dict(doc.bodies)
    bodies["onSchedule"] = "raise ValueError('no farm for ' + work_item.name)\n"
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  replace(doc, bodies=FrozenMap(bodies)), theme="dark",
                                  size=(1280, 800)) as (window, panel):
        panel.options.post_mortem.setChecked(True)
        panel.set_graph("frames")
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        view = panel.debugger
        qtbot.waitUntil(view.is_paused, timeout=COOK_TIMEOUT_MS)
        assert "ValueError: no farm for render_" in view.status.text()
        assert not view.buttons["step_over"].isEnabled() and view.buttons["continue"].isEnabled()
        editor = window.editor_for(ON_SCHEDULE)
        qtbot.waitUntil(lambda: editor.breakpoints.paused_line() == 1, timeout=5000)
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
            panel.debug.send("detach", {})    # every item raises: no more pauses
        assert done.args[0] == "failed"
        assert_no_cook_runs(view)


def test_breakpoints_and_their_conditions_persist_with_the_file(qtbot, tmp_path, monkeypatch):
    from scheduler_studio.engine.codegen import encode_module, render
    path = tmp_path / "persisted.py"
    doc = new_document("dbg", "Debugged")
    path.write_bytes(encode_module(doc, render(doc)[0]))
    from scheduler_studio.engine.codegen import parse
    opened = parse(path.read_bytes(), str(path))

    def open_window():
        from scheduler_studio.gui.cook.attach import attach_cook_panel
        from scheduler_studio.gui.main_window import MainWindow
        from scheduler_studio.gui.window.settings import ini_settings
        window = MainWindow(opened, path, settings=ini_settings(tmp_path / "settings.ini"),
                            data_dir=tmp_path / "data")
        attach_cook_panel(window)
        qtbot.addWidget(window)
        return window

    first = open_window()
    editor = first.editor_for(ON_SCHEDULE)
    line = _line_of(editor, "if not self._enqueue(work_item):")
    editor.go_to_line(line)
    qtbot.keyClick(editor, Qt.Key.Key_F9)
    editor.breakpoints.update(line, "work_item.index == 7", 2)
    second = open_window()
    again = second.editor_for(ON_SCHEDULE).breakpoints.breakpoints()
    assert [(b.line, b.condition, b.hit_count) for b in again] == \
        [(line, "work_item.index == 7", 2)]
    for window in (first, second):
        window.shutdown()                        # its cook session (spare host) ends
        window.document_model.mark_saved(path)   # nothing to ask about at close


def test_cancel_while_paused_ends_the_cook_and_clears_the_pause(qtbot, tmp_path, monkeypatch):
    import psutil
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  new_document("dbg", "Debugged"), theme="dark",
                                  size=(1280, 800)) as (window, panel):
        editor = window.editor_for(ON_SCHEDULE)
        _click_margin(qtbot, editor, _line_of(editor, "if not self._enqueue(work_item):"))
        panel.set_graph("frames")
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        view = panel.debugger
        qtbot.waitUntil(view.is_paused, timeout=COOK_TIMEOUT_MS)
        host = psutil.Process(panel.host.pid)
        assert panel.cancel_button.isEnabled()
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert done.args[0] == "cancelled"
        assert not view.is_paused() and editor.breakpoints.paused_line() is None
        assert not view.buttons["continue"].isEnabled()
        assert_no_cook_runs(view)
        assert not host.is_running() or host.status() == psutil.STATUS_ZOMBIE
        assert panel.cook_button.isEnabled() and not panel.cancel_button.isEnabled()


def test_pause_stops_a_hung_callback_and_shows_where_it_spins(qtbot, tmp_path, monkeypatch):
    from dataclasses import replace

    from scheduler_studio.engine.codegen.document import FrozenMap
    doc = new_document("dbg", "Debugged")
    bodies = dict(doc.bodies)
    bodies["onSchedule"] = ("spins = 0\n"
                            "while spins >= 0:\n"
                            "    spins += 1\n"
                            "return pdg.scheduleResult.CookSucceeded\n")
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  replace(doc, bodies=FrozenMap(bodies)), theme="dark",
                                  size=(1280, 800)) as (window, panel):
        view = panel.debugger
        pause = view.buttons["pause"]
        assert not pause.isEnabled()                      # nothing cooks yet
        panel.set_graph("frames")
        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(e.slow for e in panel.trace_model.entries()),
                        timeout=COOK_TIMEOUT_MS)           # onSchedule is running long
        assert pause.isEnabled() and not view.buttons["continue"].isEnabled()
        qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(view.is_paused, timeout=COOK_TIMEOUT_MS)
        assert "Paused in onSchedule" in view.status.text() and "paused by you" in \
            view.status.text()
        assert not pause.isEnabled() and view.buttons["step_over"].isEnabled()
        editor = window.editor_for(ON_SCHEDULE)
        qtbot.waitUntil(lambda: editor.breakpoints.paused_line() in (2, 3), timeout=5000)
        assert editor.isVisible()
        view.prompt.setText("spins = -1")                 # out of the loop, from the prompt
        qtbot.keyClick(view.prompt, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "spins = -1" in view.output.toPlainText(), timeout=5000)
        view.prompt.setText("spins")
        qtbot.keyClick(view.prompt, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "-1" in view.output.toPlainText().split("spins")[-1],
                        timeout=5000)
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
            panel.debug.send("detach", {})                # the other items spin too
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert done.args[0] == "cancelled"
        assert not pause.isEnabled()


def test_a_pause_waiting_for_the_next_callback_can_be_taken_back(qtbot, tmp_path, monkeypatch):
    """Pause pressed between two callbacks waits for the next (onTick every 2.5 s here):
    the button becomes Don't Pause; pressed, the cook is not stopped at that callback."""
    from dataclasses import replace

    from scheduler_studio.engine.codegen.document import FrozenMap
    doc = new_document("dbg", "Debugged")
    bodies = dict(doc.bodies)
    bodies["onStartCook"] = 'self["pdg_tickperiod"] = 2.5\nreturn True\n'
    bodies["onTick"] = "return pdg.tickResult.SchedulerBusy\n"
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  replace(doc, bodies=FrozenMap(bodies)), theme="dark",
                                  size=(1280, 800)) as (window, panel):
        view = panel.debugger
        pause = view.buttons["pause"]
        panel.set_graph("frames")

        def ticks():
            return sum(e.name == "onTick" for e in panel.trace_model.entries())

        qtbot.mouseClick(panel.cook_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ticks() >= 1, timeout=COOK_TIMEOUT_MS)
        qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
        assert pause.text() == "Don't Pause" and pause.isEnabled()
        assert "Pausing" in view.status.text()
        qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
        assert pause.text() == "Pause" and "taken back" in view.status.text()
        seen = ticks()
        qtbot.waitUntil(lambda: ticks() >= seen + 2, timeout=COOK_TIMEOUT_MS)
        assert not view.is_paused()
        qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)     # and a pause still stops it
        qtbot.waitUntil(view.is_paused, timeout=COOK_TIMEOUT_MS)
        assert "Paused in onTick" in view.status.text() and pause.text() == "Pause"
        with qtbot.waitSignal(panel.sig_cook_finished, timeout=COOK_TIMEOUT_MS) as done:
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert done.args[0] == "cancelled"
        assert_no_cook_runs(view)
        assert not pause.isEnabled() and pause.text() == "Pause"


def test_the_status_says_no_cook_runs_after_any_end(qtbot):
    """Paused, pausing or running: once the cook ended (`DebugLink.cook_ended`) the
    status never says Running or Pausing, and a late resume does not bring it back."""
    from types import SimpleNamespace

    from scheduler_studio.gui.cook.debugger_view import DebuggerView
    view = DebuggerView()
    qtbot.addWidget(view)
    assert_no_cook_runs(view)
    paused = SimpleNamespace(stack=[{"function": "onTick", "file": "m.py", "line": 3,
                                     "user": True}], callback="onTick", message="",
                             reason="pause", frame=0, variables=[])
    for before in ("paused", "pausing", "running"):
        view.clear()
        view.set_cooking(True)
        assert "Running" in view.status.text()
        if before == "paused":
            view.set_paused(paused)
        elif before == "pausing":
            view.pause()
            assert "Pausing" in view.status.text()
        view.set_cooking(False)       # what cook_ended does, in its order
        view.set_running()
        assert_no_cook_runs(view)
        view.set_running()            # a debug_resumed the host sent as it ended
        assert_no_cook_runs(view)
        assert not view.buttons["pause"].isEnabled() and view.buttons["pause"].text() == "Pause"


def test_the_status_says_the_cook_is_paused_and_where(qtbot, tmp_path, monkeypatch):
    """The trial read "Cooking…" while the cook stood at a breakpoint."""
    from PySide6.QtWidgets import QApplication
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  new_document("dbg", "Debugged"), theme="dark",
                                  size=(1280, 800)) as (window, panel):
        editor = window.editor_for(ON_SCHEDULE)
        stop = _line_of(editor, "if not self._enqueue(work_item):")
        _click_margin(qtbot, editor, stop)
        panel.set_graph("frames")
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F5)   # Cook
        view = panel.debugger
        qtbot.waitUntil(view.is_paused, timeout=COOK_TIMEOUT_MS)
        qtbot.waitUntil(lambda: panel.counts.status_text().startswith("Paused"), timeout=5000)
        assert panel.counts.status_text() == \
            f"Paused at a breakpoint: onSchedule line {stop} (render_1)"
        _click_margin(qtbot, editor, stop)                  # off: Continue runs on
        qtbot.mouseClick(view.buttons["continue"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not view.is_paused(), timeout=5000)
        qtbot.waitUntil(lambda: not panel.counts.status_text().startswith("Paused"),
                        timeout=5000)
        qtbot.waitUntil(lambda: not panel.is_cooking(), timeout=COOK_TIMEOUT_MS)
        assert panel.counts.status_text() == "Cook succeeded"
