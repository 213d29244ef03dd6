"""`schedstudio new`: a valid PDG type name, a sensible class name, and no file
replaced without --force (and then the backup is named)."""
from __future__ import annotations

import ast

import pytest

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.codegen.document import class_name_for, type_name_problem


@pytest.mark.parametrize("name", ["my farm", "123x", "farm-queue", "", "caf\u00e9", "a.b",
                                  "_hidden"])
def test_new_refuses_a_name_pdg_cannot_register(name, tmp_path, capsys):
    out = tmp_path / "s.py"
    assert main(["new", name, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert repr(name) in err
    assert "start with a letter" in err and "letters, digits and underscores" in err
    assert not out.exists()


@pytest.mark.parametrize("name", ["myfarm", "my_farm", "Farm2", "a"])
def test_valid_type_names(name):
    assert type_name_problem(name) == ""


def test_a_digit_led_name_gives_a_sensible_class_name():
    assert class_name_for("123x") == "Scheduler123x"
    assert class_name_for("2d_farm") == "Scheduler2dFarm"
    assert class_name_for("my_farm") == "MyFarmScheduler"
    for name in ("123x", "2d_farm", "my farm", "--"):
        assert class_name_for(name).isidentifier()


def test_new_does_not_replace_a_file_without_force(tmp_path, capsys):
    out = tmp_path / "keep.py"
    out.write_text("# my own work\n", encoding="utf-8")
    assert main(["new", "myfarm", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "# my own work\n"


def test_new_with_force_replaces_it_and_says_where_the_backup_is(tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.setenv("SCHEDSTUDIO_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "keep.py"
    out.write_text("# my own work\n", encoding="utf-8")
    assert main(["new", "myfarm", "-o", str(out), "--force"]) == 0
    said = capsys.readouterr().out
    ast.parse(out.read_text(encoding="utf-8"))
    backup = said.split("is kept in ", 1)[1].strip()
    assert open(backup, encoding="utf-8").read() == "# my own work\n"
    assert "previous version" in said


def test_new_writes_a_new_file_as_before(tmp_path, capsys):
    out = tmp_path / "fresh.py"
    assert main(["new", "myfarm", "-o", str(out)]) == 0
    assert "class MyfarmScheduler(" in out.read_text(encoding="utf-8")
    assert "backup" not in capsys.readouterr().out
