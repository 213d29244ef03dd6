"""Lint a scheduler module: syntax, pyflakes, and the pdg names it uses.

The pdg names are checked against the emulated ``pdg`` package: a module
that imports or uses a name it does not have cannot run in the test cook,
and (the emulation follows Houdini's API) most likely not in Houdini either.
`Problem` lines are 1-based, columns 0-based (as the editor widget takes them); the
CLI prints columns 1-based, as editors and the window's status bar count.
"""
from __future__ import annotations

import ast
import importlib
import warnings
from dataclasses import dataclass
from types import ModuleType
from typing import Iterable, Optional, Union

from pyflakes import checker

from scheduler_studio.engine import compatpath
from scheduler_studio.engine.check_sandbox import sandbox_problems
from scheduler_studio.engine.codegen.errors import SchedulerParseError
from scheduler_studio.engine.codegen.source import decode, python2_hint
from scheduler_studio.engine.columns import character_column

ROOTS = ("pdg", "pdgutils", "pdgd", "pdgjob")
_BROKEN = object()  # an emulated module that fails to import: not judged


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    severity: str  # "error" | "warning"
    message: str
    code: str

    def character_column(self, line_text: str) -> int:
        """The column in characters of ``line_text`` (the problem's line), as editors
        and `file:line:col` readers count: a line with "é" before the name is one
        shorter in characters than in bytes."""
        return character_column(self.code, self.column, line_text)


def check_source(text: Union[str, bytes], filename: str = "<module>",
                 standins: Iterable[str] = (), stubs: Iterable[str] = (),
                 parms: Iterable[str] = (), class_name: Optional[str] = None) -> list[Problem]:
    """Every problem found in ``text``, sorted by position. `standins`, `stubs`, `parms`
    (names): what a cook would be given (``--standins``, ``--stub``, ``--parm``; see
    `check_sandbox`); `class_name`: the scheduler class it cooks (``--class``), whose
    parameters are the ones checked."""
    try:
        text = decode(text, filename)
    except SchedulerParseError as exc:
        return [Problem(exc.line, 0, "error", exc.message, "unreadable")]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tree = ast.parse(text, filename=filename)
    except SyntaxError as exc:
        return [_syntax_problem(text, exc)]
    except (ValueError, RecursionError, MemoryError) as exc:
        return [Problem(1, 0, "error", f"cannot be read as Python: "
                        f"{type(exc).__name__}", "syntax-error")]
    try:
        messages = checker.Checker(tree, filename=filename).messages
    except RecursionError:  # valid Python (it compiles), too deep for pyflakes
        return [Problem(1, 0, "warning", "the code is nested too deeply to be checked; "
                        "no other problems are shown", "too-deep")]
    problems = [Problem(m.lineno, m.col, "warning", m.message % m.message_args,
                        type(m).__name__)
                for m in messages]
    problems += [Problem(w.lineno, 0, "warning", str(w.message),
                         w.category.__name__) for w in caught]
    problems += PdgNames().check(tree)
    problems += hou_names(tree)
    problems += sandbox_problems(tree, filename, _warning, standins, stubs, parms,
                                 class_name)
    problems += async_callbacks(tree)
    return sorted(problems, key=lambda p: (p.line, p.column, p.code))


def _warning(line: int, column: int, message: str, code: str) -> Problem:
    return Problem(line, column, "warning", message, code)


def async_callbacks(tree: ast.Module) -> list[Problem]:
    """Callbacks written ``async def``: PDG calls them and never awaits the coroutine,
    so their body never runs (the test cook reports each call as an error)."""
    from scheduler_studio.engine.catalogue import by_name
    problems = []
    for klass in ast.walk(tree):
        if not isinstance(klass, ast.ClassDef):
            continue
        for node in klass.body:
            if isinstance(node, ast.AsyncFunctionDef) and by_name(node.name) is not None:
                problems.append(Problem(
                    node.lineno, node.col_offset, "warning",
                    f"{node.name} is an async def: PDG calls it without awaiting what it "
                    "returns, so its body never runs; make it a plain def",
                    "async-callback"))
    return problems


