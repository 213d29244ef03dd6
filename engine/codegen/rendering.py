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
from scheduler_studio.engine.codegen.textfile import cookie_row
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
    layout below (a normalised one in its file's indentation unit, keeping
    what the layout cannot change without changing the module's meaning:
    see ``origin.Kept``)."""
    if doc.origin is not None:
        return render_spliced(doc)
    out = _Out()
    style = _Style(doc)
    head, rest, rest_first, has_docstring = split_prelude(doc.prelude)
    bound = _bound_names(doc.prelude)
    imports = _standard_imports(doc, bound, style)
    top, gap = (0, 0) if head else header_comment(rest)
    if not has_docstring:  # below the shebang, coding cookie and header comment
        lead = _comment_lead(head)
        out.block(head[:lead] or rest[:top], "prelude", rest_first if top else 0)
        literal = L.docstring_literal(header_text(doc.label))
        for line in L.split(literal):
            out.add(line, ("header", 0))
        out.block(head[lead:], "prelude", lead)
    else:
        out.block(head, "prelude")
    if out.lines and (imports or not top):
        out.blank()
    for statement in imports:
        if statement == "import pdg" and out.lines and out.lines[-1]:
            out.blank()
        out.add(statement)
    rest_first += top + gap
    rest = rest[top + gap:]
    if rest:  # after a header comment, as far below the imports as it was below it
        out.blank(gap if top else 2 if _opens_definition(rest) else 1)
        out.block(rest, "prelude", rest_first)
    out.blank(2)
    _render_class(doc, out, style)
    if doc.trailer.strip():
        out.blank(2)
        out.block(L.split(doc.trailer), "trailer")
    if not (_defines_function(doc.prelude, "registerTypes")
            or _defines_function(doc.trailer, "registerTypes")):
        out.blank(2)
        out.add("def registerTypes(type_registry):")
        out.add(f"{style.unit}type_registry.registerScheduler({doc.class_name}, "
                f"label={L.py_string(doc.label)})", ("header", 0))
    return "\n".join(out.lines) + "\n", out.where


class _Style:
    """How the canonical layout is spelled for one document: four spaces for a
    new one; a normalised one keeps its file's unit, its class statement's
    bases, and the header members its class inherits (unless edited since)."""

    def __init__(self, doc: SchedulerDocument):
        kept = doc.kept
        self.unit = kept.unit if kept is not None else MEMBER_INDENT
        self.member, self.method = self.unit, self.unit * 2
        self.bases = None
        self.inherited: set[str] = set()
        if kept is None:
            return
        base = kept.base
        if (doc.bases, doc.use_callback_server) == (base.bases, base.use_callback_server):
            self.bases = kept.bases
        unchanged = {
            "__init__": (doc.bases, doc.use_callback_server, doc.callback_server_local,
                         doc.init_super) == (base.bases, base.use_callback_server,
                                             base.callback_server_local, base.init_super),
            "templateName": doc.type_name == base.type_name,
            "templateBody": (doc.parameters, doc.working_dir)
            == (base.parameters, base.working_dir),
        }
        self.inherited = {name for name in kept.inherited if unchanged.get(name)}

    def writes(self, member: str, extra: str) -> bool:
        """Whether render writes this header member itself."""
        return member not in self.inherited and not _defines_function(extra, member)


def _comment_lead(head: list[str]) -> int:
    """How many of the head's first lines are comments (or blank) above its
    first statement: the shebang, coding cookie and header comment."""
    count = 0
    for i, line in enumerate(head):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        count = i + 1
    while count and not head[count - 1].strip():
        count -= 1
    return count


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


def header_comment(lines: list[str]) -> tuple[int, int]:
    """(lines, blank lines after them) of the comments that head a prelude
    with no docstring: the shebang, coding cookie and header comment, which
    stay above everything render writes. A last block of comments that sits
    on the first statement is that statement's; without a blank line, only
    a shebang and coding cookie are the header."""
    lead = 0
    while lead < len(lines) and (not lines[lead].strip()
                                 or lines[lead].lstrip().startswith("#")):
        lead += 1
    blanks = [i for i in range(lead) if not lines[i].strip()]
    end = blanks[-1] if blanks else 0
    if not blanks:
        if lines[:1] and lines[0].startswith("#!"):
            end = 1
        cookie = cookie_row(tuple(lines[:2]))
        if cookie is not None:
            end = max(end, cookie + 1)
    while end and not lines[end - 1].strip():
        end -= 1
    gap = end
    while gap < len(lines) and not lines[gap].strip():
        gap += 1
    return end, gap - end


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


def _standard_imports(doc: SchedulerDocument, bound: set[str], style: "_Style") -> list[str]:
    wanted = []
    if style.writes("templateBody", doc.extra_members) or (
            not _defines_function(doc.extra_members, "templateBody") and _mentions_json(doc)):
        wanted.append("import json")  # parse takes it out of the prelude: code may use it
    wanted += ["import pdg", "from pdg.scheduler import PyScheduler"]
    if doc.use_callback_server:
        wanted.append(CSM_IMPORT)
    return [s for s in wanted if STANDARD_IMPORTS[s] not in bound]


def _mentions_json(doc: SchedulerDocument) -> bool:
    """Whether any of the module's own code may use the name ``json``."""
    texts = [doc.prelude, doc.extra_members, doc.trailer, *doc.bodies.values()]
    return any(re.search(r"\bjson\b", text) for text in texts)


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


