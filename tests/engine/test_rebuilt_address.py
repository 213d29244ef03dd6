"""Schedulers that rebuild the result-server address (host swapped in, the secret
dropped): their jobs' reports are refused with the likely cause named, unless the cook
accepts reports without the secret (``--result-server-auth off``), as Houdini does."""
from __future__ import annotations

from tests.engine.cookkit import cook, gen, write_graph

REBUILDS = '''
import os
import subprocess
import sys

import pdg
from pdg.job.callbackserver import CallbackServerMixin
from pdg.scheduler import PyScheduler

JOB = ("import os, xmlrpc.client\\n"
       "host, port = os.environ['PDG_RESULT_SERVER'].split(':')\\n"
       "server = xmlrpc.client.ServerProxy('http://%s:%s' % (host, port))\\n"
       "server.success(int(os.environ['PDG_ITEM_ID']), 0, '')\\n")


class Rebuilds(CallbackServerMixin, PyScheduler):
    def __init__(self, scheduler, name):
        PyScheduler.__init__(self, scheduler, name)
        CallbackServerMixin.__init__(self, False)
        self.jobs = {}

    def onStartCook(self, static, cook_set):
        self.startCallbackServer()
        return True

    def onSchedule(self, work_item):
        # what farm schedulers do so remote machines can reach the server
        port = self.workItemResultServerAddr().split(":")[-1]
        env = dict(os.environ, PDG_RESULT_SERVER="127.0.0.1:" + port,
                   PDG_ITEM_ID=str(work_item.id))
        self.jobs[work_item.id] = subprocess.Popen([sys.executable, "-c", JOB], env=env,
                                                   stderr=subprocess.DEVNULL)
        return pdg.scheduleResult.Succeeded

    def onTick(self):
        for item_id, job in list(self.jobs.items()):
            if job.poll() is not None:
                del self.jobs[item_id]
                if job.returncode != 0:
                    self.onWorkItemFailed(item_id, -1)
        return pdg.tickResult.SchedulerReady

    def onStopCook(self, cancel):
        for job in self.jobs.values():
            job.kill()
            job.wait()
        self.stopCallbackServer()
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(Rebuilds, name="rebuilds")
'''


def _module(tmp_path):
    path = tmp_path / "rebuilds.py"
    path.write_text(REBUILDS, encoding="utf-8")
    return path


def test_reports_without_the_secret_are_refused_with_the_likely_cause(tmp_path):
    done = cook(_module(tmp_path), write_graph(tmp_path, [gen("gen", 2)]), tmp_path)
    assert done.summary["status"] == "failed"
    assert done.items["failed"] == 2
    refusals = [m for m in done.logs("warning") if "refused" in m]
    assert refusals and all("no credentials on a job report" in m for m in refusals)
    assert "rebuilt from workItemResultServerAddr()" in refusals[0]
    assert "--result-server-auth off" in refusals[0]


def test_with_auth_off_they_are_accepted_as_houdini_does_and_the_summary_warns(tmp_path):
    done = cook(_module(tmp_path), write_graph(tmp_path, [gen("gen", 2)]), tmp_path,
                result_server_auth=False)
    assert done.summary["status"] == "succeeded", done.summary
    assert done.items["succeeded"] == 2
    assert any("--result-server-auth off" in w for w in done.summary["warnings"])
    assert not [m for m in done.logs("warning") if "refused" in m]


def test_auth_off_still_refuses_a_wrong_secret(tmp_path):
    import xmlrpc.client
    from scheduler_studio.engine.resultserver import ResultServer

    server = ResultServer(lambda *a: True, require_auth=False)
    server.start()
    try:
        wrong = xmlrpc.client.ServerProxy(f"http://nottoken@127.0.0.1:{server.port}")
        try:
            wrong.start_cook(1, "")
            raised = None
        except xmlrpc.client.ProtocolError as exc:
            raised = exc.errcode
        assert raised == 401
    finally:
        server.stop()
