"""``--class NAME`` on cook, check and export: a module holding several scheduler
classes is cooked, checked and exported as the class named; a class that is none
of them exits 2 naming those there are."""
from __future__ import annotations

import json

import pytest

from scheduler_studio.engine.cli import main

FARM = '''import pdg
from pdg.scheduler import PyScheduler


class FarmScheduler(PyScheduler):
    """Cooks every item at once."""
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded

    def onTick(self):
        self["farm_queue"]
        return pdg.tickResult.SchedulerReady


class FarmGPUScheduler(FarmScheduler):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookFailed

    def onStartCook(self, static, cook_set):
        self["gpu_count"]
        return True


def registerTypes(type_registry):
    type_registry.registerScheduler(FarmGPUScheduler, name="farmgpu")
'''

HDA = '''import pdg
from pdg.scheduler import PyScheduler


class Base(PyScheduler):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookFailed


class Leaf(Base):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded
'''


@pytest.fixture
def farm(tmp_path):
    path = tmp_path / "farm.py"
    path.write_text(FARM, encoding="utf-8")
    return path


def _cook(capsys, tmp_path, module, *extra):
    code = main(["cook", str(module), "--graph", "static", "--json", "--parm", "farm_queue=q",
                 "--parm", "gpu_count=1", "--workdir", str(tmp_path / "work"), *extra])
    return code, json.loads(capsys.readouterr().out)


def test_cook_uses_the_class_named(capsys, tmp_path, farm):
    code, summary = _cook(capsys, tmp_path, farm)            # registerTypes' first: fails
    assert (code, summary["scheduler"]) == (1, "farmgpu"), summary
    code, summary = _cook(capsys, tmp_path, farm, "--class", "FarmScheduler")
    assert (code, summary["status"]) == (0, "succeeded"), summary
    assert summary["scheduler"] == "farmscheduler"
    assert any("registerTypes does not register FarmScheduler" in n for n in summary["notes"])
    code, summary = _cook(capsys, tmp_path, farm, "--class", "FarmGPUScheduler")
    assert (code, summary["scheduler"]) == (1, "farmgpu"), summary


def test_cook_of_a_module_without_register_types_takes_the_class_named(capsys, tmp_path):
    module = tmp_path / "hda.py"
    module.write_text(HDA, encoding="utf-8")
    code, summary = _cook(capsys, tmp_path, module, "--class", "Leaf")
    assert (code, summary["status"]) == (0, "succeeded"), summary
    code, summary = _cook(capsys, tmp_path, module, "--class", "Base")
    assert code == 1, summary


@pytest.mark.parametrize("command", [["cook", "--graph", "frames"], ["check"],
                                     ["export", "-o", "out.py"]])
def test_an_unknown_class_exits_2_naming_the_classes(capsys, tmp_path, farm, command):
    argv = [command[0], str(farm), *command[1:], "--class", "Nope"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "'Nope'" in text and "FarmGPUScheduler, FarmScheduler" in text, text
    assert not (tmp_path / "out.py").exists()


def test_class_and_type_together_are_refused(capsys, farm):
    assert main(["cook", str(farm), "--graph", "frames", "--class", "FarmScheduler",
                 "--type", "farmgpu"]) == 2
    assert "--class or --type" in capsys.readouterr().err


def test_check_reads_the_parameters_of_the_class_named(capsys, farm):
    assert main(["check", str(farm), "--class", "FarmScheduler"]) == 0
    out = capsys.readouterr().out
    assert "farm_queue" in out and "gpu_count" not in out
    assert main(["check", str(farm), "--class", "FarmGPUScheduler"]) == 0
    out = capsys.readouterr().out   # its base's reads are its own
    assert "farm_queue" in out and "gpu_count" in out


def test_export_copies_byte_for_byte_and_normalises_the_class_named(capsys, tmp_path, farm):
    out = tmp_path / "copy.py"
    assert main(["export", str(farm), "-o", str(out), "--class", "FarmScheduler"]) == 0
    assert out.read_bytes() == farm.read_bytes()
    tidy = tmp_path / "tidy.py"
    assert main(["export", str(farm), "-o", str(tidy), "--class", "FarmScheduler",
                 "--normalise"]) == 0
    text = tidy.read_text(encoding="utf-8")
    assert "class FarmGPUScheduler(FarmScheduler):" in text   # kept as written
    assert text.index("class FarmScheduler(") < text.index("class FarmGPUScheduler")


def test_break_names_a_callback_of_the_class_named(capsys, tmp_path, farm):
    from scheduler_studio.engine.debug.breakpoints import resolve_spec
    lines = farm.read_text(encoding="utf-8").splitlines()
    base = resolve_spec("onSchedule", str(farm), "FarmScheduler")
    gpu = resolve_spec("onSchedule", str(farm))
    assert lines[base.line - 1].strip() == "return pdg.scheduleResult.CookSucceeded"
    assert lines[gpu.line - 1].strip() == "return pdg.scheduleResult.CookFailed"


def test_an_unknown_type_cooks_nothing_and_no_note_claims_a_class_cooked(capsys, farm, tmp_path):
    code = main(["cook", str(farm), "--graph", "frames", "--type", "nope", "--json",
                 "--workdir", str(tmp_path / "work")])
    summary = json.loads(capsys.readouterr().out)
    assert code == 2 and summary["status"] == "error"
    assert "no scheduler type 'nope' registered" in summary["errors"][0]["message"]
    assert not any("cooked" in note for note in summary.get("notes", [])), summary["notes"]
