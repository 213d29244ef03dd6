"""Whatever a user opens, parse answers with a document or a clear error."""
from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_studio.engine.codegen import SchedulerParseError, default_document, parse, render

from .conftest import MODULES_DIR

MODULE = "import pdg\nfrom pdg.scheduler import PyScheduler\n\n\nclass S(PyScheduler):\n"


def _error(data, filename="bad.py") -> SchedulerParseError:
    with pytest.raises(SchedulerParseError) as info:
        parse(data, filename)
    return info.value


def test_syntax_error_names_file_and_line():
    error = _error(MODULE + "    def onTick(self):\n        return (\n\n")
    assert error.filename == "bad.py" and error.line >= 7
    assert str(error).startswith(f"bad.py:{error.line}: syntax error")


@pytest.mark.parametrize("source, line, habit", [
    (MODULE + "    def onTick(self):\n        print 'tick'\n", 7, "print"),
    (MODULE + "    def onTick(self):\n        try:\n            pass\n"
     "        except KeyError, e:\n            pass\n", 9, "except X, e"),
    (MODULE + "    def onTick(self):\n        if True:\n\t    return 1\n"
     "        return 2\n", 8, "tabs"),
    (MODULE + "    def onTick(self):\n        return ur'x'\n", 7, "ur''"),
    (MODULE + "    def onTick(self):\n        raise ValueError, 'no'\n", 7,
     "raise E, message"),
    (MODULE + "    def onTick(self):\n        return `self`\n", 7, "backquotes"),
    ("x = 1\nexec 'y = 2'\n", 2, "exec"),
    ("import os\n\nprint 'hi'\n", 3, "print"),
])
def test_python_2_is_named_with_its_line(source, line, habit):
    error = _error(source)
    assert "Python 2" in error.message and habit in error.message
    assert error.line == line


def test_not_a_scheduler():
    error = _error("import os\n\nclass Thing(object):\n    pass\n")
    assert error.line == 1 and "not a scheduler" in error.message


def test_registered_class_must_be_defined_here():
    error = _error("from .impl import Impl\n\n\ndef registerTypes(r):\n"
                   "    r.registerScheduler(Impl)\n")
    assert error.line == 5 and "Impl" in error.message


def test_decorated_class_is_refused_clearly():
    error = _error("import pdg\nfrom pdg.scheduler import PyScheduler\n"
                   "@decorate\nclass S(PyScheduler):\n    pass\n")
    assert error.line == 4 and "decorated" in error.message


def test_binary_and_foreign_encodings():
    assert "binary" in _error(b"\x7fELF\x00\x01\x02").message
    error = _error("x = 1\ny = 'caf\xe9'\n".encode("latin-1"))
    assert error.line == 2 and "UTF-8" in error.message
    assert "invalid character" in _error("x = '\ud800'\n").message


def test_bytes_with_bom_and_crlf_parse():
    text = render(default_document())[0]
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    assert parse(data) == default_document()


def test_first_class_deriving_from_pyscheduler_without_register_types():
    doc = parse("import pdg.scheduler\n\n\nclass Plain(object):\n    pass\n\n\n"
                "class First(pdg.scheduler.PyScheduler):\n    pass\n\n\n"
                "class Second(First):\n    pass\n")
    assert doc.class_name == "First" and doc.type_name == "first"


@pytest.mark.parametrize("source", [
    "(" * 100_000, "-" * 100_000 + "1", "x = " + "[" * 50_000,
    "print " + "a" * 1_000_000, "'" * 300_000, "\t \t" * 100_000 + "x",
    "except " + "a," * 200_000, "def f(:\n" * 50_000,
])
def test_pathological_input_fails_clearly(source):
    # how fast: `make bench` (bench_timings); a hang is the suite's per-test timeout
    with pytest.raises(SchedulerParseError):
        parse(source)


def test_large_module_parses():
    members = "".join(f"    def helper{i}(self):\n        return {i}\n\n"
                      for i in range(5_000))
    bodies = "    def onTick(self):\n        return 1\n" * 1
    doc = parse(MODULE + bodies + members)   # how fast: bench_codegen / bench_timings
    assert doc.bodies["onTick"] == "return 1"
    assert doc.extra_members.count("def helper") == 5_000


@settings(max_examples=300, deadline=2000)
@given(st.binary(max_size=400))
def test_random_bytes_give_a_parse_error(data):
    with pytest.raises(SchedulerParseError):
        parse(data)


@settings(max_examples=300, deadline=2000)
@given(st.text(max_size=200))
def test_random_text_gives_a_parse_error(text):
    with pytest.raises(SchedulerParseError):
        parse(text)


_MODULE_TEXT = render(default_document())[0]


@settings(max_examples=300, deadline=2000)
@given(st.lists(st.tuples(st.integers(0, len(_MODULE_TEXT)), st.integers(0, 40),
                          st.text(max_size=8)), min_size=1, max_size=4))
def test_damaged_modules_parse_or_fail_cleanly(edits):
    text = _MODULE_TEXT
    for at, length, insert in edits:
        text = text[:at] + insert + text[at + length:]
    try:
        doc = parse(text)
    except SchedulerParseError:
        return
    assert parse(render(doc)[0]) == doc


_SOURCES = [p.read_text(encoding="utf-8") for p in sorted(MODULES_DIR.glob("*.py"))]
_LINE_EDITS = st.sampled_from(["delete", "repeat", "swap", "indent", "dedent",
                               "blank", "comment"])


@settings(max_examples=300, deadline=2000)
@given(st.sampled_from(_SOURCES + [_MODULE_TEXT]),
       st.lists(st.tuples(_LINE_EDITS, st.integers(0, 10**6)), min_size=1,
                max_size=5))
def test_edited_modules_parse_or_fail_cleanly(source, edits):
    """Line edits a user might make: the result opens and saves stably."""
    lines = source.split("\n")
    for edit, n in edits:
        i = n % len(lines)
        if edit == "delete" and len(lines) > 1:
            del lines[i]
        elif edit == "repeat":
            lines.insert(i, lines[i])
        elif edit == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif edit == "indent":
            lines[i] = "    " + lines[i]
        elif edit == "dedent" and lines[i].startswith("    "):
            lines[i] = lines[i][4:]
        elif edit == "blank":
            lines.insert(i, "   ")
        elif edit == "comment":
            lines.insert(i, " " * (n % 13) + "# note")
    try:
        doc = parse("\n".join(lines))
    except SchedulerParseError:
        return
    text = render(doc)[0]
    assert parse(text) == doc
    assert render(parse(text))[0] == text
