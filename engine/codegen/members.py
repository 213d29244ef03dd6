"""Splitting the scheduler class body into document fields.

Members the document can write again identically in meaning are lifted
out: the docstring, a standard ``__init__``, ``templateName``/``templateBody``
and methods of the callbacks on the tabs with a plain signature. Everything
else (callbacks without a tab, decorated or
annotated methods, helpers, class attributes, duplicates) stays, in order,
in "extra members".
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

from engine import catalogue
from engine.codegen import lines as L
from engine.codegen import regions, template
from engine.codegen.render import NO_CODE_MARKER


@dataclass
class Source:
    """A module's text cut into lines, with line kinds and tokens."""

    text: str
    lines: list = field(init=False)
    kinds: list = field(init=False)
    toks: list = field(init=False)

    def __post_init__(self):
        self.lines = L.split(self.text)
        self.toks = L.tokens(self.text)
        self.kinds = L.classify(self.text)


@dataclass
class ClassParts:
    doc: str = ""
    bodies: dict = field(default_factory=dict)
    method_names: dict = field(default_factory=dict)
    arg_names: dict = field(default_factory=dict)
    extra_members: str = ""
    type_name: Optional[str] = None
    template: Optional[tuple] = ("", ())  # (working_dir, parameters) or None


def standard_init(use_callback_server: bool) -> str:
    text = ("def __init__(self, scheduler, name):\n"
            "    PyScheduler.__init__(self, scheduler, name)\n")
    if use_callback_server:
        text += "    CallbackServerMixin.__init__(self, True)\n"
    return ast.dump(ast.parse(text).body[0])


def split_class(cls: ast.ClassDef, src: Source, use_callback_server: bool,
                fallback_type_name) -> ClassParts:
    """The document fields held by the class body of ``cls``."""
    parts = ClassParts()
    members = cls.body
    spans = _member_spans(members, src)
    names = [getattr(m, "name", None) for m in members]
    unique = {n for n in names if n and names.count(n) == 1}
    lifted: set[int] = set()

    def lift(index):
        first, last = spans[index]
        lifted.update(range(first, last + 1))

    if _is_docstring(members[0]) and (len(members) == 1 or
                                      members[1].lineno > members[0].end_lineno):
        parts.doc = members[0].value.value
        lift(0)
    by_name = {m.name: i for i, m in enumerate(members)
               if isinstance(m, ast.FunctionDef) and m.name in unique}
    if "templateName" in by_name:
        parts.type_name = template.template_name(members[by_name["templateName"]])
        if parts.type_name is not None:
            lift(by_name["templateName"])
    type_name = parts.type_name or fallback_type_name
    if "templateBody" in by_name:
        parts.template = template.template_body(
            members[by_name["templateBody"]], type_name)
        if parts.template is not None:
            lift(by_name["templateBody"])
    if "__init__" in by_name and ast.dump(members[by_name["__init__"]]) == \
            standard_init(use_callback_server):
        lift(by_name["__init__"])
    # A canonical name beats an alias: take those first when both exist.
    for name, index in sorted(by_name.items(), key=_aliases_last):
        callback = catalogue.by_name(name)
        if callback and callback.tab and callback.name not in parts.bodies \
                and _liftable(members[index], callback):
            _take_callback(parts, callback, members[index], spans[index], src)
            lift(index)
    header_row = L.header_end(src.toks, cls.lineno, cls.col_offset)[0]
    rows = list(range(header_row, regions.span(cls, src.lines, src.kinds)[1] + 1))
    kept = regions.cut(rows, src.lines, src.kinds, lifted)
    parts.extra_members = L.flush_leading_comments(
        regions.text_of(kept, src.lines, src.kinds, True))
    return parts


def _aliases_last(item) -> bool:
    callback = catalogue.by_name(item[0])
    return callback is not None and callback.name != item[0]


def _member_spans(members, src: Source):
    spans = [list(regions.span(m, src.lines, src.kinds)) for m in members]
    for this, following in zip(spans, spans[1:]):
        this[1] = min(this[1], following[0] - 1)
    return spans


def _is_docstring(stmt) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str))


def _liftable(fn: ast.FunctionDef, callback: catalogue.Callback) -> bool:
    args = fn.args
    return (not fn.decorator_list and fn.returns is None
            and template._plain_args(args, 1 + len(callback.args))
            and args.args[0].arg == "self")


def _take_callback(parts: ClassParts, callback, fn, member_span, src: Source):
    name = callback.name
    parts.bodies[name] = method_body(fn, member_span[1], src)
    parts.method_names[name] = fn.name
    parts.arg_names[name] = tuple(a.arg for a in fn.args.args[1:])


def method_body(fn: ast.FunctionDef, last: int, src: Source) -> str:
    """The body text of ``fn`` (0-based last row), dedented."""
    row, col = L.header_end(src.toks, fn.lineno, fn.col_offset)
    after_colon = src.lines[row - 1][col:].strip()
    lines = src.lines[row:last + 1]
    kinds = src.kinds[row:last + 1]
    if fn.body[0].lineno == row:
        lines, kinds = [after_colon] + lines, [L.LOGICAL] + kinds
    elif after_colon:
        lines, kinds = [after_colon] + lines, [L.COMMENT] + kinds
    body = L.dedent_lines(lines, kinds)
    while body and not body[-1].strip():
        body.pop()
    if body and body[-1].strip() == NO_CODE_MARKER:
        rest = "\n".join(body[:-1])
        if rest.strip() and not L.has_code(rest):
            body.pop()
    return "\n".join(body)
