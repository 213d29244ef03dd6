"""Completions and call tips from jedi, computed off the GUI thread.

One ``CompletionProvider`` serves every editor of the window. Requests get an
id; a newer request of the same kind makes the older ones stale, so they are
skipped before jedi runs and never emitted. jedi runs in this process
(``InterpreterEnvironment``: no helper subprocess) on a one-thread pool, since
it is not thread-safe. Callback parameters such as ``work_item`` carry no
annotation in a scheduler module, so known names are annotated on the fly
(``annotate_parameters``) for jedi to know ``work_item`` is a ``pdg.WorkItem``.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

log = logging.getLogger(__name__)

DEFAULT_PARAM_TYPES: dict[str, str] = {
    "work_item": "pdg.WorkItem",
    "work_items": "list[pdg.WorkItem]",
    "ready_items": "list[pdg.WorkItem]",
    "dependencies": "dict[pdg.WorkItem, list[pdg.WorkItem]]",
    "dependents": "dict[pdg.WorkItem, list[pdg.WorkItem]]",
}
COMPLETE, CALL_TIP, DEFINITION = "complete", "call_tip", "definition"
# Names of the emulation (engine code, not the compat packages) that look like PDG's own:
# PDG spells its API in camelCase, so snake_case names there are ours, except these.
PUBLIC_SNAKE_NAMES = frozenset({"custom_port_range"})
_SNAKE = re.compile(r"[a-z0-9]_[a-z0-9]")
_DEF = re.compile(r"^\s*(async\s+)?def\s+\w+\s*\(")
_WORD_END = re.compile(r"[A-Za-z_0-9]*$")


@dataclass(frozen=True)
class Completion:
    """One completion: the full name and jedi's kind ("function", "module", …)."""

    name: str
    kind: str


@dataclass(frozen=True)
class CallTip:
    """A signature as text, the character span of the current parameter, and
    where its call's '(' is (1-based line, 0-based column, as in the request)."""

    text: str
    highlight: tuple[int, int] = (0, 0)
    bracket: tuple[int, int] | None = None


def annotate_parameters(source: str, param_types: Mapping[str, str],
                        skip_line: int | None = None) -> str:
    """Add ``name: "Type"`` to un-annotated parameters named in ``param_types``.

    Only one-line ``def`` headers are touched, never ``skip_line`` (1-based,
    the line being completed), so no line numbers and no columns of the
    requested position move.
    """
    if not param_types:
        return source
    names = "|".join(re.escape(n) for n in param_types)
    param = re.compile(rf"(?<![\w.=:*])({names})(?=\s*[,)=])")
    lines = source.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        if number == skip_line or not _DEF.match(line):
            continue
        open_at, close_at = line.index("("), line.rfind(")")
        if close_at < open_at:
            continue
        params = param.sub(lambda m: f'{m.group(1)}: "{param_types[m.group(1)]}"',
                           line[open_at:close_at + 1])
        lines[number - 1] = line[:open_at] + params + line[close_at + 1:]
    return "".join(lines)


def studio_sys_path() -> list[str]:
    """What jedi needs besides ``sys.path``: the emulated pdg, and the engine it imports
    (as plain folders: see ``package_files.source_root``)."""
    from scheduler_studio.engine.appdirs import cache_dir
    from scheduler_studio.engine.compatpath import COMPAT_DIR
    from scheduler_studio.engine.package_files import source_root

    return [str(COMPAT_DIR), str(source_root(cache_dir() / "source-view"))]


@dataclass(frozen=True)
class Definition:
    """Where a name is defined. ``in_module``: in the source asked about (1-based
    ``line``, 0-based ``column`` there); else in pdg/hou or a library, described by
    ``signature`` and the first paragraph of its docstring, ``doc``."""

    name: str
    kind: str
    in_module: bool
    line: int | None = None
    column: int | None = None
    signature: str = ""
    doc: str = ""

    def summary(self) -> str:
        """A line or two for a tooltip: the signature (or the name) and the doc."""
        head = self.signature or f"{self.kind} {self.name}"
        return f"{head}\n{self.doc}" if self.doc else head


