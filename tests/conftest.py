"""Shared fixtures: every test must leave no child process behind, and keeps the
studio's data (autosaves, backups of saved files) in a folder of its own."""
from __future__ import annotations

import os

import psutil
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def no_leftover_processes():
    """Fail a test that leaves a child process running (jobs, cook hosts)."""
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    yield
    leftover = [p for p in me.children(recursive=True) if p.pid not in before]
    if not leftover:
        return
    gone, alive = psutil.wait_procs(leftover, timeout=3)
    for proc in alive:
        proc.kill()
    if alive:
        names = ", ".join(f"{p.pid}" for p in alive)
        pytest.fail(f"test left child processes running: {names}")


@pytest.fixture(autouse=True)
def studio_data_dir(tmp_path_factory, monkeypatch):
    """$SCHEDSTUDIO_DATA_DIR for this test (and the processes it starts): never the
    user's own data folder."""
    from scheduler_studio.engine.appdirs import DATA_DIR_ENV

    path = tmp_path_factory.mktemp("studio-data")
    monkeypatch.setenv(DATA_DIR_ENV, str(path))
    return path


@pytest.fixture(autouse=True)
def cook_ledgers_hold(monkeypatch):
    """After every test, each cook core that ran in this process passes `validate`."""
    from scheduler_studio.engine.cook.core import CookCore

    cores = []
    start = CookCore.start

    def recording_start(self, now):
        cores.append(self)
        return start(self, now)

    monkeypatch.setattr(CookCore, "start", recording_start)
    yield cores
    for core in cores:
        core.validate()
