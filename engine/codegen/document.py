"""The scheduler document: what the user edits, and what a module file holds.

Everything is immutable and compares by value, so ``parse(render(d)) == d``
can be tested directly. Text fields use ``\\n`` line ends; callback bodies
are stored dedented, without trailing blank lines, and an empty body means
"no method".
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterator, Mapping, Optional, Union

from scheduler_studio.engine import catalogue

if TYPE_CHECKING:  # data only: the origin module imports nothing of ours but text files
    from scheduler_studio.engine.codegen.origin import Kept, Origin

Value = Union[str, int, float, bool]

PARAM_TYPES = ("String", "Integer", "Float", "Toggle")
_TYPE_NAMES = {
    "string": "String", "str": "String",
    "integer": "Integer", "int": "Integer",
    "float": "Float",
    "toggle": "Toggle", "bool": "Toggle",
}
_KEYWORD_BASE = re.compile(r"\s*(?:\*\*|[A-Za-z_]\w*\s*=(?!=))")
class FrozenMap(Mapping):
    """A read-only, hashable dict (insertion order kept, ignored by ``==``)."""

    __slots__ = ("_data",)

    def __init__(self, data=()):
        self._data = dict(data)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other) -> bool:
        return isinstance(other, Mapping) and self._data == dict(other)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def param_type(name: str) -> str:
    """The canonical parameter type for a name as written in a template."""
    canonical = _TYPE_NAMES.get(str(name).lower())
    if canonical is None:
        raise ValueError(f"unknown parameter type {name!r}")
    return canonical


def _coerce(ptype: str, value) -> Value:
    """The default value in the Python type that ``ptype`` stores."""
    if value is None:
        return {"String": "", "Integer": 0, "Float": 0.0, "Toggle": False}[ptype]
    if ptype == "String":
        if isinstance(value, str):
            return value
    elif ptype == "Toggle":
        if isinstance(value, bool) or value in (0, 1):
            return bool(value)
    elif isinstance(value, (int, float)) and math.isfinite(value):
        if ptype == "Float":
            return float(value)
        if float(value).is_integer():
            return int(value)
    raise ValueError(f"{value!r} is not a valid {ptype} value")


@dataclass(frozen=True)
class Parameter:
    """A spare parameter the scheduler node shows (one value, no menus)."""

    name: str
    label: str
    type: str
    default: Value = None
    tags: tuple[str, ...] = ()

    def __post_init__(self):
        ptype = param_type(self.type)
        object.__setattr__(self, "type", ptype)
        object.__setattr__(self, "default", _coerce(ptype, self.default))
        object.__setattr__(self, "tags", tuple(self.tags))


def is_keyword_base(text: str) -> bool:
    """Whether a class-statement entry is a keyword (``metaclass=M``)."""
    return _KEYWORD_BASE.match(text) is not None


def _text(value: str) -> str:
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _trim_body(body: str) -> str:
    """No trailing blank lines: they belong to the layout, not to the body."""
    lines = _text(body).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


@dataclass(frozen=True)
class SchedulerDocument:
    """One scheduler module, field by field.

    ``bodies`` maps canonical names of the callbacks on the tabs to their
    bodies (the others are written in ``extra_members``). The optional
    ``method_names``/``arg_names`` record spellings a hand-written module used
    for a callback (an alias, other argument names) so saving keeps them.
    ``bases`` are base classes other than CallbackServerMixin/PyScheduler,
    written first. ``doc`` is the class docstring, ``trailer`` the module
    code after the class (registerTypes apart).

    The ``__init__`` render writes calls ``CallbackServerMixin.__init__(self,
    callback_server_local)`` when the mixin is used (local schedulers pass
    True, farm ones False), or ``super().__init__(scheduler, name)`` when
    ``init_super`` (only without the mixin and other positional bases, where
    super() is PyScheduler). Both are spellings, normalised away when they
    cannot be written.
    """

    type_name: str
    label: str
    class_name: str
    working_dir: str = ""
    parameters: tuple[Parameter, ...] = ()
    prelude: str = ""
    extra_members: str = ""
    bodies: Mapping[str, str] = field(default_factory=FrozenMap)
    use_callback_server: bool = False
    method_names: Mapping[str, str] = field(default_factory=FrozenMap)
    trailer: str = ""
    bases: tuple[str, ...] = ()
    doc: str = ""
    arg_names: Mapping[str, tuple[str, ...]] = field(default_factory=FrozenMap)
    callback_server_local: bool = True
    init_super: bool = False
    # The file this document was opened from, and where its fields are in it:
    # render splices edits into that text. Not part of the value (==, hash).
    origin: Optional["Origin"] = field(default=None, compare=False, repr=False)
    # A normalised document's file facts (see ``origin.Kept``): the canonical
    # layout keeps them so it means what the file meant. Not part of the value.
    kept: Optional["Kept"] = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        for name in ("prelude", "extra_members", "trailer", "doc"):
            put(name, _text(getattr(self, name)))
        put("parameters", tuple(self.parameters))
        put("bases", tuple(sorted(self.bases, key=is_keyword_base)))
        put("use_callback_server", bool(self.use_callback_server))
        put("callback_server_local", bool(self.callback_server_local)
            or not self.use_callback_server)
        put("init_super", bool(self.init_super) and not self.use_callback_server
            and all(is_keyword_base(b) for b in self.bases))
        bodies = {}
        for name, body in self.bodies.items():
            callback = catalogue.by_name(name)
            if callback is None or callback.name != name or not callback.tab:
                raise ValueError(f"{name!r} is not the name of a callback "
                                 "with a field (others go in extra_members)")
            body = _trim_body(body)
            if body.strip():
                bodies[name] = body
        order = [cb.name for cb in catalogue.CALLBACKS if cb.name in bodies]
        put("bodies", FrozenMap((name, bodies[name]) for name in order))
        put("method_names", FrozenMap(
            (cb, name) for cb, name in self.method_names.items()
            if cb in bodies and name != cb))
        put("arg_names", FrozenMap(
            (cb, tuple(args)) for cb, args in self.arg_names.items()
            if cb in bodies and tuple(args) != catalogue.by_name(cb).args))

    # -- edits: a new document, the same origin (render splices the change) ------
    def with_body(self, callback: str, body: str) -> "SchedulerDocument":
        """This document with one callback's body replaced ("" removes the method)."""
        if catalogue.by_name(callback) is None:
            raise ValueError(f"{callback!r} is not a callback")
        name = catalogue.by_name(callback).name
        bodies = dict(self.bodies)
        bodies[name] = body
        return replace(self, bodies=FrozenMap(bodies))

    def with_fields(self, **changes) -> "SchedulerDocument":
        """This document with other fields replaced (type_name, label,
        class_name, working_dir, parameters, prelude, extra_members, trailer)."""
        return replace(self, **changes)

    def read_only(self) -> frozenset[str]:
        """Fields whose edits cannot be written into the file this came from."""
        return self.origin.read_only() if self.origin is not None else frozenset()

    def read_only_note(self) -> str:
        """Why the parameters are read-only, when they are."""
        return self.origin.template_note if self.origin is not None else ""

    def indent_unit(self) -> str:
        """One level of indentation as the file writes it (tab, 2 or 4 spaces)."""
        return self.origin.unit if self.origin is not None else "    "

    def normalised(self) -> "SchedulerDocument":
        """The same fields, written in the canonical layout when rendered; what
        the layout cannot change without changing the module's meaning (the
        class's bases, inherited members, indentation unit, encoding) is kept."""
        origin = self.origin
        if origin is None or origin.kept is None:
            return replace(self, origin=None)
        file = origin.file
        kept = replace(origin.kept, encoding=file.encoding, bom=file.bom, newline=file.newline)
        return replace(self, origin=None, kept=kept)

    def method_name(self, callback: str) -> str:
        return self.method_names.get(callback, callback)

    def args(self, callback: str) -> tuple[str, ...]:
        return self.arg_names.get(callback, catalogue.by_name(callback).args)


