"""Helpers for the reliability tests (no tests here): deadlines, process lookups, a
small disk, and runs of the cook host that keep its stderr."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Optional

import psutil

from tests.polling import wait_for

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "reliability"
LOCAL = ROOT / "resources" / "templates" / "local.py"
PYTHON = sys.executable


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


class BackgroundCook:
    """One in-process cook (`scheduler_studio.engine.session.CookSession`) on a thread, keeping every
    event, so the test's thread is free to attack it."""

    def __init__(self, module: Path, graph: Path, workdir: Path, timeout_s: float = 120.0,
                 **options: Any) -> None:
        from scheduler_studio.engine.cook.options import CookOptions
        self.events: list = []
        self.summary: Optional[dict] = None
        self.session = None
        self.error: Optional[BaseException] = None
        self._ready = threading.Event()
        options = CookOptions(workdir=str(workdir), timeout_s=timeout_s, **options)
        self._thread = threading.Thread(target=self._run, args=(module, graph, options),
                                        name="background-cook", daemon=True)
        self._thread.start()

    def _run(self, module: Path, graph: Path, options: Any) -> None:
        from scheduler_studio.engine.session import CookSession
        try:
            with CookSession(str(module), emit=self.events.append) as session:
                self.session = session
                self._ready.set()
                self.summary = session.cook(str(graph), options)
        except BaseException as exc:  # noqa: BLE001 - re-raised by join()
            self.error = exc
        finally:
            self._ready.set()

    def loop(self):
        """The cook loop once the cook runs (waits for it)."""
        wait_for(self._ready.is_set, 60, "the cook session")
        return wait_for(lambda: self.error or (self.session and self.session.loop), 60,
                        "the cook loop")

    def server_address(self) -> str:
        """TOKEN@HOST:PORT of the scheduler's result server (waits for it)."""
        self.loop()
        return wait_for(lambda: self.session.scheduler.workItemResultServerAddr(), 60,
                        "the result server")

    def join(self, timeout: float = 120.0) -> dict:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the cook did not end"
        if self.error is not None:
            raise self.error
        return self.summary
