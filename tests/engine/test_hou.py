"""The test cook's ``hou``: every name farm schedulers use, one behaviour at a time, and
the TOP nodes behind ``topNode()`` / ``hou.node`` backed by the cook's real values."""
from __future__ import annotations

import json

import pytest

from scheduler_studio.engine import compatpath
from tests.engine.cookkit import cook, gen, proc, recorder_variant, write_graph

compatpath.install()
import hou  # noqa: E402  (the emulation, as the cook host puts it on the path)


@pytest.fixture
def hip(tmp_path, monkeypatch):
    folder = tmp_path / "hip"
    folder.mkdir()
    monkeypatch.setenv("HIP", str(folder))
    monkeypatch.delenv("HIPFILE", raising=False)
    return folder


def test_hip_file_is_a_scene_path_under_hip(hip):
    assert hou.hipFile.path() == str(hip / "testcook.hip")
    assert hou.hipFile.name() == hou.hipFile.path()
    assert hou.hipFile.basename() == "testcook.hip"
    assert hou.hipFile.hasUnsavedChanges() is False


def test_saving_the_scene_leaves_a_file_where_schedulers_copy_it_from(hip):
    hou.hipFile.save()
    assert (hip / "testcook.hip").is_file()


def test_application_version():
    assert hou.applicationVersion() == (20, 0, 0)
    assert isinstance(hou.applicationVersion()[0], int)
    assert hou.applicationVersionString() == "20.0.0"


def test_there_is_no_ui():
    assert hou.isUIAvailable() is False
    with pytest.raises(hou.OperationFailed, match="no UI in a test cook"):
        hou.ui.displayMessage("Submitted!", severity=hou.severityType.Message)


def test_severity_types_are_distinct():
    values = [hou.severityType.Message, hou.severityType.ImportantMessage,
              hou.severityType.Warning, hou.severityType.Error, hou.severityType.Fatal]
    assert len(set(values)) == len(values)


def test_operation_failed_is_a_hou_error_schedulers_can_raise_and_catch():
    assert issubclass(hou.OperationFailed, hou.Error)
    with pytest.raises(hou.Error) as info:
        raise hou.OperationFailed("farm refused the job")
    assert info.value.instanceMessage() == "farm refused the job"


def test_file_references_of_a_scene_that_is_not_there():
    assert hou.fileReferences() == ()


def test_expand_string_and_getenv(hip, monkeypatch):
    monkeypatch.setenv("FARM_ROOT", "/mnt/farm")
    assert hou.text.expandString("$HIP/render") == f"{hip}/render"
    assert hou.expandString("${FARM_ROOT}/$HIPNAME.$NOSUCHVAR") == "/mnt/farm/testcook.$NOSUCHVAR"
    assert hou.getenv("HIPFILE") == str(hip / "testcook.hip")
    assert hou.getenv("NO_SUCH_VARIABLE_HERE") is None
    assert hou.getenv("NO_SUCH_VARIABLE_HERE", "fallback") == "fallback"


def test_any_other_name_imports_and_says_it_is_not_available_when_used():
    from hou import qt  # noqa: F401 - a bare AttributeError here would stop the module loading
    with pytest.raises(hou.OperationFailed, match="hou.qt.mainWindow is not available in the test cook"):
        hou.qt.mainWindow()
    with pytest.raises(hou.OperationFailed, match="hou.hscriptExpression is not available"):
        hou.hscriptExpression("$F")
    with pytest.raises(hou.OperationFailed, match="hou.hipFile.merge is not available"):
        hou.hipFile.merge("/x.hip")


def test_an_exception_name_the_test_cook_never_raises_can_still_be_caught():
    try:
        raise ValueError("x")
    except hou.GeometryPermissionError:  # must be a class, or this line itself fails
        pytest.fail("caught the wrong exception")
    except ValueError:
        pass
    assert issubclass(hou.GeometryPermissionError, hou.Error)


def test_a_path_that_names_nothing_gives_none():
    assert hou.node("/obj/nowhere/at_all") is None


