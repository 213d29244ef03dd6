"""Helpers for the cook tests (no tests here): small graphs and scheduler modules
written to a tmp folder, and in-process cooks that keep every event."""
from __future__ import annotations

import json
import textwrap
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from scheduler_studio.engine.cook.events import Event, ItemState, LogMessage
from scheduler_studio.engine.cook.options import CookOptions
from scheduler_studio.engine.cook.virtual_time import VirtualClock
from scheduler_studio.engine.model.graph import GraphSpec, load_graph
from scheduler_studio.engine.session import CookSession

ROOT = Path(__file__).resolve().parents[2]
SCHEDULERS = ROOT / "tests" / "data" / "schedulers"
RECORDER = SCHEDULERS / "recorder.py"
LOCAL = ROOT / "resources" / "templates" / "local.py"


def write_graph(folder: Path, nodes: list[dict], name: str = "g") -> GraphSpec:
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"name": name, "nodes": nodes}), encoding="utf-8")
    return load_graph(path)


def gen(name: str = "gen", count: int = 3, **more: Any) -> dict:
    return {"name": name, "kind": "generator", "count": count, **more}


def proc(name: str, input: str, **more: Any) -> dict:
    return {"name": name, "kind": "processor", "input": input, **more}


def part(name: str, input: str, **more: Any) -> dict:
    return {"name": name, "kind": "partitioner", "input": input, **more}


def recorder_variant(folder: Path, methods: str, name: str = "variant") -> Path:
    """A module whose scheduler derives from the Recorder and overrides `methods`
    (class-body source, any indentation). Registers only the variant."""
    body = textwrap.indent(textwrap.dedent(methods).strip("\n"), "    ")
    text = (RECORDER.read_text(encoding="utf-8")
            + f"\n\nclass Variant(Recorder):\n{body}\n\n\n"
            "def registerTypes(type_registry):\n"
            "    type_registry.registerScheduler(Variant, label='Variant', name='variant')\n")
    path = folder / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, marker: str) -> int:
    """The 1-based line of `path` holding `marker` (a comment in a test module)."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if marker in text:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


@dataclass
class Cooked:
    summary: dict
    scheduler: Any
    events: list[Event] = field(default_factory=list)
    session: Optional[CookSession] = None
    clock: Optional[VirtualClock] = None  # the cook's virtual time, if it had one

    @property
    def items(self) -> dict:
        return self.summary["items"]

    def states(self) -> dict[int, str]:
        return item_states(self.events)

    def logs(self, level: Optional[str] = None) -> list[str]:
        return [e.message for e in self.events
                if isinstance(e, LogMessage) and (level is None or e.level == level)]

    def of_type(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]


def options(tmp_path: Path, **values: Any) -> CookOptions:
    values.setdefault("workdir", str(tmp_path / "work"))
    return CookOptions(**values)


def cook(module: Path, graph: GraphSpec | str, tmp_path: Path,
         during: Optional[Callable[[CookSession], None]] = None,
         virtual_time: bool = False, **values: Any) -> Cooked:
    """One in-process cook with its own session (onStart ... onStop).

    ``tick_period`` defaults to 1 ms; pass ``tick_period=None`` to use the module's.
    `during(session)` runs on a thread while the cook runs (cancel, hostile clients).
    `virtual_time`: the cook's clock jumps to each tick instead of sleeping (cooks whose
    callbacks finish their own items: exact and instant, the timeout too).
    """
    if virtual_time and during is not None:
        raise ValueError("a helper thread's reports need real time")
    clock = VirtualClock() if virtual_time else None
    values.setdefault("tick_period", 0.001)
    values.setdefault("timeout_s", 30.0)  # a safety net: a hung loop fails, never hangs
    events: list[Event] = []
    with CookSession(str(module), emit=events.append) as session:
        helper, failures = None, []
        if during is not None:
            def run() -> None:
                try:
                    during(session)
                except BaseException as exc:  # noqa: BLE001 - re-raised in the test
                    failures.append(exc)
                    session.cancel("the test's helper thread failed")
            helper = threading.Thread(target=run, daemon=True)
            helper.start()
        summary = session.cook(graph, options(tmp_path, **values), virtual=clock)
        if helper is not None:
            helper.join(30)
        if failures:
            raise failures[0]
    return Cooked(summary, session.scheduler, events, session, clock)




def split_by_tick(names: list[str], call: str = "onSchedule") -> list[int]:
    """How many `call`s happened after each onTick (one count per tick)."""
    counts: list[int] = []
    for name in names:
        if name == "onTick":
            counts.append(0)
        elif name == call and counts:
            counts[-1] += 1
    return counts


def item_states(events: list[Event]) -> dict[int, str]:
    """Last state of every item id, from the event stream."""
    out: dict[int, str] = {}
    for event in events:
        if isinstance(event, ItemState):
            out[event.id] = event.state
    return out
