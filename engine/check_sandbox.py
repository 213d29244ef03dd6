"""`schedstudio check` warnings about what the test cook will need to be given.

Farm schedulers import what only the farm has, may lack ``registerTypes`` (an HDA
registers them) and read parameters their HDA defines. None of that is an error in
Houdini, but the test cook needs stand-ins or values for it, and saying so before the
first cook saves the TD a round trip.
"""
from __future__ import annotations

import ast
import importlib.util
import json
import os
from typing import Iterable, Optional

from .catalogue import HOUDINI_SCHEDULERS, SCHEDULER_BASES
from .scheduler.params import BUILTIN_PARAMETERS
from .standins.missing import houdini_scheduler_label

PROVIDED = {"pdg", "pdgd", "pdgjob", "pdgutils", "hou", "local", "__future__"}
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def sandbox_problems(tree: ast.Module, filename: str, problem,
                     standins: Iterable[str] = (), stubs: Iterable[str] = (),
                     parms: Iterable[str] = (), class_name: Optional[str] = None) -> list:
    """Warnings as ``problem(line, column, message, code)`` objects. `standins`: more
    stand-in folders (``--standins``), `stubs`: modules given a recording stand-in
    (``--stub``; "*" every missing one), `parms`: names of parameters given values
    (``--parm``); with the ``NAME.standins`` folder beside a real `filename`, what the
    cook would find is not reported missing. `class_name` (``--class``): only that
    class and its bases in the module are read for parameters."""
    folder = _standins_folder(filename)
    given = _stood_in(filename, standins, stubs)
    out = []
    out += _missing_imports(tree, folder, problem, given)
    out += _register_types(tree, problem)
    out += _undeclared_parameters(tree, problem, set(parms), class_name)
    return out


def _standins_folder(filename: str) -> str:
    if not filename or filename.startswith("<"):
        return "NAME.standins/"
    from .standins import folder_beside
    return os.path.basename(folder_beside(filename)) + "/"


def _stood_in(filename: str, standins: Iterable[str], stubs: Iterable[str]):
    """Whether a cook of `filename` would give top-level module `root` a stand-in."""
    folders = [str(f) for f in standins]
    if filename and not filename.startswith("<") and os.path.isfile(filename):
        from .standins import folder_beside
        folders.insert(0, folder_beside(filename))
    folders = [f for f in folders if os.path.isdir(f)]
    stubs = set(stubs)

    def given(root: str) -> bool:
        if root in stubs or "*" in stubs:
            return True
        return any(os.path.isfile(os.path.join(f, root + ".py"))
                   or os.path.isfile(os.path.join(f, root, "__init__.py")) for f in folders)
    return given


# -- imports ---------------------------------------------------------------------------
def _guarded(tree: ast.Module) -> set[int]:
    """Ids of import nodes inside ``try: ... except ImportError`` (optional imports)."""
    guarded = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        names = set()
        for handler in node.handlers:
            kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            names |= {k.id for k in kinds if isinstance(k, ast.Name)}
            if handler.type is None:
                names.add("BaseException")
        if names & _IMPORT_ERRORS:
            for inner in node.body:
                guarded |= {id(n) for n in ast.walk(inner)}
    return guarded


def _available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _missing_imports(tree: ast.Module, folder: str, problem, given=lambda root: False) -> list:
    guarded = _guarded(tree)
    out, seen = [], set()
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            roots = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots = [node.module.split(".")[0]]
        else:
            continue
        for root in roots:
            if root in PROVIDED or root in seen or given(root) or _available(root):
                continue
            seen.add(root)
            if root in HOUDINI_SCHEDULERS:
                what = f"{houdini_scheduler_label(root)} is not part of the test cook"
            else:
                what = f"'{root}' is not on this machine, so the test cook cannot import it"
            out.append(problem(node.lineno, node.col_offset,
                               f"{what}: give it a stand-in ({root}.py in {folder} or in a "
                               f"folder given with --standins DIR) or record its calls "
                               f"(--stub {root})", "test-cook-import"))
    return out


# -- registerTypes ---------------------------------------------------------------------
def _scheduler_classes(tree: ast.Module) -> list[ast.ClassDef]:
    found = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "")
                     for b in node.bases}
            if bases & SCHEDULER_BASES:
                found.append(node)
    return found


def _register_types(tree: ast.Module, problem) -> list:
    if any(isinstance(n, ast.FunctionDef) and n.name == "registerTypes" for n in tree.body):
        return []
    classes = _scheduler_classes(tree)
    if not classes:
        return []
    names = ", ".join(c.name for c in classes)
    return [problem(classes[0].lineno, classes[0].col_offset,
                    f"no registerTypes(type_registry): Houdini's pdg/types loader will not "
                    f"register {names} (an HDA's PythonModule is registered by its HDA); "
                    "the test cook registers the one scheduler class as the HDA would",
                    "no-register-types")]


# -- parameters --------------------------------------------------------------------------
def _declared(classes: Iterable[ast.ClassDef]) -> set[str]:
    """Parameter names templateBody declares (dict literals or a JSON string), and the
    ones the module assigns (``self["p"] = v``)."""
    names = {name for name, *_ in BUILTIN_PARAMETERS}
    for cls in classes:
        for node in ast.walk(cls):
            if isinstance(node, ast.FunctionDef) and node.name == "templateBody":
                names |= _template_names(node)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
                name = _self_key(node)
                if name:
                    names.add(name)
    return names


def _template_names(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "name" and \
                        isinstance(value, ast.Constant) and isinstance(value.value, str):
                    names.add(value.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "{" in node.value:
            try:
                data = json.loads(node.value)
            except ValueError:
                continue
            for parm in data.get("parameters", []) if isinstance(data, dict) else []:
                if isinstance(parm, dict) and isinstance(parm.get("name"), str):
                    names.add(parm["name"])
    return names


def _self_key(node: ast.Subscript) -> Optional[str]:
    if isinstance(node.value, ast.Name) and node.value.id == "self" and \
            isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    return None


def _lineage(tree: ast.Module, class_name: str) -> list[ast.ClassDef]:
    """The class and the classes of the module it derives from (mixins too)."""
    defined = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    found, todo = [], [class_name]
    while todo:
        cls = defined.get(todo.pop(0))
        if cls is not None and cls not in found:
            found.append(cls)
            todo.extend(b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "")
                        for b in cls.bases)
    return found


def _undeclared_parameters(tree: ast.Module, problem, given: set[str],
                           class_name: Optional[str] = None) -> list:
    classes = _lineage(tree, class_name) if class_name else _scheduler_classes(tree)
    if not classes:
        return []
    declared = _declared(classes) | given
    out, seen = [], set()
    for cls in classes:
        for node in ast.walk(cls):
            if not isinstance(node, ast.Subscript) or not isinstance(node.ctx, ast.Load):
                continue
            name = _self_key(node)
            if name is None or name in declared or name in seen:
                continue
            seen.add(name)
            out.append(problem(node.lineno, node.col_offset,
                               f"self[{name!r}] reads a parameter no templateBody declares "
                               f"(one its HDA defines?): the test cook reads it as empty and "
                               f"fails the cook; give it a value with --parm {name}=VALUE, "
                               "--parms-file or the cook options", "undeclared-parameter"))
    return out
