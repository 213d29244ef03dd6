"""The Local template cooking real jobs in-process: shared servers end with the cook,
transferred files reach the jobs, and the result server refuses hostile clients
while the cook goes on."""
from __future__ import annotations

import glob
import http.client
import os
import re
import xmlrpc.client

import psutil
import pytest

from scheduler_studio.engine.cook.events import LogMessage
from scheduler_studio.engine.model.enums import FINISHED_STATES
from tests.engine.cookkit import LOCAL, cook, gen, write_graph
from tests.polling import wait_for
from tests.engine.test_resultserver_hardening import BILLION_LAUGHS
from tests.engine.test_resultserver_support import basic_auth, raw_post


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_shared_server_is_ended_after_the_cook(tmp_path):
    done = cook(LOCAL, "sharedserver", tmp_path, parameters={"max_jobs": 2})
    assert done.summary["status"] == "succeeded", done.summary
    assert done.items["succeeded"] == 5
    assert done.summary["shared_servers_ended"] == ["echo"]
    (log,) = glob.glob(str(tmp_path / "work" / "pdgtemp" / "*" / "logs" / "start_echo_1.log"))
    pid = int(re.search(r"\(pid (\d+)\)", open(log).read()).group(1))
    assert wait_for(lambda: _gone(pid), timeout=5)
    files = [p for p in done.summary["outputs"] if os.sep + "ask" + os.sep in p]
    answers = sorted(open(p).read().strip() for p in files)
    assert answers == [f"REQUEST{i}" for i in range(4)]


def test_transfer_sample_with_the_local_template(tmp_path):
    done = cook(LOCAL, "transfer", tmp_path, parameters={"max_jobs": 2})
    assert done.summary["status"] == "succeeded", done.summary
    assert (tmp_path / "work" / "lut.txt").is_file()
    lut = (tmp_path / "work" / "lut.txt").read_text().splitlines()
    graded = [open(p).read().strip() for p in sorted(done.summary["outputs"])]
    assert graded == [lut[i % len(lut)] for i in range(4)]


GATE = """
import os, sys, time
deadline = time.time() + 20
while not os.path.exists(sys.argv[1]) and time.time() < deadline:
    time.sleep(0.01)
"""


def test_the_result_server_refuses_hostile_clients_during_a_cook(tmp_path):
    (tmp_path / "gate.py").write_text(GATE)
    go = tmp_path / "go"
    graph = write_graph(tmp_path, [
        gen("gate", 1, command=f"{{python}} {tmp_path / 'gate.py'} {go}"),
        gen("render", 3, frame_start=1, outputs=["__PDG_DIR__/r/{index}.txt"],
            command="{python} {jobs}/render.py --frame {frame} --out {out}"),
    ])
    seen = {}

    def attack(session):
        sched = session.scheduler
        addr = wait_for(lambda: session.loop and sched.workItemResultServerAddr())
        loop = session.loop
        gate = wait_for(lambda: loop.graph.lookup("gate_1"))  # items come after onStartCook
        renders = loop.graph.nodes["render"].workItems
        wait_for(lambda: len(renders) == 3 and all(r.state in FINISHED_STATES for r in renders))
        token, _, hostport = addr.partition("@")
        port = int(hostport.split(":")[1])
        auth = {"Authorization": basic_auth(token)}
        # a wrong token, and no token at all
        for url in (f"http://not{token}@{hostport}", f"http://{hostport}"):
            with pytest.raises(xmlrpc.client.ProtocolError) as info:
                xmlrpc.client.ServerProxy(url).success(gate.id, 0, "")
            seen.setdefault("auth", []).append(info.value.errcode)
        # malformed XML and an entity bomb, with the right token
        for body in (b"<methodCall><methodName>success</methodName><par", BILLION_LAUGHS):
            status, answer = raw_post(port, body, auth)
            seen.setdefault("xml", []).append((status, b"fault" in answer.lower()))
        # a payload over the limit
        try:
            status, _ = raw_post(port, b"<x>" + b"a" * (5 * 1024 * 1024) + b"</x>", auth)
        except (ConnectionError, http.client.HTTPException):
            status = "closed"
        seen["big"] = status
        # unknown item, finished item, a call that does not exist
        proxy = xmlrpc.client.ServerProxy(f"http://{addr}")
        for call in (lambda: proxy.success(99999, 0, ""), lambda: proxy.failed(renders[0].id, ""),
                     lambda: proxy.format_disk(gate.id)):
            with pytest.raises(xmlrpc.client.Fault):
                call()
        seen["gate_state"] = gate.state
        seen["token"] = token
        go.write_text("go")

    done = cook(LOCAL, graph, tmp_path, during=attack, parameters={"max_jobs": 4})
    assert done.summary["status"] == "succeeded", done.summary
    assert done.items == {"total": 4, "succeeded": 4, "failed": 0, "cancelled": 0,
                          "uncooked": 0}
    assert seen["auth"] == [401, 401]
    assert seen["xml"] == [(200, True), (200, True)]
    assert seen["big"] in (413, "closed")
    assert seen["gate_state"] not in FINISHED_STATES  # the refused calls did not finish it
    refusals = [e.message for e in done.of_type(LogMessage)
                if e.source == "resultserver" and "refused" in e.message]
    assert len(refusals) >= 8
    assert any("unknown work item 99999" in m for m in refusals)
    assert any("render_2 already finished" in m for m in refusals)
    assert not any(seen["token"] in e.to_json() for e in done.events)
    assert len(done.summary["outputs"]) == 3 and all(os.path.isfile(p) for p in
                                                     done.summary["outputs"])


SYNC = '''
import os, subprocess, sys
import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler


class Sync(CallbackServerMixin, PyScheduler):
    """Runs each job to the end inside onSchedule; the job reports its own success."""

    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, True)

    def onStartCook(self, static, cook_set):
        self.startCallbackServer()
        return True

    def onSchedule(self, work_item):
        self.createJobDirsAndSerializeWorkItems(work_item)
        env = self.addCommonJobEnvVars(dict(os.environ), work_item)
        env["PDG_RPC_TIMEOUT"] = "30"
        helper = os.path.join(self.scriptDir(True), "pdgcmd.py")
        subprocess.run([sys.executable, helper, "--success"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        return pdg.scheduleResult.Succeeded

    def onStopCook(self, cancel):
        self.stopCallbackServer()
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(Sync)
'''


def test_a_job_that_reports_while_its_callback_waits_for_it(tmp_path):
    # PDG serves job reports while onSchedule runs; a cook that waited for the loop
    # to come back first would hold every report of a synchronous job
    module = tmp_path / "sync.py"
    module.write_text(SYNC)
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path, timeout_s=20)
    assert done.summary["status"] == "succeeded", done.summary
    assert done.items["succeeded"] == 3
    assert not [m for m in done.logs() if "busy" in m]


def test_calls_reaching_the_server_as_the_cook_ends_are_refused_at_once(tmp_path):
    module = tmp_path / "late.py"
    module.write_text(SYNC.replace('''    def onStopCook(self, cancel):
        self.stopCallbackServer()''', '''    def onStopCook(self, cancel):
        import xmlrpc.client
        proxy = xmlrpc.client.ServerProxy("http://" + self.workItemResultServerAddr())
        try:
            proxy.keepalive(1, "")
        except xmlrpc.client.Fault as fault:
            self.answer = fault.faultString
        self.stopCallbackServer()'''))
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path, timeout_s=20)
    assert done.summary["status"] == "succeeded"
    assert "the cook is ending" in done.scheduler.answer
