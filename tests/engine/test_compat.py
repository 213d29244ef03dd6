"""The emulated `pdg` package: every name public schedulers import exists; what the
test cook does not emulate says so when used; the package only reaches the engine
through scheduler_studio.engine.runtime; the engine never loads Qt."""
from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler_studio.engine import compatpath
from scheduler_studio.engine.model.enums import workItemState
from scheduler_studio.engine.model.graph import GraphSpec, NodeSpec, Graph, ItemFormatter
from tests.engine.cookkit import ROOT

compatpath.install()

IMPORTS = [
    "import pdg",
    "from pdg.scheduler import PyScheduler, evaluateParamOr, convertEnvMapToUTF8, submitGraphAsJob",
    "from pdg.job.callbackserver import CallbackServerMixin",
    "from pdg.utils import expand_vars, TickTimer, print_headless",
    "from pdg.staticcook import StaticCookMixin",
    "from pdg.job.eventdispatch import EventDispatchMixin",
    "from pdg.utils.mq import MQInfo, MQSchedulerMixin, MQState, MQUsage, MQUtility",
    "from pdg.utils.simple_mq import MQUtility, SimpleMQSchedulerMixin",
    "from pdg.job.mqrelay import MQRelay",
    "from pdgutils import PDGNetMQRelay, PDGNetMessageType, mqCreateMessage, mqGetError",
    "import pdgd",
    "from pdgjob import pdgcmd",
    "from pdgjob.sharedserver import shutdownServer",
    "import pdgjob.sharedserver",
    "from pdg import CookError, ServiceError, attribFlag, serviceState, platform, TypeRegistry",
    "from pdg import scheduleResult, tickResult, acceptResult, workItemState, File",
]


@pytest.mark.parametrize("statement", IMPORTS)
def test_every_public_import_works(statement):
    exec(statement, {})


def test_platform_and_state_values():
    import pdg
    assert {p.name for p in pdg.platform} >= {"Linux", "Windows", "MacOS"}
    assert [(s.name, int(s)) for s in pdg.workItemState] == [
        ("Undefined", 0), ("Dirty", 1), ("Uncooked", 2), ("Waiting", 3), ("Scheduled", 4),
        ("Cooking", 5), ("CookedSuccess", 6), ("CookedCache", 7), ("CookedFail", 8),
        ("CookedCancel", 9)]
    assert [r.name for r in pdg.scheduleResult][:7] == [
        "Succeeded", "Failed", "Deferred", "FullDeferred", "CookSucceeded", "CookFailed",
        "CookCanceled"]
    assert [r.name for r in pdg.tickResult] == ["SchedulerReady", "SchedulerBusy",
                                                "SchedulerCancelCook"]
    assert [r.name for r in pdg.acceptResult] == ["Accept", "Default", "Reject"]


def _unavailable():
    import pdg
    import pdg.job.mqrelay
    import pdg.scheduler
    import pdg.utils.mq
    import pdg.utils.simple_mq
    import pdgutils
    return [
        pdg.utils.mq.MQUtility, pdg.utils.mq.MQInfo, pdg.utils.simple_mq.MQUtility,
        pdg.job.mqrelay.MQRelay, pdgutils.PDGNetMQRelay, pdgutils.mqCreateMessage,
        pdgutils.mqGetError, pdg.scheduler.submitGraphAsJob, pdg.graphContext,
        pdg.mainGraphContext, pdg.serviceManager, pdg.typeRegistry,
    ]


@pytest.mark.parametrize("thing", _unavailable(), ids=lambda t: t.__qualname__)
def test_using_a_name_the_test_cook_lacks_says_so(thing):
    with pytest.raises(Exception) as info:
        thing("x")
    assert "not available in the test cook" in str(info.value)


def test_a_pdg_attribute_that_does_not_exist_says_so():
    import pdg
    with pytest.raises(AttributeError, match="pdg.nosuchthing is not available in the test cook"):
        pdg.nosuchthing  # noqa: B018
    assert not hasattr(pdg, "alsomissing")
    assert pdg.staticcook.StaticCookMixin  # a submodule is found as an attribute


def test_inert_mixins_and_helpers():
    import pdg.utils.mq as mq
    from pdg.job.eventdispatch import EventDispatchMixin
    from pdg.scheduler import PyScheduler, convertEnvMapToUTF8, evaluateParamOr
    from pdg.staticcook import StaticCookMixin
    from pdg.utils import TickTimer, expand_vars

    mq.MQSchedulerMixin(1, 2)
    StaticCookMixin()
    assert EventDispatchMixin().dispatchEvent("x") is None
    assert convertEnvMapToUTF8({"A": 1}) == {"A": "1"}
    assert expand_vars("~") != "~"
    timer = TickTimer(0.0)
    assert timer.tick() is True
    sched = PyScheduler()
    assert evaluateParamOr(sched, "pdg_maxitems", 7) == 30
    assert evaluateParamOr(sched, "nosuch", 7) == 7
    assert sched._pdg_state.params.undefined == {}  # asked with a default: not undefined


