"""A cook host started ahead of the next cook, so pressing Cook does not wait for a new
Python process and the engine's imports (a few hundred milliseconds).

The spare is the cook host's command with ``--warm``: it imports the engine and waits
for its cook's arguments on stdin (`scheduler_studio.engine.cookhost.wait_for_cook`);
until then it has loaded no module, started no server and made no process. `take` hands it a cook only
when that cook would have started the very same host (the same program, the same
environment but for the cook tag, which the spare already carries), so a cook sees
what a fresh host's would. A spare that died, or no longer matches, is thrown away and
the cook starts a host of its own. The caller starts the next spare after each cook.
"""
from __future__ import annotations

import json
import secrets
from typing import Optional

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment

from scheduler_studio.engine.hostclient import host_command
from scheduler_studio.engine.processes import COOK_TAG

WARM_FLAG = "--warm"


def split_command(cmd: list[str]) -> tuple[list[str], list[str]]:
    """A cook host's command line as (the program: interpreter, its flags, ``-m`` and
    the host module; the cook's own arguments)."""
    if "-m" not in cmd[:-1]:
        return list(cmd), []
    start = cmd.index("-m") + 2
    return list(cmd[:start]), list(cmd[start:])


def host_program() -> list[str]:
    """How the cook host is started (`hostclient.host_command`'s program part)."""
    return split_command(host_command("module.py", "graph"))[0]



def new_host_process(parent, env: dict[str, str]) -> tuple[QProcess, str]:
    """A cook host's QProcess, not started: `env` plus a fresh cook tag (inherited by
    every job its cook starts), stdout and stderr apart, stdin for commands."""
    proc = QProcess(parent)
    tag = secrets.token_hex(8)
    qenv = QProcessEnvironment()
    for key, value in {**env, COOK_TAG: tag}.items():
        qenv.insert(key, value)
    proc.setProcessEnvironment(qenv)
    proc.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
    proc.setInputChannelMode(QProcess.InputChannelMode.ManagedInputChannel)
    return proc, tag

class SpareHost(QObject):
    """At most one waiting cook host."""

    def __init__(self, parent: Optional[QObject] = None):
        super().__init__(parent)
        self._proc: Optional[QProcess] = None
        self._tag = ""
        self._env: dict[str, str] = {}
        self._program: list[str] = []

    def is_ready(self) -> bool:
        """A spare is running and waiting."""
        return self._proc is not None and \
            self._proc.state() == QProcess.ProcessState.Running

    @property
    def pid(self) -> int:
        return int(self._proc.processId()) if self._proc is not None else 0

    def prepare(self, env: dict[str, str]) -> None:
        """Start a spare for cooks run with `env` (replacing one made for another)."""
        if self._proc is not None and self._env == env and \
                self._proc.state() != QProcess.ProcessState.NotRunning:
            return
        self.discard()
        proc, self._tag = new_host_process(self, env)
        self._proc, self._env, self._program = proc, dict(env), host_program()
        proc.start(self._program[0], self._program[1:] + [WARM_FLAG])

    def take(self, cmd: list[str], env: dict[str, str]) -> Optional[tuple[QProcess, str]]:
        """The spare as this cook's host, `cmd`'s arguments sent to it: (process, cook
        tag). None when there is none ready, or it is not the host `cmd` would start."""
        proc = self._proc
        program, args = split_command(cmd)
        fits = proc is not None and self.is_ready() and env == self._env and \
            program == self._program and bool(args)
        if not fits:
            self.discard()
            return None
        self._proc = None
        proc.setParent(None)
        proc.write((json.dumps(args) + "\n").encode("utf-8"))
        return proc, self._tag

    def discard(self, wait: bool = False) -> None:
        """End the spare: it waits for its arguments, so it has started nothing and is
        killed outright (`wait`: until it is gone, as when the window closes)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.state() == QProcess.ProcessState.NotRunning:
            proc.deleteLater()
            return
        proc.finished.connect(proc.deleteLater)
        proc.kill()
        if wait:
            proc.waitForFinished(2000)

