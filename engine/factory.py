"""The scheduler factory: load scheduler modules, collect what they register.

Modules are found in ``pdg/types`` folders, as Houdini finds them. A module that fails
to import is reported with file, line and reason (`ModuleLoadError`), never as a bare
traceback, and does not stop the others from loading.
"""
from __future__ import annotations

import importlib.util
import itertools
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional


from . import compatpath

_module_ids = itertools.count(1)


class ModuleLoadError(Exception):
    """A scheduler module that could not be loaded; names file, line and reason.
    ``missing_module``: the module it imports that this machine lacks (a stand-in
    would let it load)."""

    def __init__(self, file: str, line: Optional[int], reason: str,
                 missing_module: Optional[str] = None):
        self.file, self.line, self.reason = file, line, reason
        self.missing_module = missing_module
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass
class SchedulerType:
    name: str
    cls: type
    label: str
    parm_category: str = ""
    tags: list = field(default_factory=list)
    pySerializationModule: Any = None
    module_file: str = ""


class TypeList(list):
    """What ``types()`` returns: the registered types, plus the registry-wide members
    schedulers read from it (``.tags``, ``.pySerializationModule``)."""

    tags: list = []
    pySerializationModule: Any = None


class _ClassOrInstance:
    """A method that also works called on the class (``pdg.TypeRegistry.types()``)."""

    def __init__(self, fn):
        self.fn = fn

    def __get__(self, obj: Any, owner: type):
        return lambda *args, **kwargs: self.fn(owner, obj, *args, **kwargs)


class TypeRegistry:
    """What ``registerTypes(type_registry)`` receives (Houdini: ``pdg.TypeRegistry``)."""

    everything: list = []   # every type registered in this process, for class-level types()

    def __init__(self, module_file: str = ""):
        self.module_file = module_file
        self.schedulers: list[SchedulerType] = []
        self.notes: list[str] = []   # how the module was registered, when it is unusual
        self.extension_tags: list[tuple] = []
        self.cache_handlers: list[tuple] = []

    def registerScheduler(self, cls: type, label: Optional[str] = None,
                          name: Optional[str] = None, parm_category: Optional[str] = None,
                          **_: Any) -> SchedulerType:
        type_name = name or _template_name(cls)
        entry = SchedulerType(type_name, cls, label or type_name, parm_category or "",
                              module_file=self.module_file)
        self.schedulers.append(entry)
        TypeRegistry.everything.append(entry)
        return entry

    @_ClassOrInstance
    def types(cls, self: Optional["TypeRegistry"], *args: Any) -> TypeList:
        return TypeList(self.schedulers if self is not None else cls.everything)

    def addTag(self, *args: Any, **kwargs: Any) -> None:
        return None

    def addExtensionTag(self, *args: Any, **kwargs: Any) -> None:
        self.extension_tags.append(args)

    def registerCacheHandler(self, *args: Any, **kwargs: Any) -> None:
        self.cache_handlers.append(args)

    def registerNode(self, *args: Any, **kwargs: Any) -> None:
        return None


def _template_name(cls: type) -> str:
    fn = getattr(cls, "templateName", None)
    if callable(fn):
        try:
            return str(fn())
        except Exception:  # noqa: BLE001 - fall back to the class name
            pass
    return cls.__name__.lower()


_EMULATED = ("pdg", "pdgd", "pdgjob", "pdgutils")  # top-level modules of the emulation


def _load_error(exc: BaseException, file: str) -> ModuleLoadError:
    """The `ModuleLoadError` of an import failure; a missing farm library says which
    and how to give the test cook a stand-in for it."""
    from .standins import missing_import
    missing = missing_import(exc, file)
    if missing is not None:
        return ModuleLoadError(missing["file"], missing["line"], missing["message"],
                               missing["module"])
    return ModuleLoadError(*_describe(exc, file))


def _describe(exc: BaseException, file: str) -> tuple[str, Optional[int], str]:
    """(file, line, reason) of an import failure, in the module's own terms."""
    if isinstance(exc, SyntaxError):
        where = exc.filename if exc.filename and os.path.isfile(exc.filename) else file
        hint = _python2_hint(where, exc)
        if hint:
            return where, hint[0], (f"this is Python 2 code ({hint[1]}); Houdini 19+ "
                                    "runs Python 3")
        return where, exc.lineno, f"syntax error: {exc.msg or 'invalid syntax'}"
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename) == os.path.abspath(file):
            line = frame.lineno
    reason = f"{type(exc).__name__}: {exc}"
    missing = _missing_pdg_name(exc)
    if missing:
        reason = f"{missing} is not available in the test cook ({reason})"
    return file, line, reason


def _python2_hint(file: str, exc: SyntaxError) -> Optional[tuple[int, str]]:
    from .codegen.source import python2_hint  # the one place that knows Python 2 habits
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    return python2_hint(text, exc)


def _missing_pdg_name(exc: BaseException) -> Optional[str]:
    """``pdg.x`` when `exc` is an import of a pdg name the emulation does not have."""
    if not isinstance(exc, ImportError) or not exc.name:
        return None
    if exc.name.split(".")[0] not in _EMULATED:
        return None
    if isinstance(exc, ModuleNotFoundError):
        return exc.name
    match = re.search(r"cannot import name '([^']+)'", str(exc))
    return f"{exc.name}.{match.group(1)}" if match else exc.name


