"""`schedstudio export`: an unedited export is a byte-for-byte copy; --normalise
writes the canonical layout new schedulers get."""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.codegen import parse, render
from scheduler_studio.engine.codegen.starters import TEMPLATES_DIR

MODULES = sorted((Path(__file__).resolve().parents[1] / "data" / "modules").glob("*.py"))
SOURCES = sorted(TEMPLATES_DIR.glob("*.py")) + MODULES


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_export_is_a_byte_for_byte_copy(source, tmp_path, capsys):
    out = tmp_path / "out.py"
    assert main(["export", str(source), "-o", str(out)]) == 0
    assert out.read_bytes() == source.read_bytes()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_export_normalise_writes_the_canonical_layout(source, tmp_path, capsys):
    out = tmp_path / "out.py"
    assert main(["export", str(source), "-o", str(out), "--normalise"]) == 0
    doc = parse(source.read_bytes(), str(source))
    assert out.read_text(encoding="utf-8") == render(doc.normalised())[0]
    assert parse(out.read_bytes()) == doc  # the same fields, in today's layout


def test_export_of_crlf_latin1_keeps_both(tmp_path, capsys):
    source = tmp_path / "old.py"
    source.write_bytes(b"# coding: latin-1\r\nimport pdg\r\nfrom pdg.scheduler import "
                       b"PyScheduler\r\n\r\n\r\nclass Old(PyScheduler):\r\n    def "
                       b"onSchedule(self, work_item):\r\n        return 'caf\xe9'\r\n")
    out = tmp_path / "out.py"
    assert main(["export", str(source), "-o", str(out)]) == 0
    assert out.read_bytes() == source.read_bytes()