def class_line(doc: SchedulerDocument, kept_bases=None) -> str:
    """The ``class`` statement: other bases, then the mixin, then PyScheduler
    (or the file's own list, in its order: the order is the MRO)."""
    if kept_bases is not None:
        return f"class {doc.class_name}({', '.join(kept_bases)}):"
    positional = [b for b in doc.bases if not is_keyword_base(b)]
    keywords = [b for b in doc.bases if is_keyword_base(b)]
    if doc.use_callback_server:
        positional.append("CallbackServerMixin")
    bases = ", ".join(positional + ["PyScheduler"] + keywords)
    return f"class {doc.class_name}({bases}):"


def _render_class(doc: SchedulerDocument, out: _Out, style: _Style):
    out.add(class_line(doc, style.bases), ("header", 0))
    extra = doc.extra_members
    made = {"__init__": lambda: _init(doc, style),
            "templateName": lambda: _class_method("templateName", [
                (f"return {L.py_string(doc.type_name)}", ("header", 0))], style),
            "templateBody": lambda: _class_method("templateBody",
                                                  _template_body(doc), style)}
    written = [name for name in made if style.writes(name, extra)]
    pieces = layout.plan(extra, written, bool(doc.bodies),
                         {doc.method_name(name) for name in doc.bodies})
    extra_lines = L.indent(extra, style.member)
    members = []
    if doc.doc:
        literal = L.docstring_literal(doc.doc)
        members.append((1, [(style.member + line if i == 0 else line, ("doc", i))
                            for i, line in enumerate(L.split(literal))]))
    for blank, piece in pieces:
        if piece == layout.CALLBACKS:
            members += [(blank if i == 0 else 1, _callback(doc, name, style))
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


def _init(doc: SchedulerDocument, style: _Style):
    return [(style.member + _in_unit(line, style.unit), None) for line in init_lines(doc)]


def _in_unit(line: str, unit: str) -> str:
    """A line render wrote with four-space levels, in the file's unit."""
    stripped = line.lstrip(" ")
    return unit * ((len(line) - len(stripped)) // 4) + stripped


def _class_method(name: str, body, style: _Style):
    lines = [(style.member + "@classmethod", None),
             (style.member + f"def {name}(cls):", None)]
    return lines + [(style.method + _in_unit(line, style.unit), where)
                    for line, where in body]


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


def _callback(doc: SchedulerDocument, name: str, style: _Style):
    signature = catalogue.by_name(name).signature(doc.args(name),
                                                  doc.method_name(name))
    body = doc.bodies[name]
    lines = [(style.member + signature, None)]
    lines += [(line, (f"callback:{name}", i))
              for i, line in enumerate(L.indent(body, style.method))]
    if not L.has_code(body):
        lines.append((style.method + NO_CODE_MARKER, None))
    return lines
