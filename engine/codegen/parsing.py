"""Read any scheduler module back into a document.

Why ``ast`` positions and not LibCST's lossless tree: measured here on a
1 MB module, LibCST 1.x took 4.4 s to parse and 0.7 s to print it back
(byte-exact on CRLF, tabs, BOM and a latin-1 cookie); ``ast.parse`` with the
line kinds read off the tree takes about a second, and the rows that make
the document exact come from the file itself (``textfile``), so fidelity
does not depend on the tree at all.

The scheduler class is the one the caller names (``classes`` lists the
choice), else the one ``registerTypes`` registers, else the first class
deriving from ``PyScheduler``. Code above it is the prelude, code below it
the trailer, both verbatim except for what render writes itself (header
docstring, standard imports, a plain ``registerTypes``): another scheduler
class of the module is kept there, byte for byte.
"""
from __future__ import annotations

import ast
import gc
import tokenize
from dataclasses import replace
from typing import Optional, Union

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.codegen import classes
from scheduler_studio.engine.codegen import lines as L
from scheduler_studio.engine.codegen import regions
from scheduler_studio.engine.codegen.document import SchedulerDocument
from scheduler_studio.engine.codegen.errors import SchedulerParseError
from scheduler_studio.engine.codegen.members import Source, split_class
from scheduler_studio.engine.codegen.rendering import split_prelude
from scheduler_studio.engine.codegen.spelling import CSM_IMPORT, STANDARD_IMPORTS, header_text
from scheduler_studio.engine.codegen.source import MAX_SOURCE_BYTES, parse_tree
from scheduler_studio.engine.codegen.spans import Found, origin_of
from scheduler_studio.engine.codegen.textfile import read

_STANDARD_DUMPS = {ast.dump(ast.parse(s).body[0]): s for s in STANDARD_IMPORTS}


def parse(data: Union[str, bytes], filename: str = "<module>",
          class_name: Optional[str] = None) -> SchedulerDocument:
    """The document a module's text (or raw bytes) describes, with its origin:
    the file's rows and where each field is in them, so that render gives the
    same text back and an edit changes only the edited field's lines.

    ``class_name`` chooses which scheduler class of the module is the
    document's (``scheduler_classes`` lists them); one that is none of them
    raises ``SchedulerClassError``."""
    collecting = gc.isenabled()
    gc.disable()  # a large module's tree is a million objects: no collections mid-read
    try:
        return _parse(data, filename, class_name)
    finally:
        if collecting:
            gc.enable()


def _parse(data: Union[str, bytes], filename: str,
           class_name: Optional[str]) -> SchedulerDocument:
    file = read(data, filename, MAX_SOURCE_BYTES)
    text = file.text
    tree = parse_tree(text, filename)
    try:
        src = Source(text, tree)
    except (SyntaxError, ValueError, tokenize.TokenError) as exc:
        raise SchedulerParseError(filename, getattr(exc, "lineno", 1) or 1,
                                  f"cannot be read as Python: {exc}") from None
    try:
        reader = _Reader(tree, src, filename, class_name)
        doc = reader.document()
        origin = origin_of(file, src, doc, reader.found)
        chosen = None if class_name == reader.default_class_name() else class_name
        return replace(doc, origin=replace(origin, chosen_class=chosen))
    except RecursionError:  # the tree parsed, but is too deep for the ast helpers
        raise SchedulerParseError(filename, 1, "cannot be read as a scheduler: the code "
                                  "is nested too deeply (RecursionError)") from None