_TYPE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
TYPE_NAME_RULE = ("a scheduler type name must start with a letter and hold only "
                  "letters, digits and underscores (ASCII), as Houdini's node type "
                  "names do")


def type_name_problem(name: str) -> str:
    """Why ``name`` cannot be a PDG scheduler type name ("" when it can): the
    node it makes in Houdini takes its type name, a C-like identifier."""
    if _TYPE_NAME.match(name):
        return ""
    return f"{name!r} is not a valid type name: {TYPE_NAME_RULE}"


def class_name_for(type_name: str) -> str:
    """A class name from a type name: ``my_farm`` -> ``MyFarmScheduler``;
    one that would start with a digit puts the suffix first
    (``123x`` -> ``Scheduler123x``)."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", type_name) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Custom"
    if name[0].isdigit():
        return "Scheduler" + name
    return name if name.endswith("Scheduler") else name + "Scheduler"


def default_document() -> SchedulerDocument:
    """A working local scheduler built from the catalogue's default bodies."""
    return SchedulerDocument(
        type_name="pythonscheduler",
        label="Python Scheduler",
        class_name="PythonScheduler",
        working_dir="$HIP",
        prelude=catalogue.DEFAULT_PRELUDE,
        bodies=FrozenMap((cb.name, cb.default_body)
                         for cb in catalogue.CALLBACKS if cb.tab),
        use_callback_server=True,
        doc="Runs each work item as a child process on this machine.",
    )
