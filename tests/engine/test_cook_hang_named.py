"""A cook that ends at its timeout or a cancel while a callback hangs says which
callback, work item and module line it was on, in the summary and in the event stream;
and what the jobs reported before that counts (items that succeeded are succeeded)."""
from __future__ import annotations

import json
import os
import signal
import threading

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.cli.hostrun import HostRun
from scheduler_studio.engine.cook.events import CallbackCalled, CallbackSlow
from scheduler_studio.engine.hostclient import host_command
from tests.engine.cookkit import gen, line_of, write_graph

HANGER = '''\
import time
import pdg
from pdg.scheduler import PyScheduler


class Hanger(PyScheduler):
    def onSchedule(self, work_item):
        if work_item.index == 3:
            while True:
                time.sleep(0.05)  # HANGS HERE
        self.onWorkItemSucceeded(work_item.id, -1, 0.0)
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        return pdg.tickResult.SchedulerReady


def registerTypes(type_registry):
    type_registry.registerScheduler(Hanger, name="hanger")
'''


def _setup(tmp_path):
    module = tmp_path / "hanger.py"
    module.write_text(HANGER, encoding="utf-8")
    write_graph(tmp_path, [gen("render", 6)], name="six")
    return module, str(tmp_path / "six.json")


def _check(summary, module):
    assert summary["items"]["succeeded"] == 3, summary
    assert summary["items"]["cancelled"] == 0  # the hung one never left onSchedule
    assert not [w for w in summary["warnings"] if "already finished" in w], summary["warnings"]
    hung = [e for e in summary["errors"] if e["callback"] == "onSchedule"]
    assert len(hung) == 1, summary["errors"]
    assert hung[0]["file"] == str(module) and hung[0]["line"] == line_of(module, "HANGS HERE")
    assert "render_4" in hung[0]["message"]
    return hung[0]


def test_a_timeout_names_the_hung_callback_item_and_line(tmp_path, capsys):
    module, graph = _setup(tmp_path)
    code = main(["cook", str(module), "--graph", graph, "--timeout", "1.5", "--json",
                 "--workdir", str(tmp_path / "w")])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["status"]) == (1, "timeout")
    error = _check(summary, module)
    assert "timed out" in error["message"]


def test_a_cancel_names_it_too_and_so_does_the_event_stream(tmp_path):
    module, graph = _setup(tmp_path)
    run = HostRun(host_command(str(module), graph, workdir=str(tmp_path / "w")))
    slow = threading.Event()

    def watch():  # cancel once the host says onSchedule runs long
        while not slow.is_set():
            if any(getattr(e, "type", "") == "callback_slow" for e in list(run.events)):
                os.kill(run.proc.pid, signal.SIGTERM)
                slow.set()
            slow.wait(0.05)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    assert run.wait(60) is None
    slow.set()
    assert run.summary["status"] == "cancelled"
    error = _check(run.summary, module)
    assert "cancelled" in error["message"]
    stopped = [e for e in run.events if isinstance(e, CallbackSlow) and e.stopped]
    assert [(e.name, e.stopped, e.file, e.line) for e in stopped] == [
        ("onSchedule", "cancelled", str(module), line_of(module, "HANGS HERE"))]
    # it raised nothing itself: not a callback error
    assert not [e for e in run.events if isinstance(e, CallbackCalled) and e.error]


def test_a_timeout_in_onstart_names_it(tmp_path, capsys):
    module = tmp_path / "slowstart.py"
    module.write_text(HANGER.replace(
        "    def onTick(self):",
        "    def onStart(self):\n        while True:\n            time.sleep(0.05)  # STARTS FOREVER\n\n"
        "    def onTick(self):"), encoding="utf-8")
    code = main(["cook", str(module), "--graph", "frames", "--timeout", "1", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["status"]) == (1, "timeout")
    error, = summary["errors"]
    assert (error["callback"], error["line"]) == ("onStart", line_of(module, "STARTS FOREVER"))
