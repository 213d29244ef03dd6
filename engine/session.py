"""One test cook in this process: load a module, make its scheduler, cook a graph.

This is the engine's Python API (the cook host and the benchmarks use it). It runs user
code in-process: a callback that never returns blocks the caller, which is why the CLI
and the GUI cook through the cook host process instead.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Optional

from .cook import forkguard
from .cook.loop import CookLoop
from .cook.options import CookOptions
from .cook.summary import add_late_call
from .factory import ModuleLoadError, SchedulerType, TypeRegistry, is_scheduler_class, load_module
from .houdini.scene import attach as attach_scene
from .model.graph import GraphSpec, load_graph, resolve_graph
from .scheduler.state import SchedulerState


def pick_type(types: list[SchedulerType], name: Optional[str],
              class_name: Optional[str] = None, module: Any = None,
              notes: Optional[list[str]] = None) -> SchedulerType:
    """The type named `name`, or the one of class `class_name` (a scheduler class of
    `module` that registerTypes does not register is registered here, with a note),
    else the first registered."""
    if class_name is not None:
        return _type_of_class(types, class_name, module, notes)
    if name is None:
        return types[0]
    for stype in types:
        if stype.name == name:
            return stype
    reason = (f"no scheduler type {name!r} registered (has: "
              f"{', '.join(t.name for t in types)})")
    by_class = [t for t in types if t.cls.__name__ == name]
    if by_class:  # the class's name given for its type's
        reason += f"; {name} is the class of scheduler type {by_class[0].name!r}: " \
                  f"pass --type {by_class[0].name}"
    raise ModuleLoadError(types[0].module_file, None, reason)


def _type_of_class(types: list[SchedulerType], class_name: str, module: Any,
                   notes: Optional[list[str]]) -> SchedulerType:
    for stype in types:
        if stype.cls.__name__ == class_name:
            return stype
    cls = getattr(module, class_name, None)
    if module is None or not is_scheduler_class(cls):
        raise ModuleLoadError(types[0].module_file, None, f"no scheduler class {class_name!r} "
                              f"in the module (registered: "
                              f"{', '.join(t.cls.__name__ for t in types)})")
    registry = TypeRegistry(types[0].module_file)
    stype = registry.registerScheduler(cls)
    if notes is not None:
        notes.append(f"registerTypes does not register {class_name}: the cook registers it "
                     f"as type {stype.name!r}, as the module's HDA would")
    return stype


def create_scheduler(stype: SchedulerType, name: Optional[str] = None,
                     notes: Optional[list[str]] = None,
                     parameters: Optional[dict[str, Any]] = None):
    """Instantiate a registered scheduler with its parameters, as PDG would; ``hou``'s
    nodes then answer for it. `parameters`: the values given for the test cook; in
    Houdini the node's parameters exist before the scheduler does, so ``__init__`` and
    ``onStart`` already read them (raises `ParameterError` for a value of a wrong type)."""
    state = SchedulerState(stype.name, stype.module_file)
    state.notes.extend(notes or ())
    body = getattr(stype.cls, "templateBody", None)
    if callable(body):
        state.params.load_template(body())
    if parameters:
        state.params.apply_overrides(parameters)
    scheduler = stype.cls(state, name or stype.name)
    attach_scene(scheduler)
    return scheduler


class CookSession:
    """A scheduler instance for one or more cooks: onStart on creation, onStop at close."""

    def __init__(self, module_file: str, type_name: Optional[str] = None,
                 emit: Optional[Callable[[Any], None]] = None,
                 package_dir: Optional[str] = None, debugger: Any = None,
                 parameters: Optional[dict[str, Any]] = None,
                 class_name: Optional[str] = None):
        """`parameters`: the cook's values, set before ``onStart`` (a cook's own
        `CookOptions.parameters` then change only what differs from them);
        `class_name`: the scheduler class to cook, rather than a type name."""
        self.module_file = os.path.abspath(module_file)
        watched = self.module_file
        if os.path.isdir(watched):
            watched = os.path.join(watched, "__init__.py")
        forkguard.watch_module(watched)
        module, registry = load_module(self.module_file, package_dir, class_name)
        forked = forkguard.check_import()
        if forked:
            raise ModuleLoadError(self.module_file, *forked)
        self.module_file = watched
        self.stype = pick_type(registry.schedulers, type_name, class_name, module,
                               registry.notes)
        self.scheduler = create_scheduler(self.stype, notes=registry.notes,
                                          parameters=parameters)
        self.emit = emit
        self._loop: Optional[CookLoop] = None
        from .cook.invoker import CallbackInvoker
        self._invoker = CallbackInvoker(self.scheduler, self.module_file, emit, debugger)
        value, error = self._invoker.call("onStart")
        # PDG cooks nothing with a scheduler that did not start: every cook says why
        self.not_started: Optional[str] = None
        if error:
            self.not_started = f"onStart raised {error['message']}"
        elif value is False:
            self.not_started = "onStart returned False"
        self._cooks = 0

    def cook(self, graph: str | GraphSpec, options: Optional[CookOptions] = None,
             virtual: Any = None) -> dict[str, Any]:
        """`virtual`: a `cook.virtual_time.VirtualClock` for cooks whose reports all come
        from the loop's thread (tests, benches); None: real time."""
        spec = graph if isinstance(graph, GraphSpec) else load_graph(resolve_graph(graph))
        if self._cooks:
            self._invoker.counts.clear()
            self._invoker.errors.clear()
        self._cooks += 1
        debugger = self._invoker.debugger
        self._loop = CookLoop(self.scheduler, spec, options, self.emit, self.module_file,
                              self._invoker, clock=debugger.clock.now if debugger else None,
                              virtual=virtual, not_started=self.not_started)
        try:
            return self._loop.run()
        finally:
            self._loop = None

    def submit_as_job(self, graph_file: str, node_path: str) -> dict[str, Any]:
        """Call ``submitAsJob``; its answer in one form whatever the Houdini version:
        ``(status_uri, job_id)`` (20+), a status URI (before), or None."""
        value, error = self._invoker.call("submitAsJob", graph_file, node_path)
        if isinstance(value, (tuple, list)) and len(value) == 2:
            uri, job_id = value
        else:
            uri, job_id = value, ""
        return {"status_uri": str(uri or ""), "job_id": str(job_id or ""), "error": error}

    def cancel(self, reason: str = "cancelled") -> None:
        loop = self._loop
        if loop is not None:
            loop.request_cancel(reason)

    @property
    def loop(self) -> Optional[CookLoop]:
        return self._loop

    def close(self, summary: Optional[dict[str, Any]] = None) -> None:
        """Call onStop; with the last cook's `summary`, count the call and any error
        there (the summary was made before onStop ran)."""
        errors_before = len(self._invoker.errors)
        cut_before = len(self._invoker.interruptions)
        try:
            self._invoker.call("onStop")
        finally:
            if summary is not None:
                add_late_call(summary, self._invoker, "onStop", errors_before, cut_before)

    def __enter__(self) -> "CookSession":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def cook_module(module_file: str, graph: str | GraphSpec,
                options: Optional[CookOptions] = None,
                emit: Optional[Callable[[Any], None]] = None,
                type_name: Optional[str] = None,
                class_name: Optional[str] = None) -> dict[str, Any]:
    session = CookSession(module_file, type_name, emit,
                          parameters=options.parameters if options else None,
                          class_name=class_name)
    try:
        summary = session.cook(graph, options)
    except BaseException:
        session.close()
        raise
    session.close(summary)
    return summary
