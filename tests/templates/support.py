"""Helpers for the template tests (no tests here): cooks through the cook host, as the
CLI and the GUI run them, with every event kept; small graphs; what each sample graph
must end with."""
from __future__ import annotations

import ast
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import urlparse

import psutil

from scheduler_studio.engine.cli.hostrun import HostRun
from scheduler_studio.engine.hostclient import host_command
from scheduler_studio.engine.codegen import parse, render
from scheduler_studio.engine.cook.events import Event, ItemDetails, LogMessage
from tests.engine.cookkit import item_states

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "resources" / "templates"
FAKEFARM = ROOT / "resources" / "farm" / "fakefarm.py"  # shipped: the template's default farm

# Every sample graph but `large` (10,000 jobs: see the scale tests), how to cook it,
# and the item counts it must end with.
SAMPLES = {
    "frames": (False, {"total": 41, "succeeded": 41, "failed": 0, "cancelled": 0,
                       "uncooked": 0}),
    "wedge": (False, {"total": 18, "succeeded": 18, "failed": 0, "cancelled": 0,
                      "uncooked": 0}),
    "failing": (False, {"total": 16, "succeeded": 12, "failed": 2, "cancelled": 0,
                        "uncooked": 2}),
    "static": (True, {"total": 14, "succeeded": 14, "failed": 0, "cancelled": 0,
                      "uncooked": 0}),
    "sharedserver": (False, {"total": 5, "succeeded": 5, "failed": 0, "cancelled": 0,
                             "uncooked": 0}),
    "transfer": (False, {"total": 4, "succeeded": 4, "failed": 0, "cancelled": 0,
                         "uncooked": 0}),
}


@dataclass
class Cook:
    summary: dict
    events: list[Event] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.summary["status"]

    @property
    def items(self) -> dict:
        return self.summary["items"]

    def details(self) -> list[ItemDetails]:
        """The details sent when each item was scheduled (they carry the URIs)."""
        return [e for e in self.events if isinstance(e, ItemDetails) and e.log_uri]

    def warnings(self) -> list[str]:
        return [e.message for e in self.events
                if isinstance(e, LogMessage) and e.level in ("warning", "error")]

    def leftover_warnings(self) -> list[str]:
        """The host's "ended N process(es) the cook left running" messages."""
        return [w for w in self.warnings() if "left running" in w]

    def states(self) -> dict[int, str]:
        return item_states(self.events)


def cook(module: Path, graph: str, workdir: Path, *, static: bool = False,
         parms: Optional[dict] = None, timeout: Optional[float] = 60,
         on_event: Optional[Callable[[Event], None]] = None,
         stop_when: Optional[Callable[[list[Event]], bool]] = None) -> Cook:
    """Cook `graph` with `module` in a cook host. With `stop_when`, the host is
    stopped (SIGTERM, as the GUI's Cancel does) once it returns True."""
    cmd = host_command(str(module), graph, static=static, workdir=str(workdir),
                       timeout=timeout, parms={k: str(v) for k, v in (parms or {}).items()})
    run = HostRun(cmd, on_event=on_event)
    if stop_when is not None:
        deadline = time.monotonic() + (timeout or 60)
        while run.proc.poll() is None and time.monotonic() < deadline:
            if stop_when(list(run.events)):
                run.stop()
                break
            time.sleep(0.05)
    run.wait(timeout)
    assert run.summary is not None, f"no summary; bad lines: {run.bad_lines}"
    return Cook(run.summary, list(run.events))


def check_sample(result: Cook, graph: str, ended_server_counted: bool = False) -> None:
    """What every template must show on a sample graph.

    `ended_server_counted`: the shared echo server, once its job exits, is adopted by
    the cook host; endSharedServer ends it, but the host counts the unreaped (zombie)
    process in its "left running" warning. Allow that one, for schedulers whose jobs
    are the host's own descendants (Local)."""
    expected = SAMPLES[graph][1]
    assert result.items == expected, (result.summary["errors"], result.warnings())
    assert result.status == ("failed" if expected["failed"] else "succeeded")
    assert result.summary["errors"] == []
    leftovers = result.leftover_warnings()
    if ended_server_counted and graph == "sharedserver":
        assert len(leftovers) <= 1
        assert all(w.startswith("ended 1 process(es)") for w in leftovers)
    else:
        assert leftovers == []
    files = [p for p in result.summary["outputs"] if p.startswith("/")]  # not socket/*
    assert files
    for path in files:
        assert Path(path).exists(), path
    details = result.details()
    # The engine asks for the URIs when an item is scheduled (onSchedule accepted it,
    # or onScheduleStatic received it); a farm knows no status page for a static item
    # it has not submitted yet.
    assert details, "no item announced a log URI"
    for event in details:
        assert urlparse(event.log_uri).scheme == "file"
        assert Path(urlparse(event.log_uri).path).is_file(), event.log_uri
        assert event.status_uri or SAMPLES[graph][0]
    if graph == "sharedserver":
        assert result.summary["shared_servers_ended"] == ["echo"]


def write_graph(folder: Path, name: str, nodes: list[dict]) -> str:
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"name": name, "nodes": nodes}), encoding="utf-8")
    return str(path)


def sleep_graph(folder: Path, marker: str, count: int = 3, seconds: float = 60) -> str:
    """`count` jobs that print `marker` and sleep: for cancel tests (find the job
    processes with `job_processes(marker)`)."""
    command = (f"{{python}} -c \"import time; print('{marker}', flush=True); "
               f"time.sleep({seconds})\"")
    return write_graph(folder, "sleepy", [
        {"name": "nap", "kind": "generator", "count": count, "command": command}])


def scale_graph(folder: Path, count: int) -> str:
    """`count` no-op jobs and one no-op job after each: a smaller `large`."""
    return write_graph(folder, f"scale{count}", [
        {"name": "noop", "kind": "generator", "count": count, "command": "true"},
        {"name": "after", "kind": "processor", "input": "noop", "command": "true"}])


def job_processes(marker: str) -> list[psutil.Process]:
    """Living processes whose command line holds `marker` (jobs of a test)."""
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        try:
            if proc.info["status"] != psutil.STATUS_ZOMBIE and \
                    marker in " ".join(proc.info["cmdline"] or ()):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def wait_gone(marker: str, timeout: float = 5.0) -> list[psutil.Process]:
    """Wait for the processes holding `marker` to end; the ones still alive."""
    deadline = time.monotonic() + timeout
    alive = job_processes(marker)
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = job_processes(marker)
    return alive


def members(text: str) -> dict[str, str]:
    """Every method of every class and every module-level function, as AST dumps."""
    out = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef):
                    out[f"{node.name}.{member.name}"] = ast.dump(member)
        elif isinstance(node, ast.FunctionDef):
            out[node.name] = ast.dump(node)
    return out


def check_round_trip(path: Path) -> None:
    """Open + Save To Python keeps every member and function of the template, and
    saving again changes nothing."""
    text = path.read_text(encoding="utf-8")
    doc = parse(text, str(path))
    rendered = render(doc)[0]
    assert members(rendered) == members(text)
    assert parse(rendered) == doc
    assert render(parse(rendered))[0] == rendered
