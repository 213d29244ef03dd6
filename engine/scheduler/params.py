"""Scheduler parameters: the ports behind ``self["name"]``.

Every scheduler has ``pdg_workingdir``, ``pdg_tickperiod`` and ``pdg_maxitems``; the
module's ``templateBody`` JSON adds its spare parameters. Values set during a cook
(``self["pdg_tickperiod"] = 0.05``) take effect at once: the cook loop reads them here.

Real schedulers also read parameters their HDA defines and their ``templateBody`` does
not. A test cook can be given values for those (`apply_overrides` adds them, typed from
the value); a read of a parameter nobody defined gives an empty value of the asked type
and is recorded in `ParameterSet.undefined`, so one cook names them all.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any, Iterable, Optional

TYPE_ALIASES = {
    "string": "String", "str": "String", "file": "String",
    "int": "Integer", "integer": "Integer",
    "float": "Float", "double": "Float",
    "bool": "Toggle", "toggle": "Toggle", "boolean": "Toggle",
}

BUILTIN_PARAMETERS = (
    ("pdg_workingdir", "Working Directory", "String", ""),
    ("pdg_tickperiod", "Tick Period", "Float", 0.5),
    ("pdg_maxitems", "Max Items Per Tick", "Integer", 30),
)


class ParameterError(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; this reads better
        return str(self.args[0])


def normalise_type(kind: Any) -> str:
    text = str(kind or "String")
    return TYPE_ALIASES.get(text.lower(), text)


def _coerce(kind: str, value: Any) -> Any:
    if kind == "Integer":
        return int(float(value)) if isinstance(value, str) else int(value)
    if kind == "Float":
        return float(value)
    if kind == "Toggle":
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return bool(value)
    return "" if value is None else str(value)


class Port:
    """One parameter: ``evaluateString()`` and friends, as on a PDG port."""

    def __init__(self, name: str, value: Any = "", type: str = "String", label: str = "",
                 tags: Iterable[str] = (), size: int = 1):
        self.name = name
        self.type = normalise_type(type)
        self.label = label or name
        self.tags = list(tags)
        self.size = size
        self.value = value

    def __repr__(self) -> str:
        return f"<Port {self.name}={self.value!r}>"

    def _element(self, index: int) -> Any:
        if isinstance(self.value, (list, tuple)):
            return self.value[index] if 0 <= index < len(self.value) else None
        return self.value

    def set(self, value: Any) -> None:
        self.value = value

    def evaluate(self, work_item: Any = None, index: int = 0) -> Any:
        return _coerce(self.type, self._element(index)) if self.type != "String" \
            else self.evaluateString(work_item, index)

    def evaluateString(self, work_item: Any = None, index: int = 0) -> str:
        value = _coerce("String", self._element(index))
        # schedulers evaluate their paths for every job: skip what cannot apply
        if value.startswith("~"):
            value = os.path.expanduser(value)
        return os.path.expandvars(value) if "$" in value else value

    def evaluateRawString(self, work_item: Any = None, index: int = 0) -> str:
        return _coerce("String", self._element(index))

    def evaluateInt(self, work_item: Any = None, index: int = 0) -> int:
        return _coerce("Integer", self._element(index) or 0)

    def evaluateFloat(self, work_item: Any = None, index: int = 0) -> float:
        return _coerce("Float", self._element(index) or 0.0)

    def evaluateBool(self, work_item: Any = None, index: int = 0) -> bool:
        return _coerce("Toggle", self._element(index))

    def hasTag(self, tag: str) -> bool:
        return tag in self.tags


class UndefinedPort(Port):
    """A parameter nobody defined: reads give an empty value of the asked type; setting
    it defines it."""

    undefined = True

    def __init__(self, owner: "ParameterSet", name: str):
        super().__init__(name, None, "String")
        self._owner = owner

    def evaluate(self, work_item: Any = None, index: int = 0) -> Any:
        return ""

    def set(self, value: Any) -> None:
        self._owner[self.name] = value


class ParameterSet:
    """The ports of one scheduler instance, built-ins first."""

    def __init__(self) -> None:
        self._ports: dict[str, Port] = {}
        for name, label, kind, value in BUILTIN_PARAMETERS:
            self._ports[name] = Port(name, value, kind, label)
        self.undefined: dict[str, str] = {}   # parameter read but never defined -> where
        self.undefined_at: dict[str, tuple[str, int]] = {}  # -> (file, line) of the first read
        self.given: list[str] = []            # names given for the cook the module lacks
        self._applied: dict[str, Any] = {}    # the last value given for each name

    def __contains__(self, name: str) -> bool:
        return name in self._ports

    def __iter__(self):
        return iter(self._ports.values())

    def __getitem__(self, name: str) -> Port:
        return self.get_port(name)

    def get_port(self, name: str, what: str = "") -> Port:
        """The port, or an `UndefinedPort` (the read recorded with where it happened)."""
        port = self._ports.get(name)
        if port is not None:
            return port
        if name not in self.undefined:
            at = _caller()
            where = f"{at[0]}:{at[1]}" if at else ""
            self.undefined[name] = ", ".join(filter(None, (what, where)))
            if at:
                self.undefined_at[name] = at
        return UndefinedPort(self, name)

    def __setitem__(self, name: str, value: Any) -> None:
        port = self._ports.get(name)
        if port is None:
            self._ports[name] = Port(name, value, _guess_type(value))
        else:
            port.set(value)

    def add(self, port: Port) -> None:
        self._ports[port.name] = port

    def load_template(self, body: str | dict | None) -> None:
        """Add the parameters a module's ``templateBody`` declares (lenient about types)."""
        if not body:
            return
        data = json.loads(body) if isinstance(body, str) else body
        for raw in data.get("parameters", []) if isinstance(data, dict) else []:
            if not isinstance(raw, dict) or "name" not in raw:
                continue
            tags = raw.get("tag") or raw.get("tags") or ()
            tags = [tags] if isinstance(tags, str) else list(tags)
            self.add(Port(str(raw["name"]), raw.get("value", raw.get("default", "")),
                          raw.get("type", "String"), raw.get("label", ""), tags,
                          int(raw.get("size", 1) or 1)))

    def apply_overrides(self, values: dict[str, Any]) -> None:
        """Per-cook values (from the CLI or the cook panel), coerced to each port's type.
        A name the module does not declare (a parameter its HDA provides) is added,
        typed from the value. Giving a name the value it was last given changes nothing:
        the values set before ``onStart`` come again with the cook, and what the module
        set since (``self["p"] = v`` in onStart) stays."""
        for name, value in values.items():
            if name in self._applied and self._applied[name] == value:
                continue
            port = self._ports.get(name)
            if port is None:
                self._ports[name] = Port(name, guess_value(value), _guess_type(guess_value(value)))
                if name not in self.given:
                    self.given.append(name)
            else:
                try:
                    port.set(_coerce(port.type, value))
                except (TypeError, ValueError):
                    raise ParameterError(f"cannot set {name!r} to {value!r}: its type is "
                                         f"{port.type}") from None
            self._applied[name] = value


def guess_value(value: Any) -> Any:
    """A value typed as written on a command line: ``3`` an int, ``0.5`` a float,
    ``true``/``false`` a toggle, anything else a string (JSON values keep their type)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return value


_ENGINE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _caller() -> Optional[tuple[str, int]]:
    """(file, line) of the nearest frame outside the engine (the module's read)."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not os.path.abspath(filename).startswith(_ENGINE_DIR):
            return filename, frame.f_lineno
        frame = frame.f_back
    return None


def _guess_type(value: Any) -> str:
    if isinstance(value, bool):
        return "Toggle"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    return "String"
