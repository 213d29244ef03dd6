"""Parse's second half: where each field of the document is in the file.

The reader decides what the fields are (as it always has, so
``parse(render(d)) == d`` keeps holding); this module records which rows
and literals hold them, as an ``Origin`` render can splice edits into.
"""
from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.codegen import lines as L
from scheduler_studio.engine.codegen import regions, template
from scheduler_studio.engine.codegen.document import SchedulerDocument, is_keyword_base
from scheduler_studio.engine.codegen.members import binds
from scheduler_studio.engine.codegen.origin import Kept, Method, Origin, Span, Template, View
from scheduler_studio.engine.codegen.spelling import WORKING_DIR_PARM, is_docstring
from scheduler_studio.engine.codegen.textfile import TextFile

READ_ONLY_TEMPLATE = ("templateBody is built by code, so its parameters are shown "
                      "read-only here; edit the method itself in Extra members")


@dataclass
class Found:
    """What the reader found on its way, for the origin."""

    tree: ast.Module
    cls: Optional[ast.ClassDef] = None
    parts: object = None
    call: Optional[ast.Call] = None
    registers: list = field(default_factory=list)
    plain_register: Optional[ast.FunctionDef] = None
    type_constant: Optional[ast.Constant] = None
    prelude_rows: list = field(default_factory=list)
    trailer_rows: list = field(default_factory=list)
    class_last: int = 0


def origin_of(file: TextFile, src, doc: SchedulerDocument, found: Found) -> Origin:
    cls, parts = found.cls, found.parts
    rows = src.lines
    first_member = cls.body[0]
    member_indent = L.leading_ws(rows[first_member.lineno - 1])
    class_indent = L.leading_ws(rows[cls.lineno - 1])
    unit = member_indent[len(class_indent):] or "    "
    if "\t" in unit:
        unit = "\t"
    ends_at = len(rows) - 1 if len(rows) > 1 and rows[-1] == "" else len(rows)
    cls_first = min([cls.lineno] + [d.lineno for d in cls.decorator_list]) - 1
    views = {
        "prelude": View("prelude", _align([rows[r] for r in found.prelude_rows],
                                          found.prelude_rows, doc.prelude),
                        "", cls_first, 0, 2),
        "trailer": View("trailer", _align([rows[r] for r in found.trailer_rows],
                                          found.trailer_rows, doc.trailer),
                        "", ends_at, 2, 0),
    }
    extra_lines = L.split(regions.text_of(parts.extra_rows, rows, src.kinds, True)) \
        if parts.extra_rows else []
    views["extra_members"] = View(
        "extra_members", _align(extra_lines, parts.extra_rows, doc.extra_members),
        member_indent, found.class_last + 1, _method_gap(parts.spans, cls, src.kinds), 0)
    methods = {}
    for name, (fn, first, last) in parts.methods.items():
        header_row, header_col = L.header_end(src.lines, fn)
        inline = fn.body[0].lineno == header_row
        start = L.char_col(rows[fn.lineno - 1], fn.col_offset)
        methods[name] = Method(first, last, inline,
                               Span(fn.lineno - 1, start, header_row - 1, header_col))
        body_rows = parts.body_rows[name]
        present = [r for r in body_rows if r is not None]
        kinds = [src.kinds[r] for r in present]
        indent = L.common_indent([rows[r] for r in present], kinds) or member_indent + unit
        if name in doc.bodies:
            views[f"callback:{name}"] = View(f"callback:{name}", tuple(body_rows),
                                             indent, last + 1)
    tmpl, note = _template(found, doc, rows)
    origin = Origin(
        file=file, base=doc, views=views, methods=methods,
        fixed=_fixed(found, rows, src, tmpl, doc),
        member_indent=member_indent, unit=unit,
        method_gap=_method_gap(parts.spans, cls, src.kinds),
        member_count=len(cls.body), class_top=_class_top(cls, parts.spans),
        body_start=L.header_end(src.lines, cls)[0],
        template_at=(parts.spans[cls.body.index(parts.name_fn)][1] + 1
                     if parts.name_fn is not None else _class_top(cls, parts.spans)),
        class_end=found.class_last + 1, class_name=_class_name(cls, rows),
        type_literals=_type_literals(found, doc, rows, tmpl),
        label_literal=_keyword_literal(found.call, "label", rows),
        register_class=_register_class(found.call, cls.name, rows),
        register_end=_call_end(found.call, rows), template=tmpl, template_note=note,
        register_has_args=bool(found.call and (found.call.args or found.call.keywords)),
        quote=_usual_quote(found.tree, rows), member_callbacks=_member_callbacks(cls, parts),
        kept=_kept(cls, src, unit, doc))
    return origin


