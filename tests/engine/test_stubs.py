"""``schedstudio stubs DIR``: .pyi stubs of the test cook's pdg and hou, checked with mypy
against the three templates the studio ships."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.package_files import resource_files

PROBE = '''\
import hou
import pdg
from pdg.scheduler import PyScheduler


class Probe(PyScheduler):
    def onTick(self):
        reveal_type(pdg.workItemState.CookedSuccess)
        reveal_type(self["max_jobs"].evaluateInt())
        reveal_type(hou.hipFile.path())
        self.noSuchMember()
        return pdg.tickResult.SchedulerReady
'''


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stubs")
    assert main(["stubs", str(folder)]) == 0
    return folder


def test_every_compat_module_gets_a_stub_that_parses(stubs):
    names = {str(p.relative_to(stubs)) for p in stubs.rglob("*.pyi")}
    for expected in ("pdg/__init__.pyi", "pdg/scheduler.pyi", "pdg/job/callbackserver.pyi",
                     "pdg/utils/__init__.pyi", "hou/__init__.pyi", "pdgjob/pdgcmd.pyi"):
        assert expected in names
    for path in stubs.rglob("*.pyi"):
        ast.parse(path.read_text(), filename=str(path))


def test_signatures_docstrings_and_enum_members(stubs):
    pdg = (stubs / "pdg" / "__init__.pyi").read_text()
    assert "class workItemState(enum.IntEnum):" in pdg
    assert "    CookedSuccess = 6" in pdg and "    CookedFail = 8" in pdg
    assert "from . import scheduler as scheduler" in pdg
    scheduler = (stubs / "pdg" / "scheduler.pyi").read_text()
    assert "class PyScheduler(" in scheduler
    assert "def __getitem__(self, name: str) -> pdg.Port:" in scheduler
    assert "def evaluateParamOr(scheduler, parm_name, default, work_item=...):" in scheduler
    assert '"""The value of a scheduler parameter, or `default` when it has none."""' in scheduler
    hou = (stubs / "hou" / "__init__.pyi").read_text()
    assert "hipFile: _HipFile" in hou and "class _HipFile:" in hou
    assert "def pwd(" in hou  # HDA-style modules read their node through it


def _mypy(stubs: Path, tmp_path: Path, files: list[Path]) -> str:
    config = tmp_path / "mypy.ini"
    config.write_text(f"[mypy]\nmypy_path = {stubs}\ncheck_untyped_defs = True\n"
                      "[mypy-dask.*,distributed.*]\nignore_missing_imports = True\n")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir",
         str(tmp_path / "cache"), "--no-error-summary", "--show-error-codes",
         *map(str, files)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert "error: Cannot find implementation or library stub" not in result.stdout
    return result.stdout


def test_mypy_accepts_the_templates_use_of_pdg(stubs, tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    templates = resource_files("templates", "*.py")
    assert len(templates) == 3
    out = _mypy(stubs, tmp_path, [probe, *templates])
    # the checks are real: the stubs are read, and an unknown member is an error
    assert 'Revealed type is "Literal[pdg.workItemState.CookedSuccess]?"' in out
    assert 'Revealed type is "builtins.int"' in out or 'Revealed type is "int"' in out
    assert 'Revealed type is "builtins.str"' in out or 'Revealed type is "str"' in out
    assert '"Probe" has no attribute "noSuchMember"' in out
    in_templates = [line for line in out.splitlines() if "templates" in line and "error:" in line]
    unknown = [line for line in in_templates
               if "[attr-defined]" in line or "has no attribute" in line and "Item \"None\"" not in line]
    assert unknown == [], "\n".join(unknown)
    assert not any("pdg" in line or "hou" in line for line in in_templates), in_templates


def test_the_stubs_hold_pdgs_api_not_the_emulations_own_helpers(stubs):
    """What the user's IDE offers is what Houdini has: the emulation's snake_case helpers
    (``attributes_json``, ``is_ready``) and "_" names stay out, as in the editor's
    completion; PDG's camelCase API and the "_" names Houdini documents stay in."""
    text = "\n".join(p.read_text() for p in stubs.rglob("*.pyi"))
    for ours in ("def attributes_json", "def attributes_plain", "def is_ready(",
                 "def _pdg_state"):
        assert ours not in text, ours
    for pdgs in ("def setIntAttrib", "def intAttribValue", "def onWorkItemSucceeded",
                 "def _verboseLog"):
        assert pdgs in text, pdgs
