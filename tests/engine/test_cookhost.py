"""The cook host process: a clean NDJSON stream whatever the module prints, cancel by
signal even inside a callback that never returns, and no process left behind, even
when the host itself is killed."""
from __future__ import annotations

import os
import signal
import uuid

import psutil

from scheduler_studio.engine.cli.hostrun import HostRun
from scheduler_studio.engine.hostclient import host_command
from scheduler_studio.engine.cook.events import (CallbackCalled, CallbackSlow, CookFinished,
                                                 LogMessage)
from tests.engine.cookkit import RECORDER, SCHEDULERS
from tests.polling import wait_for

HANG = SCHEDULERS / "hang.py"


def _run(module, graph, tmp_path, **options):
    options.setdefault("workdir", str(tmp_path / "work"))
    return HostRun(host_command(str(module), graph, **options))


def _alive(pids):
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            pass
    return out


def _hang_pids(tmp_path):
    path = tmp_path / "work" / "hang-pids.txt"
    text = wait_for(lambda: path.is_file() and path.read_text().strip())
    return [int(p) for p in text.split()]


def test_events_stay_clean_when_the_module_prints(tmp_path):
    run = _run(SCHEDULERS / "noisy.py", "transfer", tmp_path, tick_period=0.001)
    assert run.wait(60) is None
    assert run.returncode == 0 and run.bad_lines == []
    finished = [e for e in run.events if isinstance(e, CookFinished)]
    assert len(finished) == 1 and run.summary["status"] == "succeeded"
    assert run.summary["items"]["succeeded"] == 4


def test_sigterm_cancels_inside_a_callback_that_never_returns(tmp_path):
    marker = f"schedstudio-test-{uuid.uuid4().hex}"
    run = _run(HANG, "frames", tmp_path, parms={"marker": marker})
    pids = _hang_pids(tmp_path)
    wait_for(lambda: any(isinstance(e, CallbackSlow) and e.name == "onSchedule"
                         for e in run.events))
    run.stop()
    assert run.returncode == 1 and run.summary["status"] == "cancelled"
    stops = [e for e in run.events if isinstance(e, CallbackCalled) and e.name == "onStopCook"]
    assert [e.args for e in stops] == ["True"]
    assert _alive(pids) == []


def test_a_second_sigterm_breaks_a_hung_clean_up(tmp_path):
    marker = f"schedstudio-test-{uuid.uuid4().hex}"
    run = _run(HANG, "frames", tmp_path, parms={"marker": marker, "hang_in": "onStopCook"},
               max_items=1)
    pids = _hang_pids(tmp_path)
    os.killpg(run.proc.pid, signal.SIGTERM)
    wait_for(lambda: any(isinstance(e, CallbackSlow) and e.name == "onStopCook"
                         for e in run.events))
    os.killpg(run.proc.pid, signal.SIGTERM)
    assert run.wait(30) is None
    assert run.summary["status"] == "cancelled" and run.returncode == 1
    logs = [e.message for e in run.events if isinstance(e, LogMessage)]
    assert any("onStopCook during clean-up" in m for m in logs)
    assert _alive(pids) == []


def test_jobs_left_running_after_a_cook_are_ended(tmp_path):
    marker = f"schedstudio-test-{uuid.uuid4().hex}"
    module = tmp_path / "leaky.py"
    module.write_text(HANG.read_text().replace(
        '        if self["hang_in"].evaluateString() == "onSchedule":\n'
        '            while True:\n'
        '                pass\n'
        '        return pdg.scheduleResult.Succeeded',
        '        return pdg.scheduleResult.CookSucceeded'))
    run = _run(module, str(tmp_path / "one.json"), tmp_path, parms={"marker": marker})
    (tmp_path / "one.json").write_text('{"nodes": [{"name": "a", "count": 1}]}')
    assert run.wait(60) is None
    assert run.summary["status"] == "succeeded"
    pids = [int(p) for p in (tmp_path / "work" / "hang-pids.txt").read_text().split()]
    assert _alive(pids) == []
    logs = [e.message for e in run.events if isinstance(e, LogMessage)]
    assert any(m.startswith("ended 2 process(es) the cook left running") for m in logs), logs


def test_no_job_outlives_a_killed_host(tmp_path):
    marker = f"schedstudio-test-{uuid.uuid4().hex}"
    run = _run(HANG, "frames", tmp_path, parms={"marker": marker})
    pids = _hang_pids(tmp_path)
    os.kill(run.proc.pid, signal.SIGKILL)
    assert run.wait(30) is None
    assert run.summary is None and run.returncode == -signal.SIGKILL
    assert _alive(pids) == []


def test_a_module_that_does_not_load_exits_2(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("raise ImportError('no farm module')\n")
    run = _run(module, "frames", tmp_path)
    assert run.wait(60) is None
    assert run.returncode == 2 and run.summary["status"] == "error"
    assert run.summary["errors"][0]["line"] == 1


def test_a_timeout_inside_a_callback(tmp_path):
    marker = f"schedstudio-test-{uuid.uuid4().hex}"
    run = _run(HANG, "frames", tmp_path, parms={"marker": marker}, timeout=1.0)
    assert run.wait(1.0) is None
    assert run.summary["status"] == "timeout" and run.returncode == 1


def test_recorder_cook_events_in_order(tmp_path):
    run = _run(RECORDER, "frames", tmp_path, parms={"finish": "inline"}, tick_period=0.001)
    assert run.wait(60) is None and run.returncode == 0
    kinds = [e.type for e in run.events]
    assert kinds.index("cook_started") < kinds.index("item_added") < kinds.index("item_state")
    assert kinds[-1] == "cook_finished"


def test_submit_as_job_mode(tmp_path):
    run = HostRun(host_command(str(RECORDER), "frames") + ["--submit-as-job", "/obj/topnet1"])
    assert run.wait(60) is None and run.returncode == 0
    assert run.summary["submitted"] == {"status_uri": "http://farm.example/job/7", "job_id": "7"}
    (call,) = [e for e in run.events if isinstance(e, CallbackCalled) and e.name == "submitAsJob"]
    assert call.args.endswith("frames.json', '/obj/topnet1'")
    assert run.summary["items"]["total"] == 0


def test_submit_as_job_that_raises(tmp_path):
    module = tmp_path / "nosubmit.py"
    module.write_text("from pdg.scheduler import PyScheduler\n"
                      "class S(PyScheduler):\n"
                      "    def submitAsJob(self, graph_file, node_path):\n"
                      "        raise RuntimeError('no farm')\n"
                      "def registerTypes(type_registry):\n"
                      "    type_registry.registerScheduler(S)\n")
    run = HostRun(host_command(str(module), "frames") + ["--submit-as-job", "/obj/x"])
    assert run.wait(60) is None and run.returncode == 1
    (error,) = run.summary["errors"]
    assert (error["callback"], error["line"]) == ("submitAsJob", 4)
    assert run.summary["submitted"] == {"status_uri": "", "job_id": ""}


def test_a_timeout_while_jobs_run(tmp_path):
    run = _run(RECORDER, "transfer", tmp_path, parms={"finish": "none"}, timeout=0.5,
               tick_period=0.001)
    assert run.wait(0.5) is None
    assert run.summary["status"] == "timeout" and run.returncode == 1
    assert run.summary["items"]["cancelled"] == 4
    stops = [e for e in run.events if isinstance(e, CallbackCalled) and e.name == "onStopCook"]
    assert [e.args for e in stops] == ["True"]
