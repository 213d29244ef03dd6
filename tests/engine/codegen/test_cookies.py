"""Coding cookies as Python reads them: the saved bytes always read back (per
tokenize.detect_encoding) as the text saved, and a cookie Python refuses is a
clear error naming file and line, on open and on save."""
from __future__ import annotations

import io
import tokenize
from dataclasses import replace

import pytest

from scheduler_studio.engine.codegen import (SchedulerEncodingError, SchedulerParseError,
                                             as_utf8, default_document, encode_module, parse,
                                             render)

BODY = ("import pdg\nfrom pdg.scheduler import PyScheduler\nGREETING = 'caf\xe9'\n\n\n"
        "class Cafe(PyScheduler):\n    def onSchedule(self, work_item):\n"
        "        return pdg.scheduleResult.Succeeded\n")
LATIN1 = "# -*- coding: latin-1 -*-\n" + BODY


def python_reads(data: bytes) -> str:
    encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def saved(doc) -> tuple[str, bytes]:
    text = render(doc)[0]
    return text, encode_module(doc, text)


@pytest.mark.parametrize("cookie, says", [
    ("rot13", "not a text encoding"), ("hex", "not a text encoding"),
    ("zlib", "not a text encoding"), ("klingon", "no encoding Python knows"),
    ("utf-16", "does not write ASCII as ASCII"),
])
@pytest.mark.parametrize("row", [1, 2])
def test_a_cookie_python_refuses_is_a_parse_error_naming_file_and_line(cookie, says, row):
    head = f"# coding: {cookie}\n" if row == 1 else f"#!/usr/bin/env python\n# coding: {cookie}\n"
    with pytest.raises(SchedulerParseError, match=says) as caught:
        parse((head + BODY).encode("latin-1"), "/farm/odd.py")
    assert caught.value.filename == "/farm/odd.py" and caught.value.line == row


def test_a_bom_with_a_cookie_other_than_utf8_says_python_refuses_it():
    data = b"\xef\xbb\xbf#!/usr/bin/env python\n# coding: latin-1\n" + BODY.encode()
    with pytest.raises(SyntaxError):
        tokenize.detect_encoding(io.BytesIO(data).readline)   # Python's own verdict
    with pytest.raises(SchedulerParseError, match="Python refuses such a file") as caught:
        parse(data, "bom.py")
    assert caught.value.line == 2 and "byte-order mark" in caught.value.message
    bom_utf8 = b"\xef\xbb\xbf# coding: utf-8\n" + BODY.encode()
    doc = parse(bom_utf8)
    assert saved(doc)[1] == bom_utf8


def test_bytes_follow_a_cookie_edited_in_the_prelude():
    doc = parse(LATIN1.encode("latin-1"))
    assert saved(doc)[1] == LATIN1.encode("latin-1")           # unedited: byte-identical
    for prelude, encoding in ((doc.prelude.replace("latin-1", "utf-8"), "utf-8"),
                              (doc.prelude.replace("latin-1", "cp1252"), "cp1252"),
                              (doc.prelude.split("\n", 1)[1], "utf-8")):   # deleted
        text, data = saved(replace(doc, prelude=prelude))
        assert data == text.encode(encoding) and python_reads(data) == text


def test_a_cookie_typed_into_a_new_document_decides_its_bytes():
    doc = default_document()
    doc = replace(doc, prelude="# -*- coding: latin-1 -*-\n" + doc.prelude + "\nX = '\xe9'")
    text, data = saved(doc)
    assert b"X = '\xe9'" in data and python_reads(data) == text


def test_convert_rewrites_the_cookie_the_text_declares_even_when_retyped():
    doc = parse(LATIN1.replace("latin-1", "utf-8").encode())
    edited = replace(doc, prelude=doc.prelude.replace("utf-8", "latin-1") + "\nS = '\u2603'")
    with pytest.raises(SchedulerEncodingError):
        saved(edited)
    converted = as_utf8(edited)
    text, data = saved(converted)
    assert data.startswith(b"# -*- coding: utf-8 -*-\n") and python_reads(data) == text
    assert "S = '\u2603'" in text


@pytest.mark.parametrize("cookie", ["rot13", "lat"])
def test_saving_under_a_cookie_python_refuses_is_refused_and_convert_fixes_it(cookie):
    doc = parse(LATIN1.encode("latin-1"))
    edited = replace(doc, prelude=doc.prelude.replace("latin-1", cookie))
    with pytest.raises(SchedulerEncodingError, match="line 1: the coding cookie names"):
        saved(edited)
    text, data = saved(as_utf8(edited))
    assert data.startswith(b"# -*- coding: utf-8 -*-\n") and python_reads(data) == text
