"""Splitting the scheduler class body into document fields.

Members the document can write again identically in meaning are lifted
out: the docstring, a standard ``__init__`` (as render writes it, in any of
the spellings the document keeps), ``templateName``/``templateBody`` and
methods of the callbacks on the tabs with a plain signature. Everything
else (callbacks without a tab, decorated or annotated methods, helpers,
class attributes, names bound more than once) stays, in order, in "extra
members".
"""
from __future__ import annotations

import ast
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.codegen import lines as L
from scheduler_studio.engine.codegen import regions, template
from scheduler_studio.engine.codegen.document import SchedulerDocument
from scheduler_studio.engine.codegen.rendering import init_lines
from scheduler_studio.engine.codegen.spelling import NO_CODE_MARKER, is_docstring


@dataclass
class Source:
    """A module's text cut into lines, with line kinds (read off its tree)."""

    text: str
    tree: ast.Module
    lines: list = field(init=False)
    kinds: list = field(init=False)

    def __post_init__(self):
        self.lines = L.split(self.text)
        self.kinds = L.classify_tree(self.text, self.tree)


@dataclass
class ClassParts:
    doc: str = ""
    bodies: dict = field(default_factory=dict)
    method_names: dict = field(default_factory=dict)
    arg_names: dict = field(default_factory=dict)
    extra_members: str = ""
    type_name: Optional[str] = None
    template: Optional[tuple] = ("", ())  # (working_dir, parameters) or None
    init: Optional[dict] = None  # the spelling of a standard __init__
    # Where those fields are (0-based rows), for the document's origin:
    extra_rows: list = field(default_factory=list)    # rows of the extra-member lines
    body_rows: dict = field(default_factory=dict)     # callback -> rows of its body lines
    methods: dict = field(default_factory=dict)       # callback -> (FunctionDef, first, last)
    spans: list = field(default_factory=list)         # (first, last) of every member
    template_fn: Optional[ast.FunctionDef] = None     # templateBody, when it is a field
    name_fn: Optional[ast.FunctionDef] = None         # templateName, when it is a field


def standard_init(fn: ast.stmt, use_callback_server: bool,
                  bases: tuple[str, ...]) -> Optional[dict]:
    """The document fields that spell ``fn`` when it is a standard
    ``__init__`` for a class with these bases, else None."""
    if not (isinstance(fn, ast.FunctionDef) and fn.name == "__init__"):
        return None
    found = ast.dump(fn)
    for local, via_super in itertools.product((True, False), repeat=2):
        spelling = SchedulerDocument(
            "t", "t", "S", use_callback_server=use_callback_server,
            bases=bases, callback_server_local=local, init_super=via_super)
        text = "\n".join(init_lines(spelling)) + "\n"
        if ast.dump(ast.parse(text).body[0]) == found:
            return {"callback_server_local": spelling.callback_server_local,
                    "init_super": spelling.init_super}
    return None


