"""Events a cook reports, as small versioned records that travel as NDJSON.

The cook host writes one JSON object per line (``{"v": 1, "type": ...}``); the CLI and
the GUI read them back with `from_dict`. Plain data only: no pickle, no eval.
"""
from __future__ import annotations

import json
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from json.scanner import make_scanner
from typing import Any, ClassVar, Optional

WIRE_VERSION = 1


@dataclass(frozen=True)
class Event:
    type: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        # Shallow on purpose: fields hold plain JSON data already, and this runs for
        # every event of a cook (dataclasses.asdict deep-copied each list and dict).
        out = {"v": WIRE_VERSION, "type": self.type}
        for name in field_names(type(self)):
            out[name] = getattr(self, name)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"), default=repr)


@dataclass(frozen=True)
class CookStarted(Event):
    type: ClassVar[str] = "cook_started"
    scheduler: str
    graph: str
    static: bool
    module: str
    workdir: str
    nodes: list = field(default_factory=list)


@dataclass(frozen=True)
class ItemAdded(Event):
    type: ClassVar[str] = "item_added"
    id: int
    name: str
    node: str
    index: int
    state: str
    static: bool = True
    in_process: bool = False
    frame: Optional[float] = None
    priority: int = 0


@dataclass(frozen=True)
class ItemState(Event):
    type: ClassVar[str] = "item_state"
    id: int
    state: str
    cause: str = ""


@dataclass(frozen=True)
class ItemDetails(Event):
    type: ClassVar[str] = "item_details"
    id: int
    command: str = ""
    attributes: dict = field(default_factory=dict)
    inputs: list = field(default_factory=list)
    expected_outputs: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    cook_time: float = 0.0
    log_uri: str = ""
    status_uri: str = ""
    command_expanded: str = ""  # the command with PDG's tokens expanded, as a job gets it


@dataclass(frozen=True)
class CallbackCalled(Event):
    """One finished call into the scheduler: arguments, time, and result or error."""

    type: ClassVar[str] = "callback"
    name: str
    item: Optional[int]
    args: str
    duration_s: float
    result: Optional[str] = None
    error: Optional[dict] = None


@dataclass(frozen=True)
class CallbackSlow(Event):
    """A call that has not returned yet (sent by a watchdog, so hangs are visible).
    Sent once more, with `stopped` ("timeout", "cancelled"), `file` and `line`, when a
    cancel or the timeout broke out of it: where in the module it was then."""

    type: ClassVar[str] = "callback_slow"
    name: str
    item: Optional[int]
    elapsed_s: float
    stopped: str = ""
    file: Optional[str] = None
    line: Optional[int] = None


@dataclass(frozen=True)
class StandInCalled(Event):
    """A call (or attribute assignment) a recording stand-in accepted: ``call`` as
    written (``af.Job('frames').send()``), in which callback and for which item."""

    type: ClassVar[str] = "standin_call"
    module: str
    call: str
    callback: str = ""
    item: Optional[int] = None


@dataclass(frozen=True)
class LogMessage(Event):
    type: ClassVar[str] = "log"
    level: str
    message: str
    source: str = "engine"


@dataclass(frozen=True)
class DebugPaused(Event):
    """The cook stopped in user code (`scheduler_studio.engine.debug`): at a breakpoint, after a step,
    at ``breakpoint()`` or where an exception was raised. ``stack`` is innermost first
    (``file``, ``line``, ``function``, ``user``; the engine's frames below the
    callback folded into one entry with ``folded``: their count); ``variables`` are the
    locals of frame ``frame`` as a tree (`scheduler_studio.engine.debug.values`)."""

    type: ClassVar[str] = "debug_paused"
    reason: str
    stack: list
    frame: int
    variables: list
    callback: str = ""
    item: Optional[int] = None
    message: str = ""


@dataclass(frozen=True)
class DebugFrame(Event):
    """The locals of another frame of the paused stack (answer to ``frame``)."""

    type: ClassVar[str] = "debug_frame"
    frame: int
    variables: list


@dataclass(frozen=True)
class DebugValue(Event):
    """The answer to ``eval`` (``text``: the value's repr, or the error) or to
    ``expand`` (``children`` of the node at ``path``)."""

    type: ClassVar[str] = "debug_value"
    id: int
    frame: int
    ok: bool
    text: str = ""
    expression: str = ""
    path: list = field(default_factory=list)
    children: list = field(default_factory=list)


@dataclass(frozen=True)
class DebugResumed(Event):
    """The paused cook goes on: ``how`` is the command (continue, step_over...)."""

    type: ClassVar[str] = "debug_resumed"
    how: str


@dataclass(frozen=True)
class CookFinished(Event):
    type: ClassVar[str] = "cook_finished"
    summary: dict


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (CookStarted, ItemAdded, ItemState, ItemDetails, CallbackCalled,
                CallbackSlow, StandInCalled, LogMessage, DebugPaused, DebugFrame, DebugValue,
                DebugResumed, CookFinished)
}


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """The fields of an event class, looked up once (events arrive by the thousand)."""
    return tuple(f.name for f in fields(cls))


@cache
def _shape(cls: type) -> tuple[frozenset, frozenset, dict, dict]:
    """(field names, required names, default values, default factories) of a class."""
    all_fields = fields(cls)
    return (frozenset(f.name for f in all_fields),
            frozenset(f.name for f in all_fields
                      if f.default is MISSING and f.default_factory is MISSING),
            {f.name: f.default for f in all_fields if f.default is not MISSING},
            {f.name: f.default_factory for f in all_fields
             if f.default_factory is not MISSING})


class WireError(ValueError):
    """A line from the cook host that is not an event we understand."""


def from_dict(raw: dict[str, Any]) -> Event:
    if not isinstance(raw, dict):
        raise WireError("an event is a JSON object")
    if raw.get("v") != WIRE_VERSION:
        raise WireError(f"unsupported event version {raw.get('v')!r}")
    cls = EVENT_TYPES.get(raw.get("type"))
    if cls is None:
        raise WireError(f"unknown event type {raw.get('type')!r}")
    names, required, defaults, factories = _shape(cls)
    values = {k: v for k, v in raw.items() if k in names}
    if not required <= values.keys():
        missing = ", ".join(sorted(required - values.keys()))
        raise WireError(f"bad {cls.type} event: missing {missing}")
    # Filled in directly, not through the frozen dataclass's __init__ (one attribute
    # at a time through object.__setattr__): the window reads ~40,000 events a second.
    event = object.__new__(cls)
    state = event.__dict__
    state.update(defaults)
    for name, factory in factories.items():
        if name not in values:
            state[name] = factory()
    state.update(values)
    return event


_scan = make_scanner(json.JSONDecoder())  # the C scanner: no per-call wrappers


def from_json(line: str | bytes) -> Event:
    """One NDJSON line (text or UTF-8 bytes) as an event."""
    try:
        text = line if isinstance(line, str) else bytes(line).decode("utf-8")
        try:
            raw, end = _scan(text, 0)
        except StopIteration:  # not a value at the start (leading blanks?): the full parser says
            raw, end = json.loads(text), len(text)
        if end != len(text):
            raw = json.loads(text)  # trailing blanks are fine, anything else raises
    except ValueError as exc:
        raise WireError(f"not JSON: {exc}") from None
    return from_dict(raw)
