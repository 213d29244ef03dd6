"""Truthful endings: whatever way a callback leaves (any BaseException, ``os._exit``, a
crash, an ``async def``, a fork), the cook's summary says what happened and where, not
"the host was killed by SIGINT" or "ended without a summary" with nothing counted.

Each cook runs through `schedstudio cook` (a real cook host process)."""
from __future__ import annotations

import json
import os
import tempfile

import pytest

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.cook.options import CookOptions
from scheduler_studio.engine.session import cook_module
from tests.engine.cookkit import gen, line_of, recorder_variant, write_graph

GRAPH = [gen("gen", 4)]


def cook_cli(capsys, tmp_path, module, *extra, graph=None):
    graph_file = tmp_path / "g.json"
    if graph is not None or not graph_file.exists():
        write_graph(tmp_path, graph or GRAPH)
    code = main(["cook", str(module), "--graph", str(graph_file), "--json",
                 "--workdir", str(tmp_path / "work"), "--timeout", "60", *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out)


def events_cli(capsys, tmp_path, module):
    write_graph(tmp_path, GRAPH)
    code = main(["cook", str(module), "--graph", str(tmp_path / "g.json"), "--events",
                 "--workdir", str(tmp_path / "work"), "--timeout", "60"])
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines]


# -- any BaseException ----------------------------------------------------------------

@pytest.mark.parametrize("raised", ["KeyboardInterrupt", "SystemExit(3)", "GeneratorExit",
                                    "Escape('out')"])
def test_a_callback_raising_a_base_exception_is_that_callbacks_error(capsys, tmp_path,
                                                                      raised):
    module = recorder_variant(tmp_path, f"""
        def onSchedule(self, work_item):
            if work_item.index == 2:
                raise {raised}  # RAISES-HERE
            return pdg.scheduleResult.CookSucceeded
    """)
    module.write_text("class Escape(BaseException):\n    pass\n\n\n" + module.read_text())
    code, summary = cook_cli(capsys, tmp_path, module)
    [error] = summary["errors"]
    assert error["callback"] == "onSchedule" and error["item"] is not None
    assert (error["file"], error["line"]) == (str(module), line_of(module, "RAISES-HERE"))
    assert error["message"].startswith(raised.split("(")[0])
    assert "killed" not in error["message"] and "without a summary" not in error["message"]
    assert summary["items"]["total"] == 4 and summary["items"]["failed"] == 1
    assert summary["items"]["succeeded"] == 3  # the cook went on past the error
    assert summary["callbacks"]["onStop"] == 1  # and ended as cooks do


# -- os._exit and crashes ---------------------------------------------------------------

EXITS = {
    "os._exit": ("import os; os._exit(3)", "ended without a summary (exit code 3)"),
    "segfault": ("import ctypes; ctypes.string_at(0)", "killed by SIGSEGV"),
}


@pytest.mark.parametrize("how", sorted(EXITS))
def test_a_callback_that_ends_the_host_loses_no_event_and_is_named(capsys, tmp_path, how):
    statement, said = EXITS[how]
    module = recorder_variant(tmp_path, f"""
        def onSchedule(self, work_item):
            if work_item.index == 3:
                {statement}  # ENDS-HERE
            return pdg.scheduleResult.CookSucceeded
    """)
    code, summary = cook_cli(capsys, tmp_path, module, "--parm", "finish=inline")
    assert code == 1 and summary["status"] == "failed"   # the module loaded and cooked
    [error] = summary["errors"]
    assert said in error["message"], error
    assert "while onSchedule (item " in error["message"], error
    assert error["callback"] == "onSchedule" and error["file"] == str(module)
    if how == "os._exit":
        assert f"os._exit(3) called at {module}:{line_of(module, 'ENDS-HERE')}" \
            in error["message"]
        assert error["line"] == line_of(module, "ENDS-HERE")   # the line said, not the def
    # every event produced before the call was delivered: all 4 items, 3 of them done
    assert summary["items"]["total"] == 4 and summary["items"]["succeeded"] == 3, summary
    assert summary["callbacks"]["onSchedule"] == 3  # the calls that returned
    assert summary["callbacks"]["onStartCook"] == 1


