"""parse(render(d)) == d for every document in normal form."""
from __future__ import annotations

import ast
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_studio.engine.codegen import default_document, parse, render

from .strategies import body, documents

ROUNDTRIP = settings(max_examples=300, deadline=None)


def test_default_document_round_trips():
    doc = default_document()
    assert parse(render(doc)[0]) == doc


@ROUNDTRIP
@given(documents())
def test_parse_render_is_identity(doc):
    text, line_map = render(doc)
    ast.parse(text)
    assert parse(text, "generated.py") == doc
    assert len(line_map) == len(text.split("\n")) - 1


@ROUNDTRIP
@given(documents())
def test_rendering_is_stable(doc):
    text = render(doc)[0]
    assert render(parse(text))[0] == text


@settings(max_examples=200, deadline=None)
@given(body)
def test_every_body_line_maps_to_itself(text):
    doc = replace(default_document(), bodies={"onTick": text})
    module, line_map = render(doc)
    lines = module.split("\n")
    for index, where in enumerate(line_map):
        if where and where[0] == "callback:onTick":
            original = doc.bodies["onTick"].split("\n")[where[1]]
            assert lines[index].endswith(original)


_any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(_any_text, _any_text, _any_text, _any_text)
def test_render_copes_with_half_typed_fields(prelude, members, trailer, code):
    """The GUI renders while the user types: broken fields must not break it."""
    doc = replace(default_document(), prelude=prelude, extra_members=members,
                  trailer=trailer, bodies={"onTick": code or "x"})
    text, line_map = render(doc)
    assert len(line_map) == len(text.split("\n")) - 1
