"""Small things ``schedstudio`` printed badly: no scheduler loaded, a missing import
named twice, and usage text argparse mangled."""
from __future__ import annotations

import pytest

from scheduler_studio.engine.cli import main

MISSING = '''\
import pdg
from pdg.scheduler import PyScheduler
import tractor_client  # the farm's client


class Farm(PyScheduler):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded
'''


def test_a_module_that_does_not_load_has_no_question_mark_for_a_name(tmp_path, capsys):
    module = tmp_path / "farm.py"
    module.write_text(MISSING, encoding="utf-8")
    assert main(["cook", str(module), "--graph", "frames"]) == 2
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("(no scheduler) on graph frames: ERROR"), first
    error, = [line for line in out.splitlines() if line.startswith("  error:")]
    # the file and line once (the message quotes the import's line)
    assert error.count("farm.py:3") == 1 and "import tractor_client" in error, error
    assert "tractor_client" in error and "--stub tractor_client" in error


@pytest.mark.parametrize("argv", [["new"], ["cook"], ["check"]])
def test_a_command_usage_error_is_not_mangled(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: schedstudio {argv[0]} "), err
    assert "window options" not in err and "COMMAND ..." not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"schedstudio {argv[0]}: error: "), last


def test_the_top_level_help_still_shows_both_ways_to_start(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "schedstudio [FILE.py] [window options]" in out
    assert "schedstudio COMMAND ..." in out


TWO = '''\
import pdg
from pdg.scheduler import PyScheduler


class FarmA(PyScheduler):
    def onSchedule(self, work_item):
        return pdg.scheduleResult.CookSucceeded


class FarmB(FarmA):
    pass


def registerTypes(type_registry):
    type_registry.registerScheduler(FarmA, name="farma")
    type_registry.registerScheduler(FarmB, name="farmb")
'''


def _type_error(tmp_path, capsys, type_name: str) -> str:
    module = tmp_path / "two.py"
    module.write_text(TWO, encoding="utf-8")
    assert main(["cook", str(module), "--graph", "frames", "--type", type_name]) == 2
    error, = [line for line in capsys.readouterr().out.splitlines()
              if line.startswith("  error:")]
    return error


def test_an_unknown_type_names_the_file_without_a_line_of_none(tmp_path, capsys):
    error = _type_error(tmp_path, capsys, "nosuch")
    assert "no scheduler type 'nosuch' registered (has: farma, farmb)" in error
    assert ":None" not in error and error.endswith(f"({tmp_path / 'two.py'})"), error


def test_a_class_name_for_a_type_says_which_type_it_registers_as(tmp_path, capsys):
    error = _type_error(tmp_path, capsys, "FarmB")
    assert "FarmB is the class of scheduler type 'farmb': pass --type farmb" in error, error


@pytest.mark.parametrize("flag,value", [
    ("--timeout", "-5"), ("--timeout", "0"), ("--timeout", "abc"), ("--timeout", "nan"),
    ("--tick-period", "-1"), ("--tick-period", "0"), ("--max-items", "0"),
    ("--max-items", "-3"), ("--max-items", "2.5")])
def test_a_numeric_option_out_of_range_is_a_usage_error(tmp_path, capsys, flag, value):
    module = tmp_path / "two.py"
    module.write_text(TWO, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["cook", str(module), "--graph", "frames", flag, value])
    assert stop.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith(f"schedstudio cook: error: argument {flag}: expected "), last
    assert repr(value) in last