HEADER_MEMBERS = ("__init__", "templateName", "templateBody")


def _kept(cls: ast.ClassDef, src, unit: str, doc: SchedulerDocument) -> Kept:
    """What the canonical layout must keep of this class to mean the same.

    A header member the class does not define comes from a base: from
    PyScheduler alone, the one render writes means the same; from any other
    base (or the mixin's ``__init__``), writing one would override it."""
    bases = [ast.get_source_segment(src.text, b) for b in cls.bases]
    for keyword in cls.keywords:
        value = ast.get_source_segment(src.text, keyword.value)
        bases.append(f"{keyword.arg}={value}" if keyword.arg else f"**{value}")
    bound = set().union(*(binds(m) for m in cls.body))
    other_bases = any(not is_keyword_base(b) for b in doc.bases)
    inherited = frozenset(
        name for name in HEADER_MEMBERS if name not in bound
        and (other_bases or (name == "__init__" and doc.use_callback_server)))
    return Kept(unit, tuple(bases), inherited, doc)


def _member_callbacks(cls: ast.ClassDef, parts) -> frozenset:
    """Tab callbacks defined among the extra members (a decorated or annotated
    method, an alias beside the real name...): their tab cannot add another."""
    lifted = {fn.name for fn, _, _ in parts.methods.values()}
    names = set()
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                stmt.name not in lifted:
            callback = catalogue.by_name(stmt.name)
            if callback is not None and callback.tab and callback.name not in parts.methods:
                names.add(callback.name)
    return frozenset(names)


def _align(source_lines: list[str], rows: list[int], value: str) -> tuple:
    """For each line of ``value``: the row it came from, or None.

    The value is the source lines, sometimes tidied (comments flushed left,
    a blank line added): lines are matched by their stripped text."""
    value_lines = L.split(value) if value else []
    if source_lines == value_lines:
        return tuple(rows)
    out: list = [None] * len(value_lines)
    a = [line.strip() for line in source_lines]
    b = [line.strip() for line in value_lines]
    import difflib  # kept off the window's start

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for i, j, size in matcher.get_matching_blocks():
        for k in range(size):
            out[j + k] = rows[i + k]
    return tuple(out)


def span_of(node: ast.AST, rows: list[str]) -> Span:
    return Span(node.lineno - 1, L.char_col(rows[node.lineno - 1], node.col_offset),
                node.end_lineno - 1, L.char_col(rows[node.end_lineno - 1],
                                               node.end_col_offset))


