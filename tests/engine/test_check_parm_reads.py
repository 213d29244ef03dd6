"""``check`` names every parameter read the cook would refuse (``undefined
parameters``), in the shapes real schedulers read them: ``self["p"]``, the scheduler's
TOP node's ``parm("p")`` / ``evalParm("p")`` through ``self.topNode()``, ``self.node()``,
``hou.pwd()`` or ``hou.node(self.topNode().path())``, directly or through a local
variable or an attribute of ``self``. Each shape is cooked too: check and cook agree.
It reads the class a cook would cook, with what it inherits from the module's classes."""
from __future__ import annotations

import textwrap

import pytest

from scheduler_studio.engine.check import check_source
from scheduler_studio.engine.cli import main

from .cookkit import cook, gen, write_graph

HEAD = '''import hou
import pdg
from pdg.scheduler import PyScheduler


class Reader(PyScheduler):
    @classmethod
    def templateBody(cls):
        return {"name": "reader", "parameters": [{"name": "declared", "type": "String"}]}

    def onStart(self):
        self._node = self.topNode()
        self._hou_node = hou.node(self.topNode().path())
        return True

    def onStartCook(self, static, cook_set):
{body}
        return True

    def onSchedule(self, work_item):
        self.onWorkItemSucceeded(work_item.id, -1, 0.0)
        return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Reader)
'''

# each onStartCook body reads parameter "p" once, as some scheduler does
READS = {
    "subscript": 'self["p"].evaluateString()',
    "hou.node(topNode path).parm.eval": 'hou.node(self.topNode().path()).parm("p").eval()',
    "hou.node(...).parm.evalAsString": 'hou.node(self.topNode().path()).parm("p").evalAsString()',
    "hou.node(...).evalParm": 'hou.node(self.topNode().path()).evalParm("p")',
    "local hou node": 'node = hou.node(self.topNode().path())\nnode.parm("p").evalAsInt()',
    "topNode().parm": 'self.topNode().parm("p").eval()',
    "topNode().evalParm": 'self.topNode().evalParm("p")',
    "local topNode": 'top = self.topNode()\nvalue = top.parm("p")\nvalue.eval()',
    "self.node()": 'self.node().parm("p").eval()',
    "hou.pwd()": 'hou.pwd().parm("p").evalAsString()',
    "attribute of self": 'self._node.parm("p").eval()',
    "attribute holding hou.node": 'self._hou_node.evalParm("p")',
}

# reads the cook does not refuse: a declared one, one set first, an override with a default
NOT_REFUSED = {
    "declared": 'self["declared"].evaluateString()\nself.topNode().parm("declared").eval()',
    "set first": 'self["q"] = 1\nself["q"].evaluateInt()',
    "override": 'self.evaluateStringOverride(None, "", "p", None, "x")',
}


def _module(tmp_path, body: str):
    path = tmp_path / "reader.py"
    path.write_text(HEAD.replace("{body}", textwrap.indent(body, " " * 8)), encoding="utf-8")
    return path


def _checked(path) -> list[str]:
    return [p.message.split("'")[1] for p in check_source(path.read_bytes(), str(path))
            if p.code == "undeclared-parameter"]


def _cooked(path, tmp_path) -> list[str]:
    graph = write_graph(tmp_path, [gen(count=1)])
    return list(cook(path, graph, tmp_path).summary["undefined_parameters"])


@pytest.mark.parametrize("shape", sorted(READS))
def test_check_and_cook_both_name_a_read(tmp_path, shape):
    path = _module(tmp_path, READS[shape])
    assert _cooked(path, tmp_path) == ["p"]
    assert _checked(path) == ["p"]


@pytest.mark.parametrize("shape", sorted(NOT_REFUSED))
def test_check_and_cook_both_accept_a_read(tmp_path, shape):
    path = _module(tmp_path, NOT_REFUSED[shape])
    assert _cooked(path, tmp_path) == []
    assert _checked(path) == []


def test_a_read_is_reported_where_it_is(tmp_path):
    path = _module(tmp_path, 'x = 1\nnode = hou.node(self.topNode().path())\n'
                             'node.parm("hda_retries").eval()')
    [problem] = [p for p in check_source(path.read_bytes(), str(path))
                 if p.code == "undeclared-parameter"]
    line = path.read_text().splitlines().index('        node.parm("hda_retries").eval()') + 1
    assert (problem.line, problem.column) == (line, 18)  # at the name
    assert "hda_retries" in problem.message and "--parm hda_retries=VALUE" in problem.message


