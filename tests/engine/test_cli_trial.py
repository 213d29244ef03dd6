"""What a new user's trial found: a module holding two scheduler classes is cooked,
checked and exported as one of them without a word (now a note names the one used and
how to pick the others); an exception in onStartCook was two errors; check and export
had no --json and a subcommand's mistake printed the top-level usage; a callback's
os._exit was "module could not be used"."""
from __future__ import annotations

import json

import pytest

from scheduler_studio.engine.cli import main

from .cookkit import line_of

# latin-1 with its cookie: the note reads the module as Python would
TWO = '''# -*- coding: latin-1 -*-
# Ordonnanceur \xe9crit \xe0 la main
import pdg
from pdg.scheduler import PyScheduler


class QuickOne(PyScheduler):
    @classmethod
    def templateName(cls):
        return "quick"

    def onSchedule(self, work_item):
        self.onWorkItemSucceeded(work_item.id, -1, 0.0)
        return pdg.scheduleResult.Succeeded


class SlowOne(PyScheduler):
    """Deuxi\xe8me classe."""
    @classmethod
    def templateName(cls):
        return "slow"

    def onSchedule(self, work_item):
        self.onWorkItemSucceeded(work_item.id, -1, 0.0)
        return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
    type_registry.registerScheduler(SlowOne, label="Lent \xe9")
    type_registry.registerScheduler(QuickOne)
'''

ONE = '''import pdg
from pdg.scheduler import PyScheduler


class Only(PyScheduler):
    def onSchedule(self, work_item):
        self.onWorkItemSucceeded(work_item.id, -1, 0.0)
        return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Only)
'''


@pytest.fixture
def two(tmp_path):
    path = tmp_path / "two.py"
    path.write_bytes(TWO.encode("latin-1"))
    return path


def _cook(capsys, tmp_path, module, *extra):
    code = main(["cook", str(module), "--graph", "static", "--workdir", str(tmp_path / "w"),
                 *extra])
    return code, capsys.readouterr().out


SLOW_USED = "two.py holds 2 scheduler classes: {verb} SlowOne (slow); " \
            "also QuickOne (--class QuickOne)"


# -- 1. which class of several -----------------------------------------------------------
def test_cook_names_the_class_it_cooked_and_the_other(capsys, tmp_path, two):
    code, out = _cook(capsys, tmp_path, two)
    assert code == 0, out
    assert f"  note: {SLOW_USED.format(verb='cooked')}" in out.splitlines(), out
    code, out = _cook(capsys, tmp_path, two, "--json")
    assert SLOW_USED.format(verb="cooked") in json.loads(out)["notes"]


@pytest.mark.parametrize("how", [["--class", "QuickOne"], ["--type", "quick"]])
def test_cook_of_the_other_class_names_the_first(capsys, tmp_path, two, how):
    code, out = _cook(capsys, tmp_path, two, "--json", *how)
    summary = json.loads(out)
    assert (code, summary["scheduler"]) == (0, "quick"), summary
    assert ("two.py holds 2 scheduler classes: cooked QuickOne (quick); also SlowOne "
            "(--class SlowOne)") in summary["notes"], summary["notes"]


def test_one_class_gets_no_note(capsys, tmp_path):
    module = tmp_path / "one.py"
    module.write_text(ONE, encoding="utf-8")
    code, out = _cook(capsys, tmp_path, module, "--json")
    assert code == 0 and not any("scheduler classes" in n for n in json.loads(out)["notes"])
    assert main(["check", str(module)]) == 0
    assert capsys.readouterr().out == f"{module}: no problems\n"


def test_check_names_the_class_it_checked(capsys, two):
    assert main(["check", str(two)]) == 0
    out = capsys.readouterr().out.splitlines()
    line = next(n for n, text in enumerate(TWO.splitlines(), 1) if text.startswith("class SlowOne"))
    assert f"{two}:{line}:1: note: {SLOW_USED.format(verb='checked')}" in out, out
    assert f"{two}: no problems" in out   # a note is no problem
    assert main(["check", str(two), "--json"]) == 0
    notes = [p for p in json.loads(capsys.readouterr().out) if p["severity"] == "note"]
    assert notes == [{"file": str(two), "line": line, "col": 1, "severity": "note",
                      "message": SLOW_USED.format(verb="checked"), "code": "scheduler-classes"}]


