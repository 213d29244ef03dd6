"""Which classes of a module are schedulers, and which one a document edits.

A module may hold several: a farm's base class and its GPU variant, or two
types ``registerTypes`` registers. Parse edits one of them (the first
registered, else the first defined, unless the caller names another); the
others stay in the prelude or trailer as written. The order here is the
order a chooser lists them in: registered ones as ``registerTypes``
registers them, then the rest as the file defines them.
"""
from __future__ import annotations

import ast
from typing import Optional, Union

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.codegen import template
from scheduler_studio.engine.codegen.errors import SchedulerClassError
from scheduler_studio.engine.codegen.source import decode, parse_tree


def scheduler_classes(data: Union[str, bytes],
                      filename: str = "<module>") -> list[tuple[str, Optional[str]]]:
    """(class name, the type name it is registered as, or None when
    ``registerTypes`` does not register it) for each scheduler class of the
    module. SchedulerParseError when the text is no Python."""
    tree = parse_tree(decode(data, filename), filename)
    return [(cls.name, None if call is None else registered_type(tree, cls, call))
            for cls, call in ordered(tree)]


def ordered(tree: ast.Module) -> list[tuple[ast.ClassDef, Optional[ast.Call]]]:
    """(class, the registerScheduler call registering it or None), in chooser order."""
    classes = [s for s in tree.body if isinstance(s, ast.ClassDef)]
    out: list[tuple[ast.ClassDef, Optional[ast.Call]]] = []
    seen: set[str] = set()
    for call in register_calls(tree):
        name = call.args[0].id
        named = [c for c in classes if c.name == name]
        if named and name not in seen:
            seen.add(name)
            out.append((named[-1], call))
    for cls in derived(classes):
        if cls.name not in seen:
            seen.add(cls.name)
            out.append((cls, None))
    return out


def derived(classes: list[ast.ClassDef]) -> list[ast.ClassDef]:
    """Classes deriving from a scheduler Houdini knows, or from one of those."""
    names: set[str] = set()
    found = []
    for cls in classes:
        if any(base_name(b) in catalogue.SCHEDULER_BASES or base_name(b) in names
               for b in cls.bases):
            names.add(cls.name)
            found.append(cls)
    return found


def register_calls(tree: ast.Module) -> list[ast.Call]:
    """``registerScheduler(Name, ...)`` calls of the (last) ``registerTypes``."""
    registers = [s for s in tree.body if isinstance(s, ast.FunctionDef)
                 and s.name == "registerTypes"]
    if not registers:
        return []
    calls = [node for node in ast.walk(registers[-1]) if isinstance(node, ast.Call)
             and _called(node) == "registerScheduler"]
    calls.sort(key=lambda c: (c.lineno, c.col_offset))
    return [c for c in calls if c.args and isinstance(c.args[0], ast.Name)]


def pick(tree: ast.Module, class_name: str, filename: str) -> tuple[ast.ClassDef,
                                                                   Optional[ast.Call]]:
    """The class named ``class_name`` and its call, or SchedulerClassError
    naming the scheduler classes there are."""
    choices = ordered(tree)
    for cls, call in choices:
        if cls.name == class_name:
            return cls, call
    names = [cls.name for cls, _ in choices]
    listed = ", ".join(names) if names else "none"
    raise SchedulerClassError(filename, 1, f"no scheduler class {class_name!r} in this "
                              f"module (its scheduler classes: {listed})", names)


def registered_type(tree: ast.Module, cls: ast.ClassDef, call: ast.Call) -> str:
    """The type name ``registerScheduler`` gives ``cls``, as far as the text says:
    its name= keyword, else what templateName returns (the class's own or an
    ancestor's in this module), else the class name in lower case."""
    for keyword in call.keywords:
        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant) and \
                isinstance(keyword.value.value, str):
            return keyword.value.value
    classes = {s.name: s for s in tree.body if isinstance(s, ast.ClassDef)}
    todo, seen = [cls], set()
    while todo:
        current = todo.pop(0)
        if current.name in seen:
            continue
        seen.add(current.name)
        for stmt in current.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == "templateName":
                return template.template_name(stmt) or _constant(tree, stmt) or \
                    cls.name.lower()
        todo.extend(classes[n] for n in map(base_name, current.bases) if n in classes)
    return cls.name.lower()


def base_name(node: ast.expr) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _called(node: ast.Call) -> Optional[str]:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _constant(tree: ast.Module, fn: ast.FunctionDef) -> Optional[str]:
    """The module constant ``fn`` returns by name, when it is a string."""
    value = template.returned(fn)
    if not isinstance(value, ast.Name):
        return None
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == value.id \
                and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            return stmt.value.value
    return None