class CompletionProvider(QObject):
    """jedi completions and signatures on a worker thread, results as signals.

    ``line`` is 1-based and ``column`` 0-based (in characters), as in jedi.
    Call ``shutdown()`` before the provider goes away (the app's aboutToQuit
    does it), so no worker emits into a deleted object.
    """

    sig_completions_ready = Signal(int, list)
    """(request id, list[Completion]) for the newest ``complete`` request."""

    sig_call_tips_ready = Signal(int, list)
    """(request id, list[CallTip]) for the newest ``signatures`` request."""

    sig_definitions_ready = Signal(int, list)
    """(request id, list[Definition]) for the newest ``definitions`` request."""

    def __init__(self, sys_path_extra: Iterable[str] = (),
                 param_types: Mapping[str, str] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        extra = [str(p) for p in sys_path_extra]
        self._sys_path = [*extra, *sys.path]
        self._project_dir = extra[0] if extra else os.getcwd()
        self._param_types = dict(DEFAULT_PARAM_TYPES if param_types is None else param_types)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._next_id = 0
        self._latest = {COMPLETE: 0, CALL_TIP: 0, DEFINITION: 0}
        self._closed = False
        self._jedi = None  # (jedi module, Project, Environment), made in the worker
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def complete(self, source: str, line: int, column: int, private: bool = False) -> int:
        """Queue a completion request; the result comes as ``sig_completions_ready``.

        Names starting with "_" come only when the word typed does, or with ``private``.
        Names the emulated pdg/hou define for their own use never come (see
        ``is_emulation_internal``): only PDG's public API and the module's own names.
        """
        return self._submit(COMPLETE, source, line, column, private=private)

    def signatures(self, source: str, line: int, column: int) -> int:
        """Queue a call-tip request; the result comes as ``sig_call_tips_ready``."""
        return self._submit(CALL_TIP, source, line, column)

    def definitions(self, source: str, line: int, column: int) -> int:
        """Queue a go-to-definition request; the result comes as ``sig_definitions_ready``."""
        return self._submit(DEFINITION, source, line, column)

    def warm_up(self) -> None:
        """Load jedi and the builtins in the background, so the first '.' is quick."""
        self._submit(COMPLETE, "import pdg\npdg.", 2, 4, emit=False)

    def is_busy(self) -> bool:
        return self._pool.activeThreadCount() > 0

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until queued requests finished (tests, shutdown); False on timeout."""
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Drop queued requests and wait for the running one; no signal comes after."""
        with self._lock:
            self._closed = True
        self._pool.clear()
        self._pool.waitForDone()

    # -- worker side ---------------------------------------------------------------
    def _submit(self, kind: str, source: str, line: int, column: int, emit: bool = True,
                private: bool = False) -> int:
        with self._lock:
            if self._closed:
                return -1
            self._next_id += 1
            request_id = self._next_id
            self._latest[kind] = request_id
        self._pool.start(lambda: self._run(kind, request_id, source, line, column, emit, private))
        return request_id

    def _is_current(self, kind: str, request_id: int) -> bool:
        with self._lock:
            return not self._closed and self._latest[kind] == request_id

    def _run(self, kind: str, request_id: int, source: str, line: int, column: int,
             emit: bool, private: bool = False) -> None:
        if not self._is_current(kind, request_id):
            return  # a newer request replaced this one while it waited
        try:
            if kind == COMPLETE:
                result = self._completions(source, line, column, private)
            elif kind == DEFINITION:
                result = self._definitions(source, line, column)
            else:
                result = self._call_tips(source, line, column)
        except Exception:  # jedi on half-typed code must never break the editor
            log.exception("jedi %s failed at %d:%d", kind, line, column)
            result = []
        if emit and self._is_current(kind, request_id):
            signal = {COMPLETE: self.sig_completions_ready, CALL_TIP: self.sig_call_tips_ready,
                      DEFINITION: self.sig_definitions_ready}[kind]
            signal.emit(request_id, result)

    def _script(self, source: str, line: int):
        if self._jedi is None:
            import jedi  # imported on the worker thread: keeps app start-up fast

            project = jedi.Project(self._project_dir, sys_path=self._sys_path,
                                   smart_sys_path=False)
            self._jedi = (jedi, project, jedi.InterpreterEnvironment())
        jedi, project, environment = self._jedi
        code = annotate_parameters(source, self._param_types, skip_line=line)
        return jedi.Script(code, project=project, environment=environment)

    def _completions(self, source: str, line: int, column: int,
                     private: bool = False) -> list[Completion]:
        lines = source.splitlines()
        text = lines[line - 1][:column] if 0 < line <= len(lines) else ""
        typed = _WORD_END.search(text).group(0)
        found = []
        for item in self._script(source, line).complete(line, column):
            if item.name.startswith("_") and not (private or typed.startswith("_")):
                continue  # private and dunder names only when asked for with "_"
            if is_emulation_internal(item.name, item.module_path):
                continue
            found.append(Completion(item.name, item.type))
        return found

    def _definitions(self, source: str, line: int, column: int) -> list[Definition]:
        script = self._script(source, line)
        names = script.goto(line, column, follow_imports=True) or script.infer(line, column)
        found = []
        for name in names:
            in_module = name.module_path is None and name.line is not None
            signature = ""
            if not in_module:
                try:
                    signature = next((s.to_string() for s in name.get_signatures()), "")
                except Exception:  # jedi on odd objects; the name alone is fine
                    signature = ""
            doc = name.docstring(raw=True).strip().split("\n\n")[0] if not in_module else ""
            found.append(Definition(name.name, name.type, in_module, name.line, name.column,
                                    signature, doc))
        return found

    def _call_tips(self, source: str, line: int, column: int) -> list[CallTip]:
        tips = []
        for signature in self._script(source, line).get_signatures(line, column):
            text = signature.to_string()
            span = _param_span(text, [p.to_string() for p in signature.params], signature.index)
            tips.append(CallTip(text, span, tuple(signature.bracket_start)))
        return tips


def _engine_dirs():
    from scheduler_studio.engine.compatpath import COMPAT_DIR
    from scheduler_studio.engine.package_files import engine_dir

    return engine_dir().resolve(), COMPAT_DIR.resolve()


_ENGINE_DIRS = None


def is_emulation_internal(name: str, module_path) -> bool:
    """True for a name the test cook's emulation defines that Houdini's pdg/hou lack.

    The compat packages (``pdg``, ``hou``…) are the API by design: only their "_" names
    are hidden. The engine code they re-export also has its own helpers: "_" names
    (``_pdg_state``, ``_report``) and snake_case ones (``attributes_json``); PDG spells
    its API in camelCase. Dunders, and the "_" names Houdini documents for subclasses
    (``_verboseLog``), stay. A name of the user's module (no path) is never hidden.
    """
    if module_path is None or (name.startswith("__") and name.endswith("__")):
        return False
    global _ENGINE_DIRS
    if _ENGINE_DIRS is None:
        _ENGINE_DIRS = _engine_dirs()
    engine, compat = _ENGINE_DIRS
    try:
        path = Path(module_path).resolve()
    except (OSError, RuntimeError):
        return False
    if not path.is_relative_to(engine):
        return False
    from scheduler_studio.engine.stubs import HOUDINI_PRIVATE_API

    if name.startswith("_"):
        return name not in HOUDINI_PRIVATE_API
    return not path.is_relative_to(compat) and bool(_SNAKE.search(name)) \
        and name not in PUBLIC_SNAKE_NAMES


def _param_span(text: str, params: list[str], index: int | None) -> tuple[int, int]:
    """Character span of parameter ``index`` inside the signature ``text``."""
    if index is None or not 0 <= index < len(params):
        return (0, 0)
    pos = text.find("(") + 1
    for i, param in enumerate(params):
        found = text.find(param, pos)
        if found < 0:
            return (0, 0)
        if i == index:
            return (found, found + len(param))
        pos = found + len(param)
    return (0, 0)
