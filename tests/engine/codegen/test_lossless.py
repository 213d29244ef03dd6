"""Open and Save keep every byte: ``render(parse(t)) == t``, and an edit
changes only the lines of the field it edits.

The modules are the corpus (tests/data/modules and the templates) in the
shapes TDs' copies take (CRLF, tabs, BOM, a latin-1 cookie, comments in
every gap, members shuffled, no final newline).
"""
from __future__ import annotations

import ast
import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.codegen import (Parameter, SchedulerEncodingError, as_utf8,
                                             encode_module, parse, render)
from scheduler_studio.engine.codegen.textfile import cookie_row, split_rows

from . import variants as V
from .strategies import body as bodies

LOSSLESS = settings(max_examples=120, deadline=None)
EDITS = settings(max_examples=150, deadline=None)
TAB_CALLBACKS = [cb.name for cb in catalogue.CALLBACKS if cb.tab]
ALL_VARIANTS = list(V.TEXT_VARIANTS) + list(V.BYTE_VARIANTS)


def variant_names():
    text = st.lists(st.sampled_from(list(V.TEXT_VARIANTS)), unique=True)
    return st.tuples(text, st.sampled_from([None, *V.BYTE_VARIANTS])).map(
        lambda pair: pair[0] + ([pair[1]] if pair[1] else []))


@pytest.mark.parametrize("path", V.CORPUS, ids=lambda p: p.name)
def test_every_corpus_module_comes_back_byte_for_byte(path):
    data = path.read_bytes()
    doc = parse(data, str(path))
    text, line_map = render(doc)
    assert encode_module(doc, text) == data
    assert len(line_map) == len(_lines(text))


@pytest.mark.parametrize("name", ALL_VARIANTS)
@pytest.mark.parametrize("path", V.CORPUS, ids=lambda p: p.name)
def test_each_variant_comes_back_byte_for_byte(path, name):
    data = V.make(path, [name])
    doc = parse(data, str(path))
    assert encode_module(doc, render(doc)[0]) == data


@LOSSLESS
@given(st.sampled_from(V.CORPUS), variant_names())
def test_variants_together_come_back_byte_for_byte(path, names):
    data = V.make(path, names)
    doc = parse(data, str(path))
    text, line_map = render(doc)
    assert encode_module(doc, text) == data
    assert len(line_map) == len(_lines(text))


# -- edits ------------------------------------------------------------------------
@st.composite
def edit_steps(draw, doc):
    """A few field edits a user could make, each (kind, field, value)."""
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["body", "body", "empty", "prelude", "extra",
                                     "trailer", "type", "label", "parameters"]))
        if kind == "body":
            free = [n for n in TAB_CALLBACKS if f"callback:{n}" not in doc.read_only()]
            steps.append(("body", draw(st.sampled_from(free)), draw(bodies)))
        elif kind == "empty" and doc.bodies:
            steps.append(("body", draw(st.sampled_from(sorted(doc.bodies))), ""))
        elif kind == "prelude":
            steps.append(("prelude", None, "import textwrap  # added"))
        elif kind == "extra":
            steps.append(("extra_members", None, "def _added_helper(self):\n    return 7"))
        elif kind == "trailer":
            steps.append(("trailer", None, "ADDED_AT_END = True"))
        elif kind == "type":
            steps.append(("type_name", None, draw(st.sampled_from(["renamed", "farm_x"]))))
        elif kind == "label":
            steps.append(("label", None, draw(st.sampled_from(["Renamed", "It's new"]))))
        elif kind == "parameters" and "parameters" not in doc.read_only():
            value = draw(st.integers(0, 99))
            steps.append(("parameters", None, (Parameter("added_parm", "Added", "Integer",
                                                         value),)))
    return steps


def _apply(doc, steps):
    for kind, name, value in steps:
        if kind == "body":
            doc = doc.with_body(name, value)
        elif kind in ("prelude", "extra_members", "trailer"):
            old = getattr(doc, kind)
            doc = doc.with_fields(**{kind: (old + "\n" + value) if old.strip() else value})
        elif kind == "parameters":
            doc = doc.with_fields(parameters=doc.parameters + value)
        else:
            doc = doc.with_fields(**{kind: value})
    return doc


def _edited_rows(doc, steps) -> set[int]:
    """Rows of the original file the edits may touch."""
    origin = doc.origin
    rows: set[int] = set()
    for kind, name, _ in steps:
        if kind == "body":
            method = origin.methods.get(name)
            if method is not None:
                rows.update(range(method.first, method.last + 1))
        elif kind in ("prelude", "extra_members", "trailer"):
            rows.update(r for r in origin.views[kind].rows if r is not None)
        elif kind in ("type_name", "label"):
            spans = list(origin.type_literals) + [origin.label_literal, origin.register_end]
            for span in spans:
                if span is not None:
                    row = span[0] if isinstance(span, tuple) else span.row
                    rows.add(row)
                    if not isinstance(span, tuple):
                        rows.update(range(span.row, span.end_row + 1))
            if origin.template is not None:
                t = origin.template.literal
                rows.update(range(t.row, t.end_row + 1))
        elif kind == "parameters" and origin.template is not None:
            t = origin.template.literal
            rows.update(range(t.row, t.end_row + 1))
    return rows


