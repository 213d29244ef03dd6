"""Helpers for the reliability tests (no tests here): deadlines, process lookups, a
small disk, and runs of the cook host that keep its stderr."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import psutil

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "reliability"
LOCAL = ROOT / "resources" / "templates" / "local.py"
PYTHON = sys.executable


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "condition",
             interval: float = 0.01) -> Any:
    """Poll `predicate` until it is truthy (returns its value); fail at the deadline."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not met within {timeout:g} s")
        time.sleep(interval)


def with_marker(marker: str) -> list[psutil.Process]:
    """Living processes (not zombies) whose command line holds `marker`."""
    out = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE or proc.pid == os.getpid():
                continue
            if any(marker in part for part in proc.info["cmdline"] or ()):
                out.append(proc)
        except psutil.Error:
            pass
    return out


def env_with_project(extra: Optional[dict] = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def run_python(code: str, *args: str, timeout: float = 60.0, **kwargs: Any):
    """Run `code` in a fresh interpreter with the project importable; its result."""
    return subprocess.run([PYTHON, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=env_with_project(), **kwargs)


def as_unprivileged(command: list[str]) -> list[str]:
    """`command` so that file permissions bind it even when the tests run as root:
    setpriv drops the capabilities that let root ignore permission bits."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return ["setpriv", "--inh-caps=-all",
                "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"] + command
    return command


class LineReader:
    """Collects the lines of a pipe on a thread, so a test can wait for one."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line if isinstance(line, str) else line.decode("utf-8", "replace"))

    def text(self) -> str:
        return "".join(self.lines)

    def join(self, timeout: float = 10.0) -> None:
        self._thread.join(timeout)