def hou_names(tree: ast.Module) -> list[Problem]:
    """``hou.NAME`` uses the test cook's ``hou`` does not emulate: fine in Houdini, but
    the test cook raises "not available" when the line runs. (Every ``hou`` name
    imports, so only a look at what the emulation defines can tell.)"""
    bound = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.Import) for alias in node.names if alias.name == "hou"}
    if not bound:
        return []
    try:
        compatpath.install()
        hou = importlib.import_module("hou")
    except Exception:  # noqa: BLE001 - no emulation to judge by
        return []
    from scheduler_studio.engine.houdini.errors import looks_like_exception
    defined = set(vars(hou))
    problems, seen = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id in bound and node.attr not in defined and \
                not looks_like_exception(node.attr) and node.attr not in seen:
            seen.add(node.attr)
            problems.append(Problem(node.lineno, node.col_offset, "warning",
                                    f"hou.{node.attr} is not emulated in the test cook: "
                                    "the cook stops with \"not available\" when this line "
                                    "runs (Houdini has it)", "hou-name"))
    return problems


def _syntax_problem(text: str, exc: SyntaxError) -> Problem:
    line = exc.lineno or 1
    column = max((exc.offset or 1) - 1, 0)
    hint = python2_hint(text, exc)
    if hint:
        return Problem(hint[0], 0 if hint[0] != line else column, "error",
                       f"Python 2 code ({hint[1]}): port it to Python 3",
                       "python2")
    return Problem(line, column, "error", exc.msg, "syntax-error")


class PdgNames:
    """Finds imports and attribute uses of pdg names the emulation lacks."""

    CODE = "pdg-name"

    def __init__(self):
        self.modules: dict[str, object] = {}

    def module(self, dotted: str):
        """The emulated module ``dotted``, None when there is none, or
        ``_BROKEN`` when it exists but fails to import."""
        if dotted not in self.modules:
            try:
                self.modules[dotted] = importlib.import_module(dotted)
            except ImportError:
                self.modules[dotted] = None
            except Exception:
                self.modules[dotted] = _BROKEN
        return self.modules[dotted]

    def check(self, tree: ast.Module) -> list[Problem]:
        try:
            compatpath.compat_pdg()
        except Exception:
            return []
        problems, bound = [], {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] not in ROOTS:
                        continue
                    if self.module(alias.name) is None:
                        problems.append(self.problem(node, alias.name))
                    elif alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        bound[root] = root
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and \
                    node.module and node.module.split(".")[0] in ROOTS:
                problems += self.check_from(node, bound)
        problems += self.check_attributes(tree, bound)
        return problems

    def check_from(self, node: ast.ImportFrom, bound: dict) -> list[Problem]:
        module = self.module(node.module)
        if module is None:
            return [self.problem(node, node.module)]
        if module is _BROKEN:
            return []
        problems = []
        for alias in node.names:
            if alias.name == "*":
                continue
            dotted = f"{node.module}.{alias.name}"
            if _has(module, alias.name):
                if isinstance(getattr(module, alias.name), ModuleType):
                    bound[alias.asname or alias.name] = dotted
            elif self.module(dotted) is not None:
                bound[alias.asname or alias.name] = dotted
            else:
                problems.append(self.problem(node, dotted))
        return problems

    def check_attributes(self, tree: ast.Module, bound: dict) -> list[Problem]:
        problems, seen = [], set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            chain = []
            root = node
            while isinstance(root, ast.Attribute):
                chain.append(root.attr)
                root = root.value
            if not isinstance(root, ast.Name) or root.id not in bound:
                continue
            missing = self.resolve(bound[root.id], chain[::-1])
            if missing and (node.lineno, missing) not in seen:
                seen.add((node.lineno, missing))
                problems.append(self.problem(node, missing))
        return problems

    def resolve(self, dotted: str, attrs: list[str]) -> Optional[str]:
        """The first dotted name along ``attrs`` that does not exist."""
        obj = self.module(dotted)
        for attr in attrs:
            dotted = f"{dotted}.{attr}"
            if isinstance(obj, ModuleType):
                if _has(obj, attr):
                    obj = getattr(obj, attr)
                elif self.module(dotted) is not None:
                    obj = self.module(dotted)
                else:
                    return dotted
            elif isinstance(obj, type):
                if not _has(obj, attr):
                    return dotted
                obj = getattr(obj, attr)
            else:
                return None
        return None

    def problem(self, node: ast.AST, dotted: str) -> Problem:
        return Problem(node.lineno, node.col_offset, "error",
                       f"'{dotted}' is not in Houdini's pdg API as the test "
                       "cook knows it", self.CODE)


def _has(obj, attr: str) -> bool:
    """Whether ``obj.attr`` exists; a name that exists but raises when used
    (the emulation's "not available in the test cook") counts as existing."""
    try:
        getattr(obj, attr)
    except AttributeError:
        return False
    except Exception:
        return True
    return True