def _lines(text: str) -> list[str]:
    """Lines as Python counts them (a form feed inside a string is no line end)."""
    rows, ends = split_rows(text)
    return [r + e for r, e in zip(rows, ends) if r + e]


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def _same_code(a: str, b: str) -> bool:
    """Bodies equal but for how indentation is spelled (a tab file's own tabs)."""
    def norm(text):
        return "\n".join(line.replace("\t", "    ") if line.strip() else ""
                         for line in text.split("\n"))
    return norm(a) == norm(b)


@EDITS
@given(st.sampled_from(V.CORPUS), variant_names(), st.data())
def test_edits_change_only_their_fields(path, names, data):
    raw = V.make(path, names)
    doc = parse(raw, str(path))
    steps = data.draw(edit_steps(doc))
    edited = _apply(doc, steps)
    text, line_map = render(edited)
    converted = False
    try:
        out = encode_module(edited, text)
    except SchedulerEncodingError as exc:  # a character latin-1 lacks: convert, as asked
        assert "latin1" in names and not _encodes(_lines(text)[exc.line - 1], "latin-1")
        edited = as_utf8(edited)
        text, line_map = render(edited)
        out = encode_module(edited, text)
        assert b"coding: utf-8" in out
        converted = True
    compile(out, str(path), "exec")
    assert len(line_map) == len(_lines(text))
    # what the user edited is what the file now says
    back = parse(out, str(path))
    aliased = {cb.name for cb in catalogue.CALLBACKS for alias in cb.aliases
               if f"def {alias}(" in doc.extra_members}  # the alias takes over
    assert set(back.bodies) - aliased == set(edited.bodies) - aliased
    for name, body in edited.bodies.items():
        assert _same_code(back.bodies[name], body), name
    for key in ("type_name", "parameters", "working_dir", "class_name"):
        assert getattr(back, key) == getattr(edited, key), key
    derived = doc.origin.label_literal is None and edited.label == doc.label == doc.type_name
    assert back.label == (back.type_name if derived else edited.label)
    # every other line of the file is still there, in order, byte for byte
    original = _lines(doc.origin.file.original())
    touched = _edited_rows(doc, steps)
    if converted:
        touched.add(cookie_row(doc.origin.file.rows))  # the conversion's one change
    kept = [line for row, line in enumerate(original)
            if row not in touched and line.strip()]
    if kept and kept[-1] == original[-1] and not original[-1].endswith(("\n", "\r")):
        kept[-1] += doc.origin.file.newline  # a line added after it ends the last line
    lines = _lines(text)
    if kept and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += doc.origin.file.newline
    matcher = difflib.SequenceMatcher(None, kept, lines, autojunk=False)
    assert sum(block.size for block in matcher.get_matching_blocks()) == len(kept)


@EDITS
@given(st.sampled_from(V.CORPUS), variant_names())
def test_an_edit_undone_gives_the_file_back(path, names):
    raw = V.make(path, names)
    doc = parse(raw, str(path))
    name = sorted(doc.bodies)[0]
    edited = doc.with_body(name, doc.bodies[name] + "\nprint('edited')")
    assert render(edited)[0] != render(doc)[0]
    undone = edited.with_body(name, doc.bodies[name])
    assert encode_module(undone, render(undone)[0]) == raw


def test_line_map_points_at_each_edited_line():
    path = V.MODULES_DIR / "licensed_rush_like.py"
    doc = parse(path.read_bytes(), str(path))
    body = doc.bodies["onSchedule"] + "\nraise RuntimeError('here')"
    text, line_map = render(doc.with_body("onSchedule", body))
    lines = text.splitlines()
    row = lines.index("        raise RuntimeError('here')")
    assert line_map[row] == ("callback:onSchedule", len(body.split("\n")) - 1)
    # every body line maps to its own line of the editor
    for i, line in enumerate(body.split("\n")):
        at = line_map.index(("callback:onSchedule", i))
        assert lines[at].strip() == line.strip()
    assert ast.parse(text)


@pytest.mark.parametrize("path", V.CORPUS, ids=lambda p: p.name)
@pytest.mark.parametrize("name", [None, "comments", "tabs"])
def test_line_kinds_from_the_tree_match_the_tokenizer(path, name):
    """Parse reads line kinds off the syntax tree (tokenizing a large module
    costs seconds); they must be what the tokenizer says, line by line."""
    from scheduler_studio.engine.codegen import lines as L
    text = L.normalise_newlines(V.make(path, [name] if name else []).decode("utf-8"))
    assert L.classify_tree(text, ast.parse(text)) == L.classify(text)


@given(bodies)
@settings(max_examples=200, deadline=None)
def test_line_kinds_from_the_tree_match_for_any_body(text):
    from scheduler_studio.engine.codegen import lines as L
    module = "def f(self):\n" + "\n".join("    " + line if line else line
                                          for line in text.split("\n")) + "\n    pass\n"
    assert L.classify_tree(module, ast.parse(module)) == L.classify(module)
