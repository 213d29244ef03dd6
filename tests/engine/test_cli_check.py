"""``schedstudio check``: it knows the stand-ins a cook would use (``NAME.standins/``
beside the module, ``--standins DIR``, ``--stub MODULE``), counts columns from 1 as the
window's status bar and every editor do, and says so when it found nothing."""
from __future__ import annotations

import json

from scheduler_studio.engine.cli import main

FARM = '''\
import pdg
from pdg.scheduler import PyScheduler

import tractor_client  # FARM-IMPORT


class Farm(PyScheduler):
    def onSchedule(self, work_item):
        tractor_client.submit(work_item.command)
        return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Farm, name="farm")
'''


def _farm(tmp_path):
    module = tmp_path / "farm.py"
    module.write_text(FARM, encoding="utf-8")
    return module


def test_a_missing_farm_library_is_still_named(tmp_path, capsys):
    module = _farm(tmp_path)
    assert main(["check", str(module)]) == 0
    out = capsys.readouterr().out
    assert f"{module}:4:1: warning: 'tractor_client' is not on this machine" in out
    assert "farm.standins/" in out


def test_a_stand_in_beside_the_module_is_honoured(tmp_path, capsys):
    module = _farm(tmp_path)
    (tmp_path / "farm.standins").mkdir()
    (tmp_path / "farm.standins" / "tractor_client.py").write_text("def submit(c): pass\n")
    assert main(["check", str(module)]) == 0
    out = capsys.readouterr().out
    assert "tractor_client" not in out
    assert out == f"{module}: no problems\n"


def test_a_stand_in_package_or_standins_folder_or_stub_is_honoured(tmp_path, capsys):
    module = _farm(tmp_path)
    elsewhere = tmp_path / "site_standins" / "tractor_client"
    elsewhere.mkdir(parents=True)
    (elsewhere / "__init__.py").write_text("")
    assert main(["check", str(module), "--standins", str(elsewhere.parent)]) == 0
    assert "tractor_client" not in capsys.readouterr().out
    assert main(["check", str(module), "--stub", "tractor_client"]) == 0
    assert "tractor_client" not in capsys.readouterr().out
    assert main(["check", str(module), "--stub", "*"]) == 0
    assert "tractor_client" not in capsys.readouterr().out


def test_columns_count_from_one(tmp_path, capsys):
    module = tmp_path / "cols.py"
    module.write_text("import pdg\nimport os\n\nx = 1\n", encoding="utf-8")
    main(["check", str(module)])
    out = capsys.readouterr().out
    assert f"{module}:2:1: warning: 'os' imported but unused" in out


def test_hou_names_the_test_cook_lacks_are_named(tmp_path, capsys):
    module = tmp_path / "hda.py"
    module.write_text("import hou\n\n\ndef queue():\n    hou.pwd().parm('q').eval()\n"
                      "    hou.hipFile.path()\n    raise hou.OperationFailed('x')\n\n\n"
                      "def frame():\n    return hou.frame()\n", encoding="utf-8")
    assert main(["check", str(module)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"{module}:11:12: warning: hou.frame is not emulated in "
                                "the test cook: the cook stops with \"not available\" when "
                                "this line runs (Houdini has it)"]


def test_columns_count_characters_as_editors_do(tmp_path, capsys):
    """The AST counts a line's UTF-8 bytes: "é" before the name would put the column one
    past it in an editor reading file:line:col."""
    module = tmp_path / "utf.py"
    module.write_text("import pdg\nfrom pdg.scheduler import PyScheduler\n\n\n"
                      "class S(PyScheduler):\n    def onSchedule(self, work_item):\n"
                      "        label = 'café'; x = undefined_thing\n"
                      "        return pdg.scheduleResult.Succeeded\n\n\n"
                      "def registerTypes(type_registry):\n"
                      "    type_registry.registerScheduler(S)\n", encoding="utf-8")
    column = "        label = 'café'; x = undefined_thing".index("undefined_thing") + 1
    main(["check", str(module)])
    assert f"utf.py:7:{column}: warning: undefined name 'undefined_thing'" in \
        capsys.readouterr().out
    main(["check", str(module), "--json"])
    [entry] = [e for e in json.loads(capsys.readouterr().out)
               if "undefined_thing" in e["message"]]
    assert (entry["line"], entry["col"]) == (7, column)
