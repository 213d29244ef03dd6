"""Write a scheduler document out as the complete module Houdini loads.

``render`` also returns a line map: entry ``i`` says where module line
``i + 1`` came from, as ``(field, line_in_field)`` with 0-based
``line_in_field``, or None for lines the renderer wrote itself. Fields are
``"callback:<name>"``, ``"prelude"``, ``"extra_members"``, ``"trailer"``,
``"doc"``, ``"parameters"`` (line_in_field = parameter index) and
``"header"`` (type name, label, class name, working directory; always 0).
Like the prelude, the extra members may come in two runs: the class
attributes and header members that lead them stay above the callbacks
(see ``layout``).
"""
from __future__ import annotations

import ast
import re
from typing import Optional

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.codegen import layout
from scheduler_studio.engine.codegen import lines as L
from scheduler_studio.engine.codegen.document import Parameter, SchedulerDocument, is_keyword_base
from scheduler_studio.engine.codegen.splice import render_spliced
from scheduler_studio.engine.codegen.spelling import (  # noqa: F401 - spelled here for the readers too
    CSM_IMPORT, HEADER, MEMBER_INDENT, METHOD_INDENT, NO_CODE_MARKER, STANDARD_IMPORTS,
    WORKING_DIR_LABEL, WORKING_DIR_PARM, header_text, is_docstring)

LineMap = list[Optional[tuple[str, int]]]

_DEF_LINE = re.compile(r"(?:async\s+)?def\s+([A-Za-z_]\w*)")


class _Out:
    """Module lines and, for each, where it came from."""

    def __init__(self):
        self.lines: list[str] = []
        self.where: LineMap = []

    def add(self, line: str, where=None):
        self.lines.append(line)
        self.where.append(where)

    def blank(self, count: int = 1):
        for _ in range(count):
            self.add("")

    def block(self, lines, field: str, first: int = 0):
        for i, line in enumerate(lines):
            self.add(line, (field, first + i))


def render(doc: SchedulerDocument) -> tuple[str, LineMap]:
    """The module text for ``doc`` and its line map.

    A document opened from a file gives that file's text back with only its
    edits spliced in (see ``splice``); a new one is written in the canonical
    layout below."""
    if doc.origin is not None:
        return render_spliced(doc)
    out = _Out()
    head, rest, rest_first, has_docstring = split_prelude(doc.prelude)
    bound = _bound_names(doc.prelude)
    if not has_docstring:
        literal = L.docstring_literal(header_text(doc.label))
        for line in L.split(literal):
            out.add(line, ("header", 0))
    out.block(head, "prelude")
    if out.lines:
        out.blank()
    for statement in _standard_imports(doc, bound):
        if statement == "import pdg" and out.lines and out.lines[-1]:
            out.blank()
        out.add(statement)
    if rest:
        out.blank(2 if _opens_definition(rest) else 1)
        out.block(rest, "prelude", rest_first)
    out.blank(2)
    _render_class(doc, out)
    if doc.trailer.strip():
        out.blank(2)
        out.block(L.split(doc.trailer), "trailer")
    if not (_defines_function(doc.prelude, "registerTypes")
            or _defines_function(doc.trailer, "registerTypes")):
        out.blank(2)
        out.add("def registerTypes(type_registry):")
        out.add(f"    type_registry.registerScheduler({doc.class_name}, "
                f"label={L.py_string(doc.label)})", ("header", 0))
    return "\n".join(out.lines) + "\n", out.where


def split_prelude(prelude: str):
    """(head lines, rest lines, index of rest's first line, has docstring).

    The head is what must stay above the imports: the module docstring and
    ``from __future__`` imports, with the comments around them.
    """
    lines = L.split(prelude) if prelude.strip() else []
    while lines and not lines[-1].strip():
        lines.pop()
    tree = L.try_parse(prelude)
    if tree is None:
        return [], lines, 0, False
    head_end, has_docstring = 0, False
    for i, stmt in enumerate(tree.body):
        if i == 0 and is_docstring(stmt):
            has_docstring = True
        elif not (isinstance(stmt, ast.ImportFrom)
                  and stmt.module == "__future__"):
            if stmt.lineno <= head_end:
                return [], lines, 0, False
            break
        head_end = stmt.end_lineno
    rest_first = head_end
    while rest_first < len(lines) and not lines[rest_first].strip():
        rest_first += 1
    return lines[:head_end], lines[rest_first:], rest_first, has_docstring


def _opens_definition(lines: list[str]) -> bool:
    """Whether the first code line starts a def or class (PEP 8 wants two
    blank lines above it)."""
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            return re.match(r"(@|class\s|def\s|async\s+def\s)", line) is not None
    return False


def _bound_names(prelude: str) -> set[str]:
    """Names the prelude's own top-level imports bind."""
    tree = L.try_parse(prelude)
    names = set()
    for stmt in tree.body if tree else ():
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                names.add((alias.asname or alias.name).split(".")[0])
    return names


def _standard_imports(doc: SchedulerDocument, bound: set[str]) -> list[str]:
    wanted = []
    if not _defines_function(doc.extra_members, "templateBody"):
        wanted.append("import json")
    wanted += ["import pdg", "from pdg.scheduler import PyScheduler"]
    if doc.use_callback_server:
        wanted.append(CSM_IMPORT)
    return [s for s in wanted if STANDARD_IMPORTS[s] not in bound]