def test_a_graph_node_parameter_is_left_to_the_graph(tmp_path):
    # work_item.node.topNode() is the graph's node: its parms come from the graph file
    path = _module(tmp_path, "pass")
    text = path.read_text().replace(
        "        self.onWorkItemSucceeded(",
        '        work_item.node.topNode().parm("frames").eval()\n'
        "        self.onWorkItemSucceeded(")
    assert _checked_text(text) == []


def _checked_text(text: str) -> list[str]:
    return [p.message.split("'")[1] for p in check_source(text, "<m>")
            if p.code == "undeclared-parameter"]


def test_the_trials_hda_module_is_read_whole(tmp_path, capsys):
    # tabs, a mixin, no registerTypes, parameters read two ways
    text = ('import hou\nimport pdg\nfrom pdg.scheduler import PyScheduler\n'
            'from pdg.job.callbackserver import CallbackServerMixin\n\n\n'
            'class Hda(CallbackServerMixin, PyScheduler):\n'
            '\tdef onStartCook(self, static, cook_set):\n'
            '\t\tself.queue = self["hda_queue"].evaluateString()\n'
            '\t\tnode = hou.node(self.topNode().path())\n'
            '\t\tself.retries = node.parm("hda_retries").eval()\n'
            '\t\treturn True\n')
    path = tmp_path / "hda.py"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:9:16: warning: self['hda_queue']" in out, out
    assert f"{path}:11:28: warning: parm('hda_retries')" in out, out
    assert main(["check", str(path), "--parm", "hda_queue=q", "--parm", "hda_retries=2"]) == 0
    assert "undeclared" not in capsys.readouterr().out


# -- 6. the class a cook cooks, with what it inherits -----------------------------------------
FARM = '''import pdg
from pdg.scheduler import PyScheduler


class FarmScheduler(PyScheduler):
    def onTick(self):
        self["farm_queue"]
        return pdg.tickResult.SchedulerReady


class FarmGPUScheduler(FarmScheduler):
    def onStartCook(self, static, cook_set):
        self.topNode().parm("gpu_count").eval()
        return True
{register}'''

REGISTER = '''

def registerTypes(type_registry):
    type_registry.registerScheduler(FarmGPUScheduler, name="farmgpu")
'''


@pytest.mark.parametrize("register", [REGISTER, ""], ids=["registered", "hda"])
def test_without_class_check_reads_the_cooked_class_and_its_bases(register):
    assert _checked_text(FARM.format(register=register)) == ["farm_queue", "gpu_count"]


def test_without_class_check_reads_the_first_registered_class_only():
    text = FARM.format(register=REGISTER.replace("FarmGPUScheduler", "FarmScheduler"))
    assert _checked_text(text) == ["farm_queue"]   # a note names the other (test_cli_trial)


HELPERS = '''
def _queue_of(sched):
    # a helper between the callbacks, handed the scheduler
    return sched["h_queue"].evaluateString()


def _retries(owner, default=3):
    node = hou.node(owner.topNode().path())
    return node.parm("h_retries").eval() or _pool(owner)


def _pool(s):
    return s.topNode().evalParm("h_pool")


def _unrelated(value):
    return value["not_a_parameter"]
'''


def test_a_helper_handed_the_scheduler_reads_parameters_as_its_methods_do(tmp_path):
    """Farm schedulers read parameters in helpers between the callbacks; the cook refuses
    those reads like any other, so check names them (through helpers calling helpers),
    and not a helper's subscript of something else."""
    body = 'self.q = _queue_of(self)\nself.r = _retries(owner=self)\n_unrelated({"not_a_parameter": 1})'
    path = _module(tmp_path, body)
    text = path.read_text(encoding="utf-8").replace("\n\nclass Reader", HELPERS + "\n\nclass Reader")
    path.write_text(text, encoding="utf-8")
    assert sorted(_cooked(path, tmp_path)) == ["h_pool", "h_queue", "h_retries"]
    assert sorted(_checked(path)) == ["h_pool", "h_queue", "h_retries"]
    [queue] = [p for p in check_source(path.read_bytes(), str(path)) if "h_queue" in p.message]
    assert queue.message.startswith("sched['h_queue'] reads a parameter")