@pytest.mark.parametrize("how", sorted(EXITS))
def test_a_host_that_ended_in_a_callback_leaves_nothing_in_the_temp_folder(
        capsys, tmp_path, monkeypatch, how):
    """The host cannot remove what it made in temp (its tools folder) when os._exit or a
    crash ends it: the CLI gives it a folder of its own for them and removes that."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)   # in-process and host alike use it
    statement, _ = EXITS[how]
    module = recorder_variant(tmp_path, f"""
        def onSchedule(self, work_item):
            if work_item.index == 1:
                {statement}
            return pdg.scheduleResult.CookSucceeded
    """)
    code, summary = cook_cli(capsys, tmp_path, module)
    assert code == 1 and summary["status"] == "failed"
    assert sorted(p.name for p in temp.iterdir()) == []


# -- async def ----------------------------------------------------------------------------

def test_an_async_callback_is_an_error_at_that_callback(capsys, tmp_path):
    module = recorder_variant(tmp_path, """
        async def onTick(self):  # ASYNC-DEF
            return pdg.tickResult.SchedulerReady
    """)
    code, summary = cook_cli(capsys, tmp_path, module, "--parm", "finish=inline",
                             "--tick-period", "0.01")
    assert summary["errors"], summary
    for error in summary["errors"]:
        assert error["callback"] == "onTick"
        assert (error["file"], error["line"]) == (str(module), line_of(module, "ASYNC-DEF"))
        assert "onTick is an async def" in error["message"]
        assert "never awaits" in error["message"]
    assert len(summary["errors"]) == summary["callbacks"]["onTick"]


def test_an_async_schedule_fails_its_item_and_never_warns_at_exit(capsys, tmp_path):
    module = recorder_variant(tmp_path, """
        async def onSchedule(self, work_item):  # ASYNC-DEF
            return pdg.scheduleResult.CookSucceeded
    """)
    code, summary = cook_cli(capsys, tmp_path, module)
    assert summary["items"]["failed"] == 4 and summary["items"]["succeeded"] == 0
    assert {e["line"] for e in summary["errors"]} == {line_of(module, "ASYNC-DEF")}
    assert "was never awaited" not in capsys.readouterr().err


# -- forks ---------------------------------------------------------------------------------

def test_a_module_that_forks_at_import_is_refused_and_cooks_once(capsys, tmp_path):
    module = recorder_variant(tmp_path, "pass")
    module.write_text("import os\nos.fork()  # FORKS-HERE\n" + module.read_text())
    code, events = events_cli(capsys, tmp_path, module)
    finished = [e for e in events if e["type"] == "cook_finished"]
    assert len(finished) == 1, "the forked copy of the host sent a summary too"
    assert not [e for e in events if e["type"] == "cook_started"]
    summary = finished[0]["summary"]
    assert code == 2 and summary["status"] == "error"
    [error] = summary["errors"]
    assert "os.fork() while it was imported" in error["message"]
    assert (error["file"], error["line"]) == (str(module), line_of(module, "FORKS-HERE"))


def test_a_child_forked_in_a_callback_never_cooks(capsys, tmp_path):
    # the child returns from onStartCook into the engine: it must end there, not cook
    module = recorder_variant(tmp_path, """
        def onStartCook(self, static, cook_set):
            import os
            os.fork()
            return True
    """)
    code, events = events_cli(capsys, tmp_path, module)
    assert len([e for e in events if e["type"] == "cook_finished"]) == 1
    assert len([e for e in events if e["type"] == "item_added"]) == 4
    calls = [e["name"] for e in events if e["type"] == "callback"]
    assert calls.count("onStartCook") == 1 and calls.count("onStop") == 1
    assert code == 0, events[-1]


# -- onStop -------------------------------------------------------------------------------

def test_on_stop_is_counted_and_its_error_reported_in_process(tmp_path):
    module = recorder_variant(tmp_path, """
        def onStop(self):
            raise RuntimeError("cannot close the farm")  # STOP-RAISES
    """)
    graph = write_graph(tmp_path, GRAPH)
    summary = cook_module(str(module), graph, CookOptions(workdir=str(tmp_path / "work")))
    assert summary["callbacks"]["onStop"] == 1
    [error] = summary["errors"]
    assert error["callback"] == "onStop" and error["line"] == line_of(module, "STOP-RAISES")


def test_on_stop_is_counted_by_the_cook_host(capsys, tmp_path):
    module = recorder_variant(tmp_path, """
        def onStop(self):
            raise SystemExit("from onStop")  # STOP-RAISES
    """)
    code, summary = cook_cli(capsys, tmp_path, module)
    assert summary["callbacks"]["onStop"] == 1
    [error] = summary["errors"]
    assert (error["callback"], error["line"]) == ("onStop", line_of(module, "STOP-RAISES"))
    assert error["message"] == "SystemExit: from onStop"


def test_no_callboard_file_is_left_behind(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    module = recorder_variant(tmp_path, "pass")
    cook_cli(capsys, tmp_path, module)
    assert not list(tmp_path.glob("schedstudio-callboard-*"))
    assert os.path.isdir(tmp_path / "work")


def test_schedstudio_check_warns_about_async_callbacks(capsys, tmp_path):
    module = recorder_variant(tmp_path, """
        async def onTick(self):  # ASYNC-DEF
            return pdg.tickResult.SchedulerReady
    """)
    assert main(["check", str(module)]) == 0  # a warning: the module still loads
    line = line_of(module, "ASYNC-DEF")
    assert f"{module}:{line}:5: warning: onTick is an async def" in capsys.readouterr().out
