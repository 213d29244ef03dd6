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
from .codegen.classes import base_name
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
            if {base_name(b) for b in node.bases} & SCHEDULER_BASES:
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


def _self_key(node: ast.Subscript, selves: frozenset = frozenset({"self"})) -> Optional[str]:
    if isinstance(node.value, ast.Name) and node.value.id in selves and \
            isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    return None


_SELF = frozenset({"self"})


def _scanned(tree: ast.Module, classes: list[ast.ClassDef]) -> list[tuple[ast.AST, frozenset]]:
    """(function, the names the scheduler goes by in it): the classes' methods (``self``),
    and the module's helper functions the methods hand ``self`` to (``def _queue(sched):
    return sched["queue"]``, called ``_queue(self)``), under that parameter's name."""
    methods = [f for cls in classes for f in ast.walk(cls)
               if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
    helpers = {f.name: f for f in tree.body if isinstance(f, (ast.FunctionDef,
                                                                ast.AsyncFunctionDef))}
    found: dict[str, set[str]] = {}
    todo = [(f, _SELF) for f in methods]
    scanned = list(todo)
    while todo:  # a helper handing the scheduler on to another helper counts too
        function, selves = todo.pop()
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id in helpers):
                continue
            helper = helpers[call.func.id]
            params = [a.arg for a in helper.args.posonlyargs + helper.args.args]
            names = {params[i] for i, arg in enumerate(call.args[:len(params)])
                     if isinstance(arg, ast.Name) and arg.id in selves}
            names |= {k.arg for k in call.keywords if k.arg in params
                      and isinstance(k.value, ast.Name) and k.value.id in selves}
            new = names - found.get(helper.name, set())
            if new:
                found.setdefault(helper.name, set()).update(new)
                todo.append((helper, frozenset(new)))
    scanned += [(helpers[name], frozenset(names)) for name, names in found.items()]
    return scanned


def _lineage(tree: ast.Module, class_name: str) -> list[ast.ClassDef]:
    """The class and the classes of the module it derives from (mixins too)."""
    defined = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    found, todo = [], [class_name]
    while todo:
        cls = defined.get(todo.pop(0))
        if cls is not None and cls not in found:
            found.append(cls)
            todo.extend(base_name(b) for b in cls.bases)
    return found


def cooked_class(tree: ast.Module) -> Optional[str]:
    """The scheduler class a cook without ``--class`` or ``--type`` cooks, as far as the
    text says (`scheduler_studio.engine.session.pick_type`, `factory.load_module`): the
    first one ``registerTypes`` registers; without ``registerTypes``, the one class no
    other scheduler class of the module derives from. None when the text cannot tell
    (it registers a class it imports; several such classes: the cook refuses)."""
    from .codegen.classes import derived, ordered
    if any(isinstance(n, ast.FunctionDef) and n.name == "registerTypes" for n in tree.body):
        registered = [cls.name for cls, call in ordered(tree) if call is not None]
        return registered[0] if registered else None
    found = derived([n for n in tree.body if isinstance(n, ast.ClassDef)])
    bases = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "")
             for cls in found for b in cls.bases}
    leaves = [cls.name for cls in found if cls.name not in bases]
    return leaves[0] if len(leaves) == 1 else None


def checked_lineages(tree: ast.Module, class_name: Optional[str] = None
                     ) -> list[list[ast.ClassDef]]:
    """The classes whose parameter reads are checked, one list per scheduler class
    checked (the class, then what it inherits from the module's classes): `class_name`'s,
    else the class a cook cooks (`cooked_class`), else every scheduler class's."""
    from .codegen.classes import derived
    name = class_name or cooked_class(tree)
    if name:
        return [_lineage(tree, name)]
    return [_lineage(tree, cls.name)
            for cls in derived([n for n in tree.body if isinstance(n, ast.ClassDef)])]


# The reads of a parameter the cook records when nobody defined it (every one goes
# through `scheduler.params.ParameterSet.get_port`, which names them in the summary's
# "undefined_parameters"): ``self["p"]`` (PyScheduler.__getitem__), and ``parm("p")`` or
# ``evalParm("p")`` of the scheduler's own TOP node (`houdini.scene.HouNode.parm`, whatever
# is then called on the parm: eval, evalAsString, ...). The TOP node is what these give,
# directly, in a local variable or in an attribute of ``self``. A graph node's TOP node
# (``work_item.node.topNode()``) is not one: its parameters are the graph file's.
# tests/engine/test_check_parm_reads.py cooks each shape to keep this and the cook agreed.
PARM_READERS = ("parm", "evalParm")   # NODE.parm("p"), NODE.evalParm("p")
NODE_METHODS = ("topNode", "node")    # self.topNode(), self.node(): the scheduler's node
HOU_NODE_CALLS = ("pwd",)             # hou.pwd(): the scheduler's node in a test cook
# hou.node(NODE.path()) is NODE again