def _defines_function(text: str, name: str) -> bool:
    """Whether ``text`` (a block at column 0) defines ``name`` at its top."""
    if not text.strip():
        return False
    tree = L.try_parse(text)
    if tree is None:
        return any(m and m.group(1) == name
                   for m in map(_DEF_LINE.match, L.split(text)))
    return any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
               and s.name == name for s in tree.body)


def class_line(doc: SchedulerDocument) -> str:
    """The ``class`` statement: other bases, then the mixin, then PyScheduler."""
    positional = [b for b in doc.bases if not is_keyword_base(b)]
    keywords = [b for b in doc.bases if is_keyword_base(b)]
    if doc.use_callback_server:
        positional.append("CallbackServerMixin")
    bases = ", ".join(positional + ["PyScheduler"] + keywords)
    return f"class {doc.class_name}({bases}):"


def _render_class(doc: SchedulerDocument, out: _Out):
    out.add(class_line(doc), ("header", 0))
    extra = doc.extra_members
    made = {"__init__": lambda: _init(doc),
            "templateName": lambda: _class_method("templateName", [
                (f"return {L.py_string(doc.type_name)}", ("header", 0))]),
            "templateBody": lambda: _class_method("templateBody",
                                                  _template_body(doc))}
    written = [name for name in made if not _defines_function(extra, name)]
    pieces = layout.plan(extra, written, bool(doc.bodies),
                         {doc.method_name(name) for name in doc.bodies})
    extra_lines = L.indent(extra, MEMBER_INDENT)
    members = []
    if doc.doc:
        literal = L.docstring_literal(doc.doc)
        members.append((1, [(MEMBER_INDENT + line if i == 0 else line, ("doc", i))
                            for i, line in enumerate(L.split(literal))]))
    for blank, piece in pieces:
        if piece == layout.CALLBACKS:
            members += [(blank if i == 0 else 1, _callback(doc, name))
                        for i, name in enumerate(doc.bodies)]
        elif isinstance(piece, str):
            members.append((blank, made[piece]()))
        else:
            first, last = piece
            members.append((blank, [(extra_lines[i], ("extra_members", i))
                                    for i in range(first, last + 1)]))
    for i, (blank, member) in enumerate(members):
        if i:
            out.blank(blank)
        for line, where in member:
            out.add(line, where)


def init_lines(doc: SchedulerDocument) -> list[str]:
    """The standard ``__init__`` (at column 0) in the document's spelling;
    parse lifts a method only when it is one of these."""
    lines = ["def __init__(self, scheduler, name):"]
    if doc.init_super:
        return lines + ["    super().__init__(scheduler, name)"]
    lines.append("    PyScheduler.__init__(self, scheduler, name)")
    if doc.use_callback_server:
        lines.append("    CallbackServerMixin.__init__(self, "
                     f"{doc.callback_server_local})")
    return lines


def _init(doc: SchedulerDocument):
    return [(MEMBER_INDENT + line, None) for line in init_lines(doc)]


def _class_method(name: str, body):
    lines = [(MEMBER_INDENT + "@classmethod", None),
             (MEMBER_INDENT + f"def {name}(cls):", None)]
    return lines + [(METHOD_INDENT + line, where) for line, where in body]


def _template_body(doc: SchedulerDocument):
    body = [("return json.dumps({", None),
            (f"    \"name\": {L.py_string(doc.type_name)},", ("header", 0))]
    entries = []
    if doc.working_dir:
        entries.append((Parameter(WORKING_DIR_PARM, WORKING_DIR_LABEL,
                                  "String", doc.working_dir), ("header", 0)))
    entries += [(p, ("parameters", i)) for i, p in enumerate(doc.parameters)]
    if not entries:
        body.append(('    "parameters": [],', None))
    else:
        body.append(('    "parameters": [', None))
        for parm, where in entries:
            body += [("        " + line, where) for line in _parameter(parm)]
        body.append(("    ],", None))
    body.append(("})", None))
    return body


def _parameter(parm: Parameter) -> list[str]:
    if parm.type == "String":
        value = L.py_string(parm.default)
    elif parm.type == "Toggle":
        value = "1" if parm.default else "0"
    else:
        value = repr(parm.default)
    lines = ["{",
             f'    "name": {L.py_string(parm.name)},',
             f'    "label": {L.py_string(parm.label)},',
             f'    "type": "{parm.type}",',
             '    "size": 1,',
             f'    "value": {value},']
    if parm.tags:
        tags = ", ".join(L.py_string(t) for t in parm.tags)
        lines.append(f'    "tag": [{tags}],')
    return lines + ["},"]


def _callback(doc: SchedulerDocument, name: str):
    signature = catalogue.by_name(name).signature(doc.args(name),
                                                  doc.method_name(name))
    body = doc.bodies[name]
    lines = [(MEMBER_INDENT + signature, None)]
    lines += [(line, (f"callback:{name}", i))
              for i, line in enumerate(L.indent(body, METHOD_INDENT))]
    if not L.has_code(body):
        lines.append((METHOD_INDENT + NO_CODE_MARKER, None))
    return lines
