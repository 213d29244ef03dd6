"""What the rest of the module says about the scheduler class shown, read with ``ast``.

The window edits one scheduler class; its module may hold more: a base class
whose ``templateBody`` (built by code) gives the shown class its parameters,
or other scheduler classes ``registerTypes`` registers. Neither is the shown
class's own field, but the user must see them: the Parameters tab lists the
inherited parameters read-only, saying where they come from, and the header
names the other classes. User code is never run: a value is read when it is
a literal or built from literals by a few plain expressions (a list
comprehension over a tuple, ``dict(...)``, ``str.title()``…), else it is
said to be built by code.
"""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from typing import Any, Optional

_SCHEDULER_BASES = {"PyScheduler", "CallbackServerMixin"}
_STR_METHODS = {"title", "upper", "lower", "capitalize", "strip"}
_MAX_ITEMS = 1000


class _NotStatic(Exception):
    """The expression needs running code to be known."""


@dataclass(frozen=True)
class InheritedTemplate:
    """A templateBody the shown class inherits from a class of its module."""

    base: str                       # the class that defines it
    line: int                       # its ``def templateBody`` line in the module part
    parameters: Optional[list]      # dicts as templateBody lists them; None: built by code


def _classes(tree: ast.Module) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _base_names(cls: ast.ClassDef) -> list[str]:
    names = []
    for base in cls.bases:
        if isinstance(base, ast.Name):
            names.append(base.id)
        elif isinstance(base, ast.Attribute):
            names.append(base.attr)
    return names


def _method(cls: ast.ClassDef, name: str) -> Optional[ast.FunctionDef]:
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name),
                None)


def _parse(text: str) -> Optional[ast.Module]:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def inherited_template(module_part: str, bases: tuple[str, ...]) -> Optional[InheritedTemplate]:
    """The templateBody the shown class gets from ``bases`` defined in ``module_part``
    (the module prelude), or None (its own, or none there)."""
    tree = _parse(module_part)
    if tree is None:
        return None
    classes = _classes(tree)
    seen: set[str] = set()
    todo = list(bases)
    while todo:
        name = todo.pop(0)
        cls = classes.get(name)
        if cls is None or name in seen:
            continue
        seen.add(name)
        method = _method(cls, "templateBody")
        if method is not None:
            return InheritedTemplate(name, method.lineno, _static_parameters(method, tree))
        todo.extend(_base_names(cls))
    return None


def other_schedulers(module_text_parts: tuple[str, ...], shown: str,
                     bases: tuple[str, ...] = ()) -> list[str]:
    """Scheduler classes of the module besides ``shown``: those ``registerTypes``
    registers, else classes deriving (in the module) from PyScheduler or ``shown``;
    not the shown class's own ``bases`` and their bases."""
    registered: list[str] = []
    derived: list[str] = []
    ancestors: set[str] = set()
    trees = [t for t in (_parse(part) for part in module_text_parts) if t is not None]
    classes = {name: cls for tree in trees for name, cls in _classes(tree).items()}
    todo = list(bases)
    while todo:
        name = todo.pop()
        if name not in ancestors:
            ancestors.add(name)
            todo.extend(_base_names(classes[name]) if name in classes else ())
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == \
                    "registerScheduler" and node.args and isinstance(node.args[0], ast.Name):
                registered.append(node.args[0].id)
        for cls in _classes(tree).values():
            if set(_base_names(cls)) & (_SCHEDULER_BASES | {shown}):
                derived.append(cls.name)
    seen = {shown} | ancestors  # registered ones, else (no registerTypes) scheduler classes
    return [n for n in registered or derived if not (n in seen or seen.add(n))]


# -- reading a templateBody without running it ---------------------------------------
def _static_parameters(method: ast.FunctionDef, tree: ast.Module) -> Optional[list]:
    constants = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                 for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(method):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Call) and value.args and getattr(
                value.func, "attr", getattr(value.func, "id", "")) == "dumps":
            value = value.args[0]
        if isinstance(value, ast.Dict):  # only its "parameters" need be known
            for key, item in zip(value.keys, value.values):
                if isinstance(key, ast.Constant) and key.value == "parameters":
                    return _parameters_of(item, constants)
            return []
        try:
            body = _Eval(constants).value(value)
        except (_NotStatic, RecursionError):
            continue
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError:
                continue
        if isinstance(body, dict):
            return _plain(body.get("parameters") or [])
    return None


def _parameters_of(node: ast.expr, constants: dict) -> Optional[list]:
    try:
        return _plain(_Eval(constants).value(node))
    except (_NotStatic, RecursionError):
        return None


def _plain(value: Any) -> Optional[list]:
    if not isinstance(value, (list, tuple)):
        return None
    return [p for p in value if isinstance(p, dict) and p.get("name")]


class _Eval:
    """A few plain expressions over literals and the module's constants."""

    def __init__(self, constants: dict, names: Optional[dict] = None, depth: int = 0):
        self.constants, self.names, self.depth = constants, dict(names or {}), depth

    def value(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.value(e) for e in node.elts]
        if isinstance(node, ast.Dict) and None not in node.keys:
            return {self.value(k): self.value(v) for k, v in zip(node.keys, node.values)}
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return self.names[node.id]
            if node.id in self.constants and self.depth < 8:
                return _Eval(self.constants, depth=self.depth + 1).value(
                    self.constants[node.id])
            raise _NotStatic(node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.value(node.left) + self.value(node.right)
        if isinstance(node, ast.ListComp) and len(node.generators) == 1:
            gen = node.generators[0]
            if gen.ifs or gen.is_async or not isinstance(gen.target, ast.Name):
                raise _NotStatic("comprehension")
            items = self.value(gen.iter)
            if not isinstance(items, (list, tuple, str)) or len(items) > _MAX_ITEMS:
                raise _NotStatic("comprehension")
            return [_Eval(self.constants, {**self.names, gen.target.id: item},
                          self.depth).value(node.elt) for item in items]
        raise _NotStatic(type(node).__name__)

    def _call(self, node: ast.Call) -> Any:
        args = [self.value(a) for a in node.args]
        if any(k.arg is None for k in node.keywords):
            raise _NotStatic("**")
        kwargs = {k.arg: self.value(k.value) for k in node.keywords}
        func = node.func
        if isinstance(func, ast.Name) and func.id == "dict" and not args:
            return kwargs
        if isinstance(func, ast.Attribute) and func.attr in _STR_METHODS:
            target = self.value(func.value)
            if isinstance(target, str) and all(isinstance(a, (str, int)) for a in args):
                return getattr(target, func.attr)(*args, **kwargs)
        raise _NotStatic("call")
