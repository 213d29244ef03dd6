"""Scheduler parameters: the ports behind ``self["name"]``.

Every scheduler has ``pdg_workingdir``, ``pdg_tickperiod`` and ``pdg_maxitems``; the
module's ``templateBody`` JSON adds its spare parameters. Values set during a cook
(``self["pdg_tickperiod"] = 0.05``) take effect at once: the cook loop reads them here.
"""
from __future__ import annotations

import json
import os
from typing import Any, Iterable

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


class ParameterSet:
    """The ports of one scheduler instance, built-ins first."""

    def __init__(self) -> None:
        self._ports: dict[str, Port] = {}
        for name, label, kind, value in BUILTIN_PARAMETERS:
            self._ports[name] = Port(name, value, kind, label)

    def __contains__(self, name: str) -> bool:
        return name in self._ports

    def __iter__(self):
        return iter(self._ports.values())

    def __getitem__(self, name: str) -> Port:
        try:
            return self._ports[name]
        except KeyError:
            known = ", ".join(sorted(self._ports))
            raise ParameterError(f"scheduler has no parameter {name!r} (it has: {known})") from None

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
        """Per-cook values (from the CLI or the cook panel), coerced to each port's type."""
        for name, value in values.items():
            port = self._ports.get(name)
            if port is None:
                raise ParameterError(f"cannot set {name!r}: the scheduler has no such parameter")
            try:
                port.set(_coerce(port.type, value))
            except (TypeError, ValueError):
                raise ParameterError(f"cannot set {name!r} to {value!r}: its type is "
                                     f"{port.type}") from None


def _guess_type(value: Any) -> str:
    if isinstance(value, bool):
        return "Toggle"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    return "String"
