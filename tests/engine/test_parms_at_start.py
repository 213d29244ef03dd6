"""Values given for the test cook (``--parm``, ``--parms-file``, the cook options) are
on the scheduler's node before ``onStart``: in Houdini the node's parameters exist when
the scheduler is created. Declared and undeclared ones, read every way farm schedulers
read them."""
from __future__ import annotations

import json

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.cook.options import CookOptions
from scheduler_studio.engine.session import CookSession

PROBE = '''\
import json
import os

import hou
import pdg
from pdg.scheduler import PyScheduler

SEEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seen.json")


class Probe(PyScheduler):
    @classmethod
    def templateBody(cls):
        return json.dumps({"name": "probe", "parameters": [
            {"name": "max_jobs", "label": "Max Jobs", "type": "Integer", "value": 0}]})

    def _look(self):
        me = self.topNode()
        return {
            "max_jobs": self["max_jobs"].evaluateInt(),
            "queue": self["farm_queue"].evaluateString(),
            "queue_top": me.parm("farm_queue").eval(),
            "queue_node": hou.node(me.path()).parm("farm_queue").eval(),
        }

    def onStart(self):
        with open(SEEN, "w") as out:
            json.dump(self._look(), out)
        return True

    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Probe, name="probe")
'''

EXPECTED = {"max_jobs": 1, "queue": "blades", "queue_top": "blades", "queue_node": "blades"}


def _probe(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text(PROBE, encoding="utf-8")
    return module


def _seen(tmp_path):
    return json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))


def test_parm_values_are_there_in_onstart_through_the_cli(tmp_path, capsys):
    module = _probe(tmp_path)
    code = main(["cook", str(module), "--graph", "frames", "--json",
                 "--parm", "farm_queue=blades", "--parm", "max_jobs=1"])
    summary = json.loads(capsys.readouterr().out)
    assert _seen(tmp_path) == EXPECTED
    assert summary.get("undefined_parameters", []) == []
    assert (code, summary["status"]) == (0, "succeeded"), summary["errors"]


def test_a_parms_file_is_there_in_onstart_too(tmp_path, capsys):
    module = _probe(tmp_path)
    parms = tmp_path / "parms.json"
    parms.write_text(json.dumps({"farm_queue": "blades", "max_jobs": 1}), encoding="utf-8")
    code = main(["cook", str(module), "--graph", "frames", "--json",
                 "--parms-file", str(parms)])
    summary = json.loads(capsys.readouterr().out)
    assert _seen(tmp_path) == EXPECTED
    assert (code, summary["status"]) == (0, "succeeded"), summary["errors"]


def test_a_session_given_parameters_sets_them_before_onstart(tmp_path):
    module = _probe(tmp_path)
    values = {"farm_queue": "blades", "max_jobs": "1"}
    with CookSession(str(module), parameters=values) as session:
        assert _seen(tmp_path) == EXPECTED
        summary = session.cook("frames", CookOptions(workdir=str(tmp_path / "w"),
                                                     parameters=values))
    assert summary["status"] == "succeeded", summary["errors"]
    assert summary.get("undefined_parameters", []) == []


def test_a_value_of_the_wrong_type_is_refused_before_any_callback(tmp_path, capsys):
    module = _probe(tmp_path)
    code = main(["cook", str(module), "--graph", "frames", "--json",
                 "--parm", "max_jobs=many"])
    summary = json.loads(capsys.readouterr().out)
    assert code != 0 and summary["status"] != "succeeded"
    assert "max_jobs" in summary["errors"][0]["message"]
    assert not (tmp_path / "seen.json").exists()  # onStart never ran