def _method_gap(spans, cls: ast.ClassDef, kinds: list[str]) -> int:
    """The blank lines the file usually puts between two methods."""
    gaps = Counter()
    for (stmt, (_, last)), (nxt, (first, _)) in zip(
            zip(cls.body, spans), zip(cls.body[1:], spans[1:])):
        if isinstance(nxt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            gaps[sum(1 for r in range(last + 1, first) if kinds[r] == L.BLANK)] += 1
    return gaps.most_common(1)[0][0] if gaps else 1


def _class_top(cls: ast.ClassDef, spans) -> int:
    """Where a new first member goes: after the docstring, before the rest."""
    if is_docstring(cls.body[0]):
        return spans[1][0] if len(spans) > 1 else spans[0][1] + 1
    return spans[0][0]


def _class_name(cls: ast.ClassDef, rows: list[str]) -> Optional[Span]:
    row = cls.lineno - 1
    text = rows[row]
    start = L.char_col(text, cls.col_offset)
    at = text.find(cls.name, start + len("class"))
    return Span(row, at, row, at + len(cls.name)) if at >= 0 else None


def _string_span(node, rows) -> Optional[Span]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return span_of(node, rows)
    return None


def _keyword_literal(call: Optional[ast.Call], name: str, rows) -> Optional[Span]:
    for keyword in call.keywords if call else ():
        if keyword.arg == name:
            return _string_span(keyword.value, rows)
    return None


def _register_class(call, class_name: str, rows) -> Optional[Span]:
    if call is not None and call.args and isinstance(call.args[0], ast.Name) \
            and call.args[0].id == class_name:
        return span_of(call.args[0], rows)
    return None


def _call_end(call, rows) -> Optional[tuple[int, int]]:
    if call is None:
        return None
    end = span_of(call, rows)
    return end.end_row, end.end_col - 1


def _type_literals(found: Found, doc, rows, tmpl) -> tuple[Span, ...]:
    spans = []
    parts = found.parts
    if parts.name_fn is not None:
        spans.append(_string_span(parts.name_fn.body[0].value, rows))
    elif found.type_constant is not None and found.type_constant.value == doc.type_name:
        spans.append(span_of(found.type_constant, rows))
    literal = _keyword_literal(found.call, "name", rows)
    if literal is not None and _keyword_value(found.call, "name") == doc.type_name:
        spans.append(literal)
    if tmpl is not None and tmpl.kind == "dumps":
        name = _dict_value(parts.template_fn.body[0].value.args[0], "name")
        if isinstance(name, ast.Constant) and name.value == doc.type_name:
            spans.append(span_of(name, rows))
    return tuple(s for s in spans if s is not None)


def _keyword_value(call, name):
    for keyword in call.keywords if call else ():
        if keyword.arg == name and isinstance(keyword.value, ast.Constant):
            return keyword.value.value
    return None


def _dict_value(node, key: str):
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    return None


def _template(found: Found, doc: SchedulerDocument, rows) -> tuple:
    """(Template, note): where the parameters live, or why they cannot be edited."""
    parts, cls = found.parts, found.cls
    fn = parts.template_fn
    if fn is None:
        has_one = any(isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                      and m.name == "templateBody" for m in cls.body)
        return None, READ_ONLY_TEMPLATE if has_one else ""
    data = template.template_json(fn, doc.type_name)
    entries = tuple(template.parameter(e) for e in data.get("parameters", []))
    at = next((i for i, p in enumerate(entries) if p.name == WORKING_DIR_PARM), None)
    value = fn.body[0].value
    if isinstance(value, ast.Constant):
        literal = span_of(value, rows)
        return Template("json", literal, entries, at,
                        quote=_quote_of(rows, literal)), ""
    parameters = _dict_value(value.args[0], "parameters")
    if not isinstance(parameters, ast.List) or \
            not all(isinstance(e, ast.Dict) for e in parameters.elts) or \
            len(parameters.elts) != len(entries):
        return None, READ_ONLY_TEMPLATE
    elements = tuple(span_of(e, rows) for e in parameters.elts)
    quote = _quote_of(rows, span_of(parameters.elts[0].keys[0], rows)) \
        if parameters.elts and parameters.elts[0].keys and \
        parameters.elts[0].keys[0] is not None else '"'
    pairs = tuple(_pairs(e, raw, rows)
                  for e, raw in zip(parameters.elts, data.get("parameters", [])))
    return Template("dumps", span_of(value, rows), entries, at, elements,
                    span_of(parameters, rows), quote, pairs), ""


def _pairs(node: ast.Dict, entry, rows) -> Optional[tuple]:
    """An entry's (key, key span, value span, value) in file order, or None
    when a key is not a plain string (its values cannot be told apart)."""
    pairs = []
    for key, value in zip(node.keys, node.values):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)) \
                or not isinstance(entry, dict) or key.value not in entry:
            return None
        got = entry[key.value]
        pairs.append((key.value, span_of(key, rows), span_of(value, rows),
                      tuple(got) if isinstance(got, list) else got))
    return tuple(pairs) or None


def _quote_of(rows, span: Span) -> str:
    text = rows[span.row][span.col:].lstrip("rRuUbBfF")
    return "'" if text.startswith("'") else '"'


def _usual_quote(tree: ast.Module, rows) -> str:
    """The quote character most of the module's one-row strings use."""
    counts = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.lineno == node.end_lineno:
            text = rows[node.lineno - 1][L.char_col(rows[node.lineno - 1], node.col_offset):]
            body = text.lstrip("rRuUbBfF")
            if not body.startswith(('"""', "'''")):
                counts[body[:1]] += 1
    return "'" if counts["'"] > counts['"'] else '"'


def _fixed(found: Found, rows, src, tmpl, doc) -> tuple:
    """What each row belongs to when no view holds it (for the line map)."""
    where: list = [None] * len(rows)
    cls, parts = found.cls, found.parts
    header_row = L.header_end(src.lines, cls)[0]
    for r in range(cls.lineno - 1, header_row):
        where[r] = ("header", 0)
    for fn in (parts.name_fn, parts.template_fn):
        if fn is not None:
            first, last = regions.span(fn, rows, src.kinds)
            for r in range(first, last + 1):
                where[r] = ("header", 0)
    if tmpl is not None and tmpl.kind == "dumps":
        index = 0
        for i, element in enumerate(tmpl.elements):
            mark = ("header", 0) if i == tmpl.working_dir_at else ("parameters", index)
            index += i != tmpl.working_dir_at
            for r in range(element.row, element.end_row + 1):
                where[r] = mark
    if found.call is not None:
        for r in range(found.call.lineno - 1, found.call.end_lineno):
            where[r] = ("header", 0)
    return tuple(where)
