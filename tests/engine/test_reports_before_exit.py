"""Job reports the result server had answered before a callback ended the host
(``os._exit``) are applied before it goes: those jobs' items succeeded, in the CLI's
summary and in the event stream the window reads.

Each cook runs through `schedstudio cook` (a real cook host process)."""
from __future__ import annotations

import json
import re

from scheduler_studio.engine.cli import main
from tests.engine.cookkit import gen, write_graph

# Each job reports success to the result server and exits; the 5th onSchedule waits
# until the first four jobs have exited (their reports were answered), then ends the
# host.
EXITS_AT_FIFTH = '''\
import os
import subprocess
import sys

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler

JOB = (
    "import os, xmlrpc.client\\n"
    "server = xmlrpc.client.ServerProxy('http://' + os.environ['PDG_RESULT_SERVER'])\\n"
    "server.start_cook(int(os.environ['PDG_ITEM_ID']), '')\\n"
    "server.success(int(os.environ['PDG_ITEM_ID']), 0, '')\\n"
)


class ExitsAtFifth(CallbackServerMixin, PyScheduler):
    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, False)

    def onStartCook(self, static, cook_set):
        self.jobs = []
        self.startCallbackServer()
        return True

    def onSchedule(self, work_item):
        if len(self.jobs) == 4:
            for job in self.jobs:
                job.wait()  # each job's reports were answered before it exited
            os._exit(3)  # ENDS-HERE
        env = self.addCommonJobEnvVars(dict(os.environ), work_item)
        self.jobs.append(subprocess.Popen([sys.executable, "-c", JOB], env=env))
        return pdg.scheduleResult.Succeeded

    def onStopCook(self, cancel):
        self.stopCallbackServer()
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(ExitsAtFifth, label="Exits at the fifth")
'''


def test_reports_answered_before_os_exit_are_applied(capsys, tmp_path):
    module = tmp_path / "exits.py"
    module.write_text(EXITS_AT_FIFTH, encoding="utf-8")
    write_graph(tmp_path, [gen("gen", 6)])
    graph = str(tmp_path / "g.json")
    code = main(["cook", str(module), "--graph", graph, "--json", "--max-items", "10",
                 "--workdir", str(tmp_path / "work"), "--timeout", "60"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 1 and "os._exit(3) called" in summary["errors"][0]["message"], summary
    assert summary["items"] == {"total": 6, "succeeded": 4, "failed": 0, "cancelled": 0,
                                "uncooked": 2}, summary

    code = main(["cook", str(module), "--graph", graph, "--events", "--max-items", "10",
                 "--workdir", str(tmp_path / "work2"), "--timeout", "60"])
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    succeeded = [e for e in events
                 if e["type"] == "item_state" and e["state"] == "CookedSuccess"]
    assert len(succeeded) == 4 and all(e["cause"].endswith("reported success")
                                       for e in succeeded), succeeded
    said = [e["message"] for e in events if e["type"] == "log" and e["level"] == "warning"]
    assert any(re.search(r"ending \(os\._exit\(3\)\) inside a callback: applied the "
                         r"\d+ job report\(s\) it had received", m) for m in said), said


