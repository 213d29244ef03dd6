"""Save To Python's file is what Houdini and our factory load, and it cooks."""
from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from scheduler_studio.engine.cli import main as cli_main
from scheduler_studio.engine.codegen import default_document, parse, render, save_module
from scheduler_studio.engine.factory import discover
from scheduler_studio.engine.session import cook_module
from scheduler_studio.engine.cook.options import CookOptions

TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "templates"


def test_default_document_registers_from_pdg_types_and_cooks_frames(tmp_path, monkeypatch):
    types_dir = tmp_path / "prefs" / "pdg" / "types"
    types_dir.mkdir(parents=True)
    text, _ = render(default_document())
    save_module(types_dir / "studio_default.py", text)
    monkeypatch.setenv("SCHEDSTUDIO_PATH", str(tmp_path / "prefs"))

    found = discover()

    assert found.errors == []
    stype = found.types[default_document().type_name]
    assert stype.label == default_document().label
    summary = cook_module(stype.module_file, "frames",
                          CookOptions(workdir=str(tmp_path / "work")))
    assert summary["status"] == "succeeded", summary["errors"]
    assert summary["items"] == {"total": 41, "succeeded": 41, "failed": 0,
                                "cancelled": 0, "uncooked": 0}
    assert summary["callbacks"]["onSchedule"] >= 40
    produced = [p for p in summary["outputs"] if p.endswith(".txt")]
    assert produced and all(os.path.exists(p) for p in produced)


def test_cli_new_writes_a_module_that_checks_clean_and_parses(tmp_path, capsys):
    out = tmp_path / "myfarm.py"
    assert cli_main(["new", "myfarm", "--label", "My Farm", "-o", str(out)]) == 0
    doc = parse(out.read_text(), str(out))
    assert doc.type_name == "myfarm" and doc.label == "My Farm"
    capsys.readouterr()
    assert cli_main(["check", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: no problems\n"


@pytest.mark.parametrize("template", sorted(p.stem for p in TEMPLATES.glob("*.py")))
def test_cli_export_keeps_every_template_behaviour(template, tmp_path):
    source = TEMPLATES / f"{template}.py"
    out = tmp_path / "normalised.py"
    assert cli_main(["export", str(source), "-o", str(out)]) == 0
    before, after = ast.parse(source.read_text()), ast.parse(out.read_text())
    assert _members(before) == _members(after)


def test_cli_export_reports_a_broken_module_with_its_line(tmp_path, capsys):
    broken = tmp_path / "broken.py"
    broken.write_text("import pdg\nfrom pdg.scheduler import PyScheduler\n\n"
                      "class S(PyScheduler):\n    def onSchedule(self, work_item)\n        pass\n")
    assert cli_main(["export", str(broken), "-o", str(tmp_path / "out.py")]) == 2
    err = capsys.readouterr().err
    assert "broken.py:5" in err
    assert not (tmp_path / "out.py").exists()


def _members(tree: ast.Module) -> dict[str, str]:
    """Every method of every class, and every module-level function, as an AST dump."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out[f"{node.name}.{member.name}"] = ast.dump(member)
        elif isinstance(node, ast.FunctionDef):
            out[node.name] = ast.dump(node)
    return out


@pytest.mark.parametrize("template", ["local", "dask", "farm"])
def test_cli_new_offers_the_three_templates_by_their_short_names(template, tmp_path):
    out = tmp_path / f"{template}.py"
    assert cli_main(["new", f"my{template}", "--template", template, "-o", str(out)]) == 0
    assert parse(out.read_text(), str(out)).type_name == f"my{template}"