HOU_SCHEDULER = """
    @classmethod
    def templateBody(cls):
        return json.dumps({"name": "variant", "parameters": [
            {"name": "finish", "type": "String", "value": "inline"},
            {"name": "farm_queue", "type": "String", "value": "gpu"},
            {"name": "fail_index", "type": "Integer", "value": -1},
        ]})

    def onStartCook(self, static, cook_set):
        import hou
        me = self.topNode()
        self.seen = {
            "same": me == self.node() == hou.node(me.path()),
            "name": me.name(), "path": me.path(), "type": me.type().name(),
            "queue": me.parm("farm_queue").eval(),
            "queue_string": me.parm("farm_queue").evalAsString(),
            "network": [n.name() for n in hou.node("/obj/topnet1").children()],
            "hip": hou.hipFile.path(),
        }
        me.parm("farm_queue").set("cpu")
        self.seen["after_set"] = self["farm_queue"].evaluateString()
        return True

    def onSchedule(self, work_item):
        top = work_item.node.topNode()
        self.tops = getattr(self, "tops", [])
        self.tops.append((top.name(), top.path(), top.type().name(),
                          top.parm("roppath").eval(), top.parm("farm_queue").eval()))
        return pdg.scheduleResult.CookSucceeded
"""


def test_top_nodes_are_backed_by_the_scheduler_and_the_graph(tmp_path, hip):
    module = recorder_variant(tmp_path, HOU_SCHEDULER)
    graph = write_graph(tmp_path, [gen("render", 2, parms={"roppath": "/out/mantra1"}),
                                   proc("comp", "render", parms={"roppath": "/out/comp1"})])
    done = cook(module, graph, tmp_path)
    assert done.summary["status"] == "succeeded", done.summary
    seen = done.scheduler.seen
    assert seen["same"] is True
    assert (seen["name"], seen["path"], seen["type"]) == (
        "variant", "/obj/topnet1/variant", "variant")
    assert seen["queue"] == seen["queue_string"] == "gpu"
    assert seen["network"] == ["variant", "render", "comp"]
    assert seen["hip"] == str(hip / "testcook.hip")
    assert seen["after_set"] == "cpu"  # parm.set() is the scheduler's parameter
    assert done.scheduler.tops[0] == ("render", "/obj/topnet1/render", "genericgenerator",
                                      "/out/mantra1", "cpu")
    comp = [t for t in done.scheduler.tops if t[0] == "comp"][0]
    assert (comp[2], comp[3]) == ("pythonprocessor", "/out/comp1")


def test_a_top_node_parameter_nobody_defined_reads_empty_and_fails_the_cook(tmp_path, hip):
    module = recorder_variant(tmp_path, """
        def onStartCook(self, static, cook_set):
            parm = self.topNode().parm("rop_frames")
            self.seen = (bool(parm), parm.eval(), parm.evalAsInt())
            return True
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path, parameters={
        "finish": "inline"})
    assert done.scheduler.seen == (False, "", 0)
    assert done.summary["undefined_parameters"] == ["rop_frames"]
    assert done.summary["status"] == "failed"


def test_import_hou_at_module_level_cooks_through_the_cli(tmp_path, capsys):
    from scheduler_studio.engine.cli import main
    module = tmp_path / "houfarm.py"
    module.write_text(
        "import hou\nimport pdg\nfrom pdg.scheduler import PyScheduler\n"
        "SCENE = hou.hipFile.path()\n\n"
        "class HouFarm(PyScheduler):\n"
        "    def onSchedule(self, work_item):\n"
        "        assert hou.hipFile.path() == SCENE\n"
        "        return pdg.scheduleResult.CookSucceeded\n\n"
        "def registerTypes(type_registry):\n"
        "    type_registry.registerScheduler(HouFarm)\n", encoding="utf-8")
    code = main(["cook", str(module), "--graph", "frames", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["status"], summary["items"]["succeeded"]) == (0, "succeeded", 41)


def test_hou_pwd_is_the_scheduler_node_as_topnode_is(tmp_path, hip):
    # HDA-style modules read their node through hou.pwd() in a helper function
    module = recorder_variant(tmp_path, """
        def onStart(self):
            import hou
            me = hou.pwd()
            self.at_start = (me == self.topNode(), me.path())
            return True

        def onStartCook(self, static, cook_set):
            import hou
            self.at_cook = (hou.pwd().path(), hou.pwd().parm("farm_queue").eval())
            return True
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path,
                parameters={"finish": "inline", "farm_queue": "gpu"})
    assert done.scheduler.at_start == (True, "/obj/topnet1/variant")
    assert done.scheduler.at_cook == ("/obj/topnet1/variant", "gpu")
    assert done.summary["status"] == "succeeded", done.summary["errors"]


def test_hou_pwd_outside_a_cook_is_the_network():
    assert hou.pwd() is not None and hou.pwd().path().startswith("/")