class _Reader:
    def __init__(self, tree: ast.Module, src: Source, filename: str,
                 class_name: Optional[str] = None):
        self.tree, self.src, self.filename = tree, src, filename
        self.class_name = class_name
        self.found = Found(tree)

    def fail(self, line: int, message: str):
        raise SchedulerParseError(self.filename, line, message)

    def _registers(self) -> list[ast.FunctionDef]:
        return [s for s in self.tree.body if isinstance(s, ast.FunctionDef)
                and s.name == "registerTypes"]

    def default_class_name(self) -> Optional[str]:
        """The class read when the caller names none (None: no such class). Naming it is
        not a choice: ``origin.chosen_class`` stays None, so a document, its autosave,
        its cook and what is kept per file agree on what "the module's class" means."""
        registers = self._registers()
        try:
            return self.scheduler_class(_register_call(registers[-1]) if registers else None).name
        except SchedulerParseError:
            return None

    def document(self) -> SchedulerDocument:
        registers = self._registers()
        if self.class_name is None:
            call = _register_call(registers[-1]) if registers else None
            cls = self.scheduler_class(call)
        else:  # the caller's choice, and the call that registers it (if one does)
            cls, call = classes.pick(self.tree, self.class_name, self.filename)
        if cls.decorator_list:
            self.fail(cls.lineno, "a decorated scheduler class cannot be "
                      "opened; move the decorator's work into the class")
        if cls.body[0].lineno == L.header_end(self.src.lines, cls)[0]:
            self.fail(cls.lineno, "put the class body on its own lines")
        bases, use_csm = self.bases(cls)
        fallback = _fallback_type_name(self.tree, cls, call)
        parts = split_class(cls, self.src, use_csm, bases, fallback)
        type_name = parts.type_name or fallback
        label = _keyword(call, "label")
        label = type_name if label is None else label
        working_dir, parameters = parts.template or ("", ())
        plain_register = None
        if len(registers) == 1 and _is_plain_register(registers[0], cls.name):
            plain_register = registers[0]
        prelude, trailer = self.module_parts(
            cls, label, use_csm, parts.template is not None, plain_register)
        trailer = L.flush_leading_comments(trailer)
        found = self.found
        found.cls, found.parts, found.call = cls, parts, call
        found.registers, found.plain_register = registers, plain_register
        found.type_constant = _type_constant(self.tree, cls)
        head, rest, _, _ = split_prelude(prelude)
        if head and rest:  # the normal form: one blank line between
            prelude = "\n".join(head + [""] + rest)
        return SchedulerDocument(
            type_name=type_name, label=label, class_name=cls.name,
            working_dir=working_dir, parameters=parameters, prelude=prelude,
            extra_members=parts.extra_members, bodies=parts.bodies,
            use_callback_server=use_csm, method_names=parts.method_names,
            trailer=trailer, bases=bases, doc=parts.doc,
            arg_names=parts.arg_names, **(parts.init or {}))

    def scheduler_class(self, call: Optional[ast.Call]) -> ast.ClassDef:
        defined = [s for s in self.tree.body if isinstance(s, ast.ClassDef)]
        if call is not None and call.args and isinstance(call.args[0], ast.Name):
            name = call.args[0].id
            named = [c for c in defined if c.name == name]
            if named:
                return named[-1]
            self.fail(call.lineno, f"registerTypes registers {name}, which "
                      "this file does not define; open the module that does")
        derived = classes.derived(defined)
        if derived:
            return derived[0]
        self.fail(1, "not a scheduler module: expected a class deriving from "
                  "pdg.scheduler.PyScheduler or from a scheduler Houdini ships "
                  "(" + ", ".join(sorted(catalogue.HOUDINI_SCHEDULERS.values())) + ")")

    def bases(self, cls: ast.ClassDef) -> tuple[tuple[str, ...], bool]:
        """Other base classes as source text, and whether the mixin is used."""
        texts, use_csm = [], False
        for base in cls.bases:
            name = classes.base_name(base)
            if name == "CallbackServerMixin":
                use_csm = True
            elif name != "PyScheduler":
                texts.append(self.segment(base))
        for keyword in cls.keywords:
            value = self.segment(keyword.value)
            texts.append(f"{keyword.arg}={value}" if keyword.arg else f"**{value}")
        return tuple(texts), use_csm

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.src.text, node)

    def module_parts(self, cls, label, use_csm, body_lifted, plain_register):
        """(prelude, trailer) text around the class."""
        src = self.src
        removed: set[int] = set()
        statements = self.tree.body
        for i, stmt in enumerate(statements):
            if stmt is cls:
                break
            alone = (i == 0 or statements[i - 1].end_lineno < stmt.lineno) and \
                statements[i + 1].lineno > stmt.end_lineno
            if alone and self._written_by_render(i, stmt, label, use_csm,
                                                 body_lifted):
                removed.update(range(stmt.lineno - 1, stmt.end_lineno))
        if plain_register is not None:
            first, last = regions.span(plain_register, src.lines, src.kinds)
            removed.update(range(first, last + 1))
        class_last = regions.span(cls, src.lines, src.kinds)[1]
        before = range(0, cls.lineno - 1)
        after = range(class_last + 1, len(src.lines))
        kept = [regions.cut(list(rows), src.lines, src.kinds, removed)
                for rows in (before, after)]
        self.found.prelude_rows, self.found.trailer_rows = kept
        self.found.class_last = class_last
        return tuple(regions.text_of(rows, src.lines, src.kinds, False) for rows in kept)

    def _written_by_render(self, index, stmt, label, use_csm, body_lifted):
        if index == 0 and isinstance(stmt, ast.Expr) and \
                isinstance(stmt.value, ast.Constant) and \
                stmt.value.value == header_text(label):
            return True
        statement = _STANDARD_DUMPS.get(ast.dump(stmt))
        if statement == "import json":
            return body_lifted
        if statement == CSM_IMPORT:
            return use_csm
        return statement is not None