class _NodeNames:
    """Which expressions stand for the scheduler's TOP node in some classes."""

    def __init__(self, tree: ast.Module, functions: list[tuple[ast.AST, frozenset]]):
        self.hou = {alias.asname or alias.name for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names
                    if alias.name == "hou"}
        self.attributes: set[str] = set()     # self.ATTR = NODE somewhere in the classes
        self.local: dict[int, set[str]] = {}  # id(function) -> NAME = NODE in it
        changed = True
        while changed:  # a name assigned from a name assigned a node, in any order
            changed = False
            for function, selves in functions:
                names = self.local.setdefault(id(function), set())
                for node in ast.walk(function):
                    if not isinstance(node, ast.Assign) or \
                            not self.is_node(node.value, names, selves):
                        continue
                    for target in node.targets:
                        if isinstance(target, ast.Name) and target.id not in names:
                            names.add(target.id)
                            changed = True
                        elif _is_self_attribute(target, selves) and \
                                target.attr not in self.attributes:
                            self.attributes.add(target.attr)
                            changed = True

    def is_node(self, expr: ast.expr, names: set[str], selves: frozenset = _SELF) -> bool:
        if isinstance(expr, ast.Name):
            return expr.id in names
        if _is_self_attribute(expr, selves):
            return expr.attr in self.attributes
        if not isinstance(expr, ast.Call) or not isinstance(expr.func, ast.Attribute):
            return False
        func, args = expr.func, expr.args
        if isinstance(func.value, ast.Name) and func.value.id in selves:
            return func.attr in NODE_METHODS and not args
        if isinstance(func.value, ast.Name) and func.value.id in self.hou:
            if func.attr in HOU_NODE_CALLS:
                return not args
            if func.attr == "node" and len(args) == 1:
                path = args[0]   # hou.node(NODE.path())
                return isinstance(path, ast.Call) and isinstance(path.func, ast.Attribute) \
                    and path.func.attr == "path" and self.is_node(path.func.value, names,
                                                                   selves)
        return False


def _is_self_attribute(expr: ast.expr, selves: frozenset = _SELF) -> bool:
    return isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and \
        expr.value.id in selves


def parameter_reads(tree: ast.Module, classes: list[ast.ClassDef]
                    ) -> list[tuple[str, ast.AST, str]]:
    """(parameter name, where, how it is read: ``self['p']``, ``parm('p')``) for every read
    in `classes` the cook would record (`PARM_READERS`), in the order of the source."""
    functions = _scanned(tree, classes)
    nodes = _NodeNames(tree, functions)
    reads, seen = [], set()
    for function, selves in functions:
        names = nodes.local.get(id(function), set())
        for node in ast.walk(function):
            if id(node) in seen:   # a method nested in a method is walked twice
                continue
            seen.add(id(node))
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                name = _self_key(node, selves)
                if name is not None:
                    reads.append((name, node, f"{node.value.id}[{name!r}]"))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in PARM_READERS and len(node.args) >= 1 \
                    and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) \
                    and nodes.is_node(node.func.value, names, selves):
                name = node.args[0].value
                reads.append((name, node.args[0], f"{node.func.attr}({name!r})"))
    reads.sort(key=lambda read: (read[1].lineno, read[1].col_offset))
    return reads


def _undeclared_parameters(tree: ast.Module, problem, given: set[str],
                           class_name: Optional[str] = None) -> list:
    out, seen = [], set()
    for classes in checked_lineages(tree, class_name):
        declared = _declared(classes) | given
        for name, node, how in parameter_reads(tree, classes):
            if name in declared or name in seen:
                continue
            seen.add(name)
            out.append(problem(node.lineno, node.col_offset,
                               f"{how} reads a parameter no templateBody declares "
                               f"(one its HDA defines?): the test cook reads it as empty and "
                               f"fails the cook; give it a value with --parm {name}=VALUE, "
                               "--parms-file or the cook options", "undeclared-parameter"))
    return out
