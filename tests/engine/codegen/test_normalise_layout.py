"""What `export --normalise` keeps of a file's own layout.

The canonical layout is written in the file's indentation unit (a tab file
stays a tab file, no block mixes tabs and spaces), below the file's header
(shebang, coding cookie, header comment, docstring), in its encoding, BOM
and line ends.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scheduler_studio.engine.codegen import encode_module, parse, render
from scheduler_studio.engine.codegen import lines as L

from .conftest import MODULES_DIR

NORMALISE_DIR = Path(__file__).resolve().parents[3] / "tests" / "data" / "normalise"
TAB_MODULES = [NORMALISE_DIR / "header_tabs.py", NORMALISE_DIR / "inherited_members.py",
               MODULES_DIR / "tabs_derived.py"]


def _normalised(data) -> tuple[str, bytes]:
    doc = parse(data).normalised()
    text = render(doc)[0]
    return text, encode_module(doc, text)


def _indents(text: str):
    """The leading whitespace of every line whose indentation Python reads."""
    kinds = L.classify(text)
    for number, (line, kind) in enumerate(zip(L.split(text), kinds), 1):
        if kind in (L.LOGICAL, L.COMMENT) and L.leading_ws(line):
            yield number, L.leading_ws(line)


@pytest.mark.parametrize("path", TAB_MODULES, ids=lambda p: p.name)
def test_a_tab_file_normalises_to_tabs_only(path):
    source = path.read_text(encoding="utf-8")
    text, _ = _normalised(source)
    mixed = [(n, ws) for n, ws in _indents(text) if " " in ws]
    assert mixed == []
    assert parse(text) == parse(source)  # and still the same document


def test_a_space_file_keeps_its_unit():
    source = (MODULES_DIR / "farm_mixins.py").read_text(encoding="utf-8")
    text, _ = _normalised(source.replace("    ", "  "))
    cls = text[text.index("class AcmeScheduler"):]
    assert "\n  def __init__" in cls and "\n    def " not in cls
    assert "\n  @classmethod\n  def templateBody(cls):\n    return json.dumps({\n" in cls


def test_the_header_stays_above_the_imports():
    source = (NORMALISE_DIR / "header_tabs.py").read_text(encoding="utf-8")
    text, _ = _normalised(source)
    lines = text.split("\n")
    assert lines[:3] == source.split("\n")[:3]  # shebang and the header comment
    first_import = next(i for i, line in enumerate(lines) if line.startswith(("import", "from")))
    assert first_import > 3
    assert ast.get_docstring(ast.parse(text))  # the docstring render writes, below them


def test_shebang_and_cookie_stay_on_the_first_two_lines():
    source = ("#!/usr/bin/env hython\n# -*- coding: latin-1 -*-\n"
              "# caf\u00e9 farm\n\nimport os\n\n"
              + (NORMALISE_DIR / "base_order.py").read_text(encoding="utf-8")
              .replace('"""A mixin', '"""Caf\u00e9: a mixin'))
    text, data = _normalised(source.encode("latin-1"))
    assert text.split("\n")[:3] == source.split("\n")[:3]
    assert data.decode("latin-1") == text  # written in the encoding the cookie declares
    tree = ast.parse(data)  # Python reads the bytes as the cookie says
    assert "Caf\u00e9" in ast.get_source_segment(text, tree.body[-2]) or \
        any("Caf\u00e9" in str(getattr(n, "value", "")) for n in ast.walk(tree))


def test_bom_and_crlf_are_kept():
    source = (NORMALISE_DIR / "header_tabs.py").read_text(encoding="utf-8")
    data = b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode("utf-8")
    text, out = _normalised(data)
    assert out.startswith(b"\xef\xbb\xbf")
    body = out[3:]
    assert body.count(b"\r\n") == body.count(b"\n") > 0
    assert body.decode("utf-8").replace("\r\n", "\n") == text


@pytest.mark.parametrize("path", sorted(NORMALISE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_normalise_adds_no_check_warning(path):
    from scheduler_studio.engine.check import check_source

    def messages(data):
        return sorted(p.message for p in check_source(data, "m.py"))

    _, data = _normalised(path.read_bytes())
    assert set(messages(data)) <= set(messages(path.read_bytes()))