def load_module(path: str | os.PathLike,
                package_dir: Optional[str | os.PathLike] = None,
                class_name: Optional[str] = None) -> tuple[Any, TypeRegistry]:
    """Import a scheduler module (a .py file, a package folder or its ``__init__.py``)
    and call its ``registerTypes``; a module without one has its one scheduler class
    registered, as Houdini's HDA registers the class of its PythonModule.

    `package_dir` loads the file as that package's ``__init__`` (an edited copy of a
    package's ``__init__.py``, whose relative imports must find the package's files).
    `class_name`: the class a module without one registers, when it defines several.
    Raises `ModuleLoadError`."""
    compatpath.install()
    path = os.path.abspath(os.fspath(path))
    if package_dir is None and os.path.basename(path) == "__init__.py":
        package_dir = os.path.dirname(path)
    if os.path.isdir(path):
        package_dir, file = path, os.path.join(path, "__init__.py")
    else:
        file = path
    if not os.path.isfile(file):
        raise ModuleLoadError(file, None, "no such file")
    name = f"_schedstudio_module_{next(_module_ids)}"
    locations = [os.path.abspath(os.fspath(package_dir))] if package_dir else None
    spec = importlib.util.spec_from_file_location(name, file,
                                                  submodule_search_locations=locations)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - any failure is the module's
        sys.modules.pop(name, None)
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise _load_error(exc, file) from None
    registry = TypeRegistry(file)
    register = getattr(module, "registerTypes", None)
    if not callable(register):
        cls = _hda_class(module, file, class_name)
        entry = registry.registerScheduler(cls)
        registry.notes.append(
            f"the module has no registerTypes: its scheduler class {cls.__name__} is "
            f"registered as type {entry.name!r}, as Houdini's HDA would register it")
        return module, registry
    try:
        register(registry)
    except BaseException as exc:  # noqa: BLE001 - sys.exit() in registerTypes is the module's too
        if isinstance(exc, KeyboardInterrupt):
            raise
        where, line, reason = _describe(exc, file)
        raise ModuleLoadError(where, line, f"registerTypes raised {reason}") from None
    if not registry.schedulers:
        raise ModuleLoadError(file, None, "registerTypes did not register a scheduler")
    return module, registry


def is_scheduler_class(cls: Any) -> bool:
    """A class deriving from PyScheduler or from a scheduler class Houdini ships."""
    from .catalogue import SCHEDULER_BASES
    from .scheduler.base import PyScheduler
    if not isinstance(cls, type):
        return False
    return issubclass(cls, PyScheduler) or any(
        base.__name__ in SCHEDULER_BASES for base in cls.__mro__[1:])


def _hda_class(module: Any, file: str, class_name: Optional[str] = None) -> type:
    """The one scheduler class a module without registerTypes defines (or the one
    `class_name` names)."""
    chosen = getattr(module, class_name, None) if class_name else None
    if is_scheduler_class(chosen) and chosen.__module__ == module.__name__:
        return chosen
    found = [value for value in vars(module).values()
             if is_scheduler_class(value) and value.__module__ == module.__name__]
    leaves = [cls for cls in found if not any(o is not cls and issubclass(o, cls) for o in found)]
    if not leaves:
        raise ModuleLoadError(file, None, "the module has no registerTypes(type_registry) "
                                          "function and defines no scheduler class (one "
                                          "deriving from PyScheduler), so there is nothing "
                                          "to register")
    if len(leaves) > 1:
        names = ", ".join(sorted(cls.__name__ for cls in leaves))
        raise ModuleLoadError(file, None, f"the module has no registerTypes(type_registry) "
                                          f"function and defines several scheduler classes "
                                          f"({names}): add registerTypes to say which one "
                                          "to register")
    return leaves[0]


def search_path() -> list[Path]:
    """Folders holding ``pdg/types``: $SCHEDSTUDIO_PATH entries, then the user's config."""
    from .appdirs import config_dir

    roots = [Path(p) for p in os.environ.get("SCHEDSTUDIO_PATH", "").split(os.pathsep) if p]
    roots.append(config_dir())
    return [root / "pdg" / "types" for root in roots]


@dataclass
class Discovery:
    types: dict[str, SchedulerType] = field(default_factory=dict)
    errors: list[ModuleLoadError] = field(default_factory=list)


def discover(folders: Optional[list[Path]] = None) -> Discovery:
    """Load every module of every ``pdg/types`` folder; later folders do not override."""
    found = Discovery()
    for folder in folders if folders is not None else search_path():
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            is_module = entry.suffix == ".py" and entry.name != "__init__.py"
            is_package = entry.is_dir() and (entry / "__init__.py").is_file()
            if not (is_module or is_package):
                continue
            try:
                _, registry = load_module(entry)
            except ModuleLoadError as exc:
                found.errors.append(exc)
                continue
            for stype in registry.schedulers:
                found.types.setdefault(stype.name, stype)
    return found