def test_export_names_the_class_it_read(capsys, tmp_path, two):
    out = tmp_path / "copy.py"
    assert main(["export", str(two), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"note: {SLOW_USED.format(verb='exported')}" in printed, printed
    assert out.read_bytes() == two.read_bytes()


# -- 3. one exception, one error -----------------------------------------------------------
RAISES = '''import pdg
from pdg.scheduler import PyScheduler


class Raiser(PyScheduler):
    def onStartCook(self, static, cook_set):
        return 1 / 0  # RAISES

    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Raiser)
'''


def test_an_exception_in_on_start_cook_is_one_error_with_its_line(capsys, tmp_path):
    module = tmp_path / "raises.py"
    module.write_text(RAISES, encoding="utf-8")
    code, out = _cook(capsys, tmp_path, module, "--json")
    summary = json.loads(out)
    assert (code, summary["status"]) == (1, "failed")
    [error] = summary["errors"]
    assert (error["callback"], error["type"]) == ("onStartCook", "ZeroDivisionError")
    assert (error["file"], error["line"]) == (str(module), line_of(module, "RAISES"))
    code, out = _cook(capsys, tmp_path, module)
    assert [line for line in out.splitlines() if line.startswith("  error:")] == [
        f"  error: onStartCook: ZeroDivisionError: division by zero "
        f"({module}:{line_of(module, 'RAISES')})"], out


# -- 4. --json on check and export; a subcommand's own usage --------------------------------
PROBLEMS = '''import pdg
from pdg.scheduler import PyScheduler
import os


class Farm(PyScheduler):
    def onSchedule(self, work_item):
        self["farm_queue"]  # READ
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Farm)
'''


def test_check_json_lists_the_problems(capsys, tmp_path):
    module = tmp_path / "farm.py"
    module.write_text(PROBLEMS, encoding="utf-8")
    assert main(["check", str(module), "--json"]) == 0
    problems = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["col"], p["severity"], p["code"]) for p in problems] == [
        (3, 1, "warning", "UnusedImport"),
        (line_of(module, "READ"), 9, "warning", "undeclared-parameter")]
    assert all(p["file"] == str(module) and p["message"] for p in problems)
    assert set(problems[0]) == {"file", "line", "col", "severity", "message", "code"}
    module.write_text(PROBLEMS.replace("import os\n", "import os\nfoo(\n"), encoding="utf-8")
    assert main(["check", str(module), "--json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)
    assert problem["severity"] == "error"


def test_check_json_of_a_clean_module_is_an_empty_list(capsys, tmp_path):
    module = tmp_path / "one.py"
    module.write_text(ONE, encoding="utf-8")
    assert main(["check", "--json", str(module)]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_export_json_says_what_it_wrote(capsys, tmp_path, two):
    out = tmp_path / "copy.py"
    assert main(["export", str(two), "-o", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["written"] == str(out) and report["class"] == "SlowOne"
    assert report["normalised"] is False and report["backup"] is None
    assert report["notes"] == [SLOW_USED.format(verb="exported")]
    assert main(["export", str(two), "-o", str(out), "--json", "--normalise"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["normalised"] is True and report["backup"]   # the copy replaced


def test_export_json_of_a_module_it_cannot_read(capsys, tmp_path):
    assert main(["export", str(tmp_path / "nosuch.py"), "-o", str(tmp_path / "o.py"),
                 "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["written"] is None and "cannot read" in report["error"]


@pytest.mark.parametrize("command", [["check"], ["export", "-o", "x.py"],
                                     ["cook", "--graph", "frames"]])
def test_a_subcommand_mistake_prints_that_subcommand_usage(capsys, tmp_path, command):
    argv = [command[0], str(tmp_path / "m.py"), *command[1:], "--no-such-option"]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: schedstudio {command[0]} "), err
    assert "[window options]" not in err
    assert "unrecognized arguments: --no-such-option" in err


# -- 5. os._exit in a callback is a cook failure ------------------------------------------------
EXITS = '''import os
import pdg
from pdg.scheduler import PyScheduler


class Exiter(PyScheduler):
    def onSchedule(self, work_item):
        if work_item.index == 2:
            os._exit(3)  # EXITS
        self.onWorkItemSucceeded(work_item.id, -1, 0.0)
        return pdg.scheduleResult.Succeeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Exiter)
'''


def test_os_exit_in_a_callback_is_a_failed_cook(capsys, tmp_path):
    module = tmp_path / "exits.py"
    module.write_text(EXITS, encoding="utf-8")
    code, out = _cook(capsys, tmp_path, module, "--json")
    summary = json.loads(out)
    assert (code, summary["status"]) == (1, "failed"), summary
    [error] = summary["errors"]
    assert f"os._exit(3) called at {module}:{line_of(module, 'EXITS')}" in error["message"]
    code, out = _cook(capsys, tmp_path, module)
    assert code == 1 and out.startswith("exiter on graph static: FAILED"), out


def test_os_exit_while_importing_is_still_a_module_that_could_not_be_used(capsys, tmp_path):
    module = tmp_path / "atimport.py"
    module.write_text("import os\nos._exit(4)\n" + ONE, encoding="utf-8")
    code, out = _cook(capsys, tmp_path, module, "--json")
    assert (code, json.loads(out)["status"]) == (2, "error")
