"""The pdg names and callbacks real farm schedulers need beyond the documented API
(pdg-api.md, "What real farm schedulers need"): each exists and does what they expect."""
from __future__ import annotations

import os
import sys

import pytest

from scheduler_studio.engine import compatpath
from tests.engine.cookkit import cook, gen, recorder_variant, write_graph

compatpath.install()
import pdg  # noqa: E402
from pdg.job.callbackserver import CallbackServer, CallbackServerMixin  # noqa: E402
from pdg.scheduler import PyScheduler  # noqa: E402
from pdg.utils.simple_mq import SimpleMQSchedulerMixin  # noqa: E402


def test_pdg_scheduler_is_the_base_of_every_scheduler():
    assert issubclass(PyScheduler, pdg.Scheduler)
    assert isinstance(PyScheduler(None, "s"), pdg.Scheduler)


def test_callback_server_imports_and_says_how_the_test_cook_serves_reports():
    with pytest.raises(NotImplementedError, match=r"CallbackServer\(\) \(use CallbackServerMixin.startCallbackServer\) is not available in the test cook"):
        CallbackServer(("127.0.0.1", 0))


def test_python_and_hython_bins(monkeypatch):
    sched = PyScheduler(None, "s")
    assert sched._pythonBin() == sys.executable
    monkeypatch.setenv("SCHEDSTUDIO_HYTHON", "/opt/hfs/bin/hython")
    assert sched._hythonBin() == "/opt/hfs/bin/hython"
    assert sched._pythonBin(pdg.platform.Linux, True) == sys.executable  # lenient arguments


def test_work_item_data_source_defaults_to_files_and_can_be_set():
    sched = PyScheduler(None, "s")
    assert sched.workItemDataSource == 0
    sched.workItemDataSource = 1
    assert sched.workItemDataSource == 1


def test_init_houdini_max_threads_puts_the_count_in_the_job_environment():
    sched = PyScheduler(None, "s")
    env = {}
    assert sched.initHoudiniMaxThreads(env) == 0 and env == {"HOUDINI_MAXTHREADS": "0"}
    sched["houdini_max_threads"] = 4
    assert sched.initHoudiniMaxThreads() == 4


def test_type_registry_types_called_on_the_class():
    listed = pdg.TypeRegistry.types()
    assert isinstance(listed, list)
    assert listed.pySerializationModule is None and listed.tags == []
    registry = pdg.TypeRegistry()
    registry.registerScheduler(PyScheduler, name="mine")
    assert [t.name for t in registry.types()] == ["mine"]
    assert "mine" in [t.name for t in pdg.TypeRegistry.types()]


def test_simple_mq_polling_members():
    class MQFarm(SimpleMQSchedulerMixin, PyScheduler):
        def __init__(self, scheduler, name):
            PyScheduler.__init__(self, scheduler, name)
            SimpleMQSchedulerMixin.__init__(self)

    class NoInit(PyScheduler, SimpleMQSchedulerMixin):
        pass

    sched = MQFarm(None, "mq")
    assert sched.startPollingClient() is True
    assert sched.checkPollingClient() is True
    assert sched.stopPollingClient() is True
    assert sched.mqinfo.mq_httpport == 0 and sched.mqinfo.client_id == ""
    assert NoInit(None, "mq").mqinfo.mq_httpport == 0


def test_copy_job_support_files_puts_the_job_helper_in_the_script_dir(tmp_path):
    class MQFarm(PyScheduler, SimpleMQSchedulerMixin):
        pass

    sched = MQFarm(None, "mq")
    sched["pdg_workingdir"] = str(tmp_path)
    assert sched._copyJobSupportFiles() is True
    assert os.path.isfile(os.path.join(sched.scriptDir(True), "pdgcmd.py"))


def test_result_server_address_of_the_mixin_ignores_a_rebuilt_one(tmp_path):
    module = recorder_variant(tmp_path, """
        def onStartCook(self, static, cook_set):
            from pdg.job.callbackserver import CallbackServerMixin
            CallbackServerMixin.startCallbackServer(self)
            self.setWorkItemResultServerAddr("10.0.0.5:1234")
            self.seen = (self.workItemResultServerAddr(),
                         CallbackServerMixin._workItemResultServerAddr(self))
            CallbackServerMixin.stopCallbackServer(self)
            return True
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path,
                parameters={"finish": "inline"})
    rebuilt, own = done.scheduler.seen
    assert rebuilt == "10.0.0.5:1234"
    assert own.endswith(tuple("0123456789")) and "@127.0.0.1:" in own


def test_report_hooks_exist_on_schedulers_without_the_mixin(tmp_path):
    """workItemStartCook/Succeeded on a plain PyScheduler report as the mixin's do."""
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            self.workItemStartCook(work_item.name, -1, jobid="j1")
            self.workItemSucceeded(work_item.name, -1, 0.5, jobid="j1")
            return pdg.scheduleResult.Succeeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path)
    assert done.summary["status"] == "succeeded", done.summary
    assert done.summary["items"]["succeeded"] == 3
    assert not issubclass(type(done.scheduler), CallbackServerMixin)
    for name in ("workItemFailed", "workItemCancelled", "workItemCanceled",
                 "workItemFileResult", "workItemSetAttribute"):
        assert callable(getattr(done.scheduler, name))


def test_verbose_log_goes_to_the_cook_log(tmp_path):
    module = recorder_variant(tmp_path, """
        def onStartCook(self, static, cook_set):
            self._verboseLog("submitting to the farm")
            return True
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path,
                parameters={"finish": "inline"})
    assert "submitting to the farm" in done.logs("info")


@pytest.mark.parametrize("signature, expected", [
    ("(self)", ()), ("(self, static, cook_set)", (False, ["gen"])),
    ("(self, *args)", (False, ["gen"])),
])
def test_on_setup_cook_comes_before_on_start_cook(tmp_path, signature, expected):
    body = "args = ()" if signature == "(self)" else \
        "args = (static, [n.name for n in cook_set])" if "static" in signature else \
        "args = (args[0], [n.name for n in args[1]])"
    module = recorder_variant(tmp_path, f"""
        def onSetupCook{signature}:
            {body}
            self.record("onSetupCook", *args)
            return True
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path,
                parameters={"finish": "inline"})
    names = done.scheduler.names()
    assert names.index("onSetupCook") < names.index("onStartCook")
    assert done.scheduler.called("onSetupCook") == [expected]
    assert done.summary["callbacks"]["onSetupCook"] == 1


def test_on_setup_cook_returning_false_stops_the_cook(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSetupCook(self):
            return False
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path)
    assert done.summary["status"] == "failed"
    assert "onSetupCook returned False" in done.summary["errors"][-1]["message"]
    assert done.scheduler.called("onStartCook") == []