def _item():
    spec = GraphSpec("g", "", (NodeSpec("gen", "generator", count=2),))
    graph = Graph(spec)
    items = graph.generate(ItemFormatter(lambda n, i: n, lambda p: p), graph.nodes["gen"])
    return graph, items


def test_scheduler_members_public_schedulers_use(tmp_path):
    import pdg
    from pdg.scheduler import PyScheduler
    from scheduler_studio.engine.scheduler.params import Port

    class Farm(PyScheduler):
        def __init__(self, scheduler, name):
            PyScheduler.__init__(self, scheduler, name)
            self.parmprefix = "farm"
            self.custom_port_range = (50000, 50010)

    sched = Farm(None, "farm1")
    assert sched.name == "farm1" and sched.parmprefix == "farm"
    assert sched.context.canceling is False and sched.context.graph is None
    assert sched.resolveBaseEnvironment() and sched.resolvePathMapping("/a") == "/a"
    sched._pdg_state.params.add(Port("farm_queue", "gpu", "String"))
    assert sched.evaluateStringOverride(None, "farm", "farm_queue", None, "cpu") == "gpu"
    assert sched.evaluateIntOverride(None, "farm", "nosuch", None, 4) == 4
    sched.setWorkItemResultServerAddr("relay:1")
    assert sched.workItemResultServerAddr() == "relay:1"
    sched["pdg_maxitems"] = 5
    assert sched["pdg_maxitems"].evaluateInt() == 5 and sched["pdg_maxitems"].value == 5
    assert sched.topNode().path() == "/obj/topnet1/farm1" and sched.isWaitForFailures is False
    assert sched.dependencyGraph() == ({}, {}, [])
    assert isinstance(pdg.CookError("x"), Exception)


def test_work_item_members_public_schedulers_use():
    import pdg
    graph, (first, second) = _item()
    first.data.setInt("retries", 3)
    first.data.setFloat("ratio", 0.5)
    first.data.setString("queue", "gpu")
    assert first.intAttribValue("retries") == 3 and first.floatAttribValue("ratio") == 0.5
    assert first.stringAttribValue("queue") == "gpu" and first.data.stringData("queue") == "gpu"
    assert first.data.stringDataMap == {"queue": ["gpu"]}
    first.setCommand("echo hi")
    first.setPlatformCommand(pdg.platform.Windows, "cmd /c echo hi")
    assert first.platformCommand(pdg.platform.Linux) == "echo hi"
    assert first.platformCommand(pdg.platform.Windows) == "cmd /c echo hi"
    assert first.dependents == [] and first.node.name == "gen" and first.graph is graph
    assert graph.workItemById(second.id) is second
    first.addOutputFile("/tmp/a.exr", "file/image")
    assert first.firstOutputFileForTag("file") == "/tmp/a.exr"
    assert first.resultData == [("/tmp/a.exr", "file/image", 0)]
    assert first.state == workItemState.Waiting


def test_shutdown_server_ends_the_process():
    from pdgjob.sharedserver import shutdownServer
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert shutdownServer({"pid": proc.pid, "name": "echo"}) is True
        assert proc.wait(10) != 0
    finally:
        proc.kill()
        proc.wait()


def test_compat_reaches_the_engine_only_through_runtime():
    compat = ROOT / "engine" / "compat"
    pattern = re.compile(r"^\s*(from|import)\s+((?:scheduler_studio\.)?engine[\w.]*)", re.M)
    used = {m.group(2) for path in compat.rglob("*.py")
            for m in pattern.finditer(path.read_text(encoding="utf-8"))}
    assert used == {"scheduler_studio.engine.runtime"}


def test_compat_modules_all_import():
    compat = ROOT / "engine" / "compat"
    for path in compat.rglob("*.py"):
        parts = path.relative_to(compat).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        importlib.import_module(name)


def test_the_engine_never_imports_qt():
    code = ("import sys\n"
            "import scheduler_studio.engine.session, scheduler_studio.engine.cli, scheduler_studio.engine.cookhost, scheduler_studio.engine.cli.commands\n"
            "import scheduler_studio.engine.factory, scheduler_studio.engine.runtime\n"
            "from scheduler_studio.engine import compatpath; compatpath.compat_pdg()\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'PyQt5', 'PyQt6') or m.startswith('scheduler_studio.gui'))\n"
            "print(bad)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.strip() == "[]"


def test_the_cli_commands_do_not_import_qt_either(tmp_path):
    code = ("import sys\n"
            "from scheduler_studio.engine.cli import main\n"
            "assert main(['graphs']) == 0\n"
            "print([m for m in sys.modules if m.startswith(('PySide6', 'scheduler_studio.gui'))])\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
    assert Path(ROOT / "engine").is_dir()
