"""Module problems located in fields; the quick syntax check of one field."""
from __future__ import annotations

from dataclasses import replace

from scheduler_studio.engine.check import check_source
from scheduler_studio.engine.codegen import FrozenMap, render
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.problem_map import FieldProblem, map_problems, quick_syntax_check
from scheduler_studio.gui.window.problem_store import ProblemStore
from scheduler_studio.gui.window.templates import template_document


def _doc_with(name, body):
    doc = template_document()
    bodies = dict(doc.bodies)
    bodies[name] = body
    return replace(doc, bodies=FrozenMap(bodies))


def test_pyflakes_problem_lands_on_the_body_line_and_column():
    doc = _doc_with("getStatusURI", "x = 1\nreturn nowhere")
    text, line_map = render(doc)
    mapped = map_problems(doc, text, line_map, check_source(text))
    problem = next(p for p in mapped if "nowhere" in p.message)
    assert (problem.field, problem.line, problem.column) == ("callback:getStatusURI", 2, 7)
    assert not problem.on_generated_line
    assert text.split("\n")[problem.module_line - 1].strip() == "return nowhere"


def test_columns_count_characters_and_tab_stops_as_the_editor_does():
    # the AST counts UTF-8 bytes ("é" is two) and a tab as one; the editor, characters
    # and tab stops of four
    doc = _doc_with("getStatusURI", 'if True:\n\tlabel = "é" + nowhere\nreturn label')
    text, line_map = render(doc)
    mapped = map_problems(doc, text, line_map, check_source(text))
    problem = next(p for p in mapped if "nowhere" in p.message)
    assert (problem.line, problem.column) == (2, 4 + len('label = "é" + '))


def test_quick_check_column_expands_tabs():
    error = quick_syntax_check("callback:onTick", "if True:\n\tx = (1 +)")
    assert (error.line, error.column) == (2, 4 + len("x = (1 +"))


def test_problem_on_a_generated_line_borrows_the_nearest_field():
    doc = replace(template_document(), class_name="Not Valid")
    text, line_map = render(doc)
    mapped = map_problems(doc, text, line_map, check_source(text))
    assert mapped and mapped[0].field == fields.HEADER and mapped[0].is_syntax


def test_quick_check_finds_the_line_in_each_kind_of_field():
    error = quick_syntax_check("callback:onTick", "x = 1\nif x\n    pass")
    assert (error.line, error.severity) == (2, "error")
    assert error.column == 4
    assert quick_syntax_check("callback:onTick", "# only a comment") is None
    assert quick_syntax_check("callback:onTick", "") is None
    assert quick_syntax_check(fields.EXTRA_MEMBERS, "def f(self):\n    return (") .line == 2
    assert quick_syntax_check(fields.PRELUDE, "import os\nimport (") .line == 2
    assert quick_syntax_check(fields.EXTRA_MEMBERS, "X = 1\n\ndef f(self):\n    pass") is None


def _p(field, line, code="syntax-error", severity="error"):
    return FieldProblem(field, line, 0, severity, "m", code, module_line=line)


def test_store_keeps_newer_quick_verdicts_and_warnings_through_syntax_errors(qtbot):
    store = ProblemStore()
    a, b = "callback:onTick", "callback:onStart"
    warning = _p(b, 3, "UndefinedName", "warning")
    store.apply_full(1, [warning])
    assert store.problems(b) == [warning]
    store.apply_quick(2, a, _p(a, 1))
    store.apply_full(1, [warning])  # older than the quick verdict on a: a keeps its error
    assert [p.field for p in store.problems(a)] == [a]
    store.apply_full(3, [_p(a, 1)])  # a syntax error hides pyflakes: b keeps its warning
    assert store.problems(b) == [warning]
    store.apply_quick(4, a, None)
    assert store.problems(a) == []
    store.apply_full(4, [])
    assert store.all_problems() == []
