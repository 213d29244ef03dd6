"""`schedstudio check` says what the test cook will need: stand-ins for imports this
machine lacks, that a module without registerTypes is registered as an HDA would, and
values for parameters read that no templateBody declares."""
from __future__ import annotations

import textwrap

from scheduler_studio.engine.check import check_source


def _codes(text: str, filename: str = "/studio/pdg/types/farm.py"):
    problems = check_source(textwrap.dedent(text), filename)
    return [(p.line, p.code, p.message) for p in problems if p.severity == "warning"]


MODULE = '''
    import json
    import os
    import hou
    import six
    import afclient
    from royal.commands import submit
    try:
        import simplejson
    except ImportError:
        simplejson = None

    import pdg
    from pdg.scheduler import PyScheduler


    class Farm(PyScheduler):
        @classmethod
        def templateBody(cls):
            return json.dumps({"name": "farm", "parameters": [
                {"name": "farm_pool", "type": "String", "value": "cpu"}]})

        def onStartCook(self, static, cook_set):
            self["farm_cached"] = 1
            pool = self["farm_pool"].evaluateString()
            cached = self["farm_cached"].evaluateInt()
            verbose = self["farm_verbose"].evaluateBool()
            again = self["farm_verbose"].evaluateBool()
            workdir = self["pdg_workingdir"].evaluateString()
            afclient.connect(pool, cached, verbose, again, workdir, submit, os, hou, six)
            return True


    def registerTypes(type_registry):
        type_registry.registerScheduler(Farm)
'''


def test_imports_the_test_cook_cannot_satisfy_name_both_stand_ins():
    found = [p for p in _codes(MODULE) if p[1] == "test-cook-import"]
    assert [(line, message.split(":")[0]) for line, _, message in found] == [
        (6, "'afclient' is not on this machine, so the test cook cannot import it"),
        (7, "'royal' is not on this machine, so the test cook cannot import it"),
    ]
    assert "afclient.py in farm.standins/" in found[0][2]
    assert "--standins DIR" in found[0][2] and "--stub afclient" in found[0][2]


def test_sidefx_schedulers_are_named():
    found = _codes("from tbdeadline import DeadlineScheduler\n"
                   "class D(DeadlineScheduler):\n    pass\n")
    messages = [m for _, code, m in found if code == "test-cook-import"]
    assert messages[0].startswith("SideFX's Deadline scheduler (tbdeadline) is not part of "
                                  "the test cook")


def test_undeclared_parameter_reads_are_warned_once_each():
    found = [p for p in _codes(MODULE) if p[1] == "undeclared-parameter"]
    assert [(line, message.split(" reads")[0]) for line, _, message in found] == [
        (27, "self['farm_verbose']")]
    assert "--parm farm_verbose=VALUE" in found[0][2]


def test_a_parameter_the_cook_is_given_is_not_warned_about(tmp_path, capsys):
    from scheduler_studio.engine.cli import main

    problems = check_source(textwrap.dedent(MODULE), "/studio/farm.py", parms=["farm_verbose"])
    assert "undeclared-parameter" not in {p.code for p in problems}
    module = tmp_path / "farm.py"
    module.write_text(textwrap.dedent(MODULE), encoding="utf-8")
    main(["check", str(module), "--parm", "farm_verbose=1"])  # as cook --parm takes it
    assert "farm_verbose" not in capsys.readouterr().out


def test_a_template_body_given_as_a_json_string_declares_its_parameters():
    text = '''
        from pdg.scheduler import PyScheduler
        class Farm(PyScheduler):
            @classmethod
            def templateBody(cls):
                return '{"name": "farm", "parameters": [{"name": "farm_pool", "type": "String"}]}'
            def onStart(self):
                return self["farm_pool"].evaluateString()
        def registerTypes(type_registry):
            type_registry.registerScheduler(Farm)
    '''
    assert _codes(text) == []


def test_a_module_without_register_types_is_told_how_it_is_registered():
    found = _codes('''
        from pdg.scheduler import PyScheduler
        class HdaFarm(PyScheduler):
            pass
    ''')
    assert [(line, code) for line, code, _ in found] == [(3, "no-register-types")]
    assert "HdaFarm" in found[0][2] and "as the HDA would" in found[0][2]