def _register_call(fn: ast.FunctionDef) -> Optional[ast.Call]:
    """The first ``registerScheduler(...)`` call inside ``fn``."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else \
                getattr(func, "id", None)
            if name == "registerScheduler":
                return node
    return None


def _keyword(call: Optional[ast.Call], name: str) -> Optional[str]:
    for keyword in call.keywords if call else ():
        if keyword.arg == name and isinstance(keyword.value, ast.Constant) \
                and isinstance(keyword.value.value, str):
            return keyword.value.value
    return None


def _is_plain_register(fn: ast.FunctionDef, class_name: str) -> bool:
    """``registerTypes`` as render writes it (a label keyword or none)."""
    call = _register_call(fn)
    label = _keyword(call, "label")
    keywords = f", label={L.py_string(label)}" if label is not None else ""
    expected = (f"def registerTypes(type_registry):\n"
                f"    type_registry.registerScheduler({class_name}{keywords})\n")
    return ast.dump(fn) == ast.dump(ast.parse(expected).body[0])


def _fallback_type_name(tree: ast.Module, cls: ast.ClassDef,
                        call: Optional[ast.Call]) -> str:
    """A type name when templateName is not a plain string: a module
    constant it returns, the name= keyword, or the class name."""
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "templateName":
            for node in ast.walk(stmt):
                if isinstance(node, ast.Return) and \
                        isinstance(node.value, ast.Name):
                    constant = _module_constant(tree, node.value.id)
                    if constant:
                        return constant
    return _keyword(call, "name") or cls.name.lower()


def _module_constant(tree: ast.Module, name: str) -> Optional[str]:
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name) and \
                stmt.targets[0].id == name and \
                isinstance(stmt.value, ast.Constant) and \
                isinstance(stmt.value.value, str):
            return stmt.value.value
    return None


def _type_constant(tree: ast.Module, cls: ast.ClassDef) -> Optional[ast.Constant]:
    """The module constant's literal a ``templateName`` returning a name holds."""
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "templateName":
            for node in ast.walk(stmt):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Name):
                    for top in tree.body:
                        if isinstance(top, ast.Assign) and len(top.targets) == 1 and \
                                isinstance(top.targets[0], ast.Name) and \
                                top.targets[0].id == node.value.id and \
                                isinstance(top.value, ast.Constant) and \
                                isinstance(top.value.value, str):
                            return top.value
    return None