def split_class(cls: ast.ClassDef, src: Source, use_callback_server: bool,
                bases: tuple[str, ...], fallback_type_name) -> ClassParts:
    """The document fields held by the class body of ``cls``."""
    parts = ClassParts()
    members = cls.body
    spans = _member_spans(members, src)
    parts.spans = [tuple(span) for span in spans]
    bound = Counter(name for m in members for name in _binds(m))
    unique = {name for name, count in bound.items() if count == 1}
    lifted: set[int] = set()

    def lift(index):
        first, last = spans[index]
        lifted.update(range(first, last + 1))

    if is_docstring(members[0]) and (len(members) == 1 or
                                      members[1].lineno > members[0].end_lineno):
        parts.doc = members[0].value.value
        lift(0)
    by_name = {m.name: i for i, m in enumerate(members)
               if isinstance(m, ast.FunctionDef) and m.name in unique}
    if "templateName" in by_name:
        parts.type_name = template.template_name(members[by_name["templateName"]])
        if parts.type_name is not None:
            parts.name_fn = members[by_name["templateName"]]
            lift(by_name["templateName"])
    type_name = parts.type_name or fallback_type_name
    if "templateBody" in by_name:
        parts.template = template.template_body(
            members[by_name["templateBody"]], type_name)
        if parts.template is not None:
            parts.template_fn = members[by_name["templateBody"]]
            lift(by_name["templateBody"])
    if "__init__" in by_name:
        parts.init = standard_init(members[by_name["__init__"]],
                                   use_callback_server, bases)
        if parts.init is not None:
            lift(by_name["__init__"])
    # A canonical name beats an alias: take those first when both exist.
    for name, index in sorted(by_name.items(), key=_aliases_last):
        callback = catalogue.by_name(name)
        if callback and callback.tab and callback.name not in parts.bodies \
                and _liftable(members[index], callback):
            _take_callback(parts, callback, members[index], spans[index], src)
            lift(index)
    header_row = L.header_end(src.lines, cls)[0]
    rows = list(range(header_row, regions.span(cls, src.lines, src.kinds)[1] + 1))
    kept = regions.cut(rows, src.lines, src.kinds, lifted)
    parts.extra_members = L.flush_leading_comments(
        regions.text_of(kept, src.lines, src.kinds, True))
    parts.extra_rows = kept
    return parts


def _binds(stmt: ast.stmt) -> set[str]:
    """The names a class-body statement binds (more, never fewer)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        # what runs when the def runs: all but the body
        parts = [node for name, value in ast.iter_fields(stmt) if name != "body"
                 for node in (value if isinstance(value, list) else [value])
                 if isinstance(node, ast.AST)]
        names = {stmt.name}
    else:
        parts, names = [stmt], set()
    for part in parts:
        for node in ast.walk(part):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                names.add(node.id)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                   ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                names.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                names.add(node.rest)
    return names


binds = _binds  # for the origin: which header members a class defines itself


def _aliases_last(item) -> bool:
    callback = catalogue.by_name(item[0])
    return callback is not None and callback.name != item[0]


def _member_spans(members, src: Source):
    spans = [list(regions.span(m, src.lines, src.kinds)) for m in members]
    for this, following in zip(spans, spans[1:]):
        this[1] = min(this[1], following[0] - 1)
    return spans


def _liftable(fn: ast.FunctionDef, callback: catalogue.Callback) -> bool:
    args = fn.args
    return (not fn.decorator_list and fn.returns is None
            and template.plain_args(args, 1 + len(callback.args))
            and args.args[0].arg == "self")


def _take_callback(parts: ClassParts, callback, fn, member_span, src: Source):
    name = callback.name
    parts.bodies[name], parts.body_rows[name] = method_body(fn, member_span[1], src)
    parts.methods[name] = (fn, member_span[0], member_span[1])
    parts.method_names[name] = fn.name
    parts.arg_names[name] = tuple(a.arg for a in fn.args.args[1:])


def method_body(fn: ast.FunctionDef, last: int, src: Source) -> tuple[str, list]:
    """The body text of ``fn`` (0-based last row), dedented, and the row
    each of its lines came from (None: the text after the ``def``'s colon)."""
    row, col = L.header_end(src.lines, fn)
    after_colon = src.lines[row - 1][col:].strip()
    lines = src.lines[row:last + 1]
    kinds = src.kinds[row:last + 1]
    rows: list = list(range(row, last + 1))
    if fn.body[0].lineno == row:
        lines, kinds, rows = [after_colon] + lines, [L.LOGICAL] + kinds, [None] + rows
    elif after_colon:
        lines, kinds, rows = [after_colon] + lines, [L.COMMENT] + kinds, [None] + rows
    body = L.dedent_lines(lines, kinds)
    while body and not body[-1].strip():
        body.pop()
    if body and body[-1].strip() == NO_CODE_MARKER:
        rest = "\n".join(body[:-1])
        if rest.strip() and not L.has_code(rest):
            body.pop()
    return "\n".join(body), rows[:len(body)]
