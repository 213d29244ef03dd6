"""Autosave under faults, with real app processes: killed with SIGKILL after an
autosave, the file then touched, reopened by path or at a bare start; two windows on
one file, both killed; a full disk. The edits are always offered back, each window's
own, with when and which window; a failing autosave says why in the window."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from scheduler_studio.engine.codegen import render, save_module
from scheduler_studio.gui.main_window import MainWindow
from scheduler_studio.gui.window import fields, prompts
from scheduler_studio.gui.window.settings import ini_settings
from scheduler_studio.gui.window.templates import template_document
from tests.reliability.support import PYTHON, ROOT, LineReader, env_with_project, wait_for

ON_TICK = fields.callback_field("onTick")
START_S = 90


class Studio:
    """One `schedstudio` process driven by tests/reliability/studio_session.py."""

    def __init__(self, home: Path, *args: str) -> None:
        env = env_with_project({"QT_QPA_PLATFORM": "offscreen",
                                "XDG_CONFIG_HOME": str(home / "config"),
                                "XDG_CACHE_HOME": str(home / "cache")})
        self.proc = subprocess.Popen([PYTHON, "-m", "tests.reliability.studio_session", *args],
                                     cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.out = LineReader(self.proc.stdout)
        self.err = LineReader(self.proc.stderr)

    def said(self, kind: str) -> list[dict]:
        found = []
        for line in self.out.lines:
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if data.get("kind") == kind:
                found.append(data)
        return found

    def wait_for(self, kind: str) -> dict:
        wait_for(lambda: self.said(kind) or self.proc.poll() is not None, START_S,
                 f"the studio saying {kind}")
        assert self.said(kind), f"the studio ended: {self.err.text()[-3000:]}"
        return self.said(kind)[0]

    def kill_9(self) -> None:
        """SIGKILL, as a crash or the OOM killer would; its checker process ends too."""
        helpers = psutil.Process(self.proc.pid).children(recursive=True)
        os.kill(self.proc.pid, signal.SIGKILL)
        self.finish()
        _gone, alive = psutil.wait_procs(helpers, timeout=30)
        assert not alive, f"outlived the studio: {alive}"

    def finish(self) -> int:
        code = self.proc.wait(60)
        self.out.join()
        self.err.join()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return code


@pytest.fixture
def studios(tmp_path):
    made: list[Studio] = []

    def start(*args: str) -> Studio:
        made.append(Studio(tmp_path, *args))
        return made[-1]

    yield start
    for studio in made:
        if studio.proc.poll() is None:
            studio.proc.kill()
            studio.finish()


def farm_module(tmp_path: Path) -> Path:
    path = tmp_path / "farm.py"
    save_module(path, render(template_document())[0])
    return path


def touch(path: Path) -> None:
    later = time.time() + 5
    os.utime(path, (later, later))


@pytest.mark.parametrize("reopen", ["by-path", "bare-start"])
def test_killed_after_an_autosave_then_touched_the_edits_are_offered(tmp_path, studios,
                                                                     reopen):
    module = farm_module(tmp_path)
    editing = studios("edit", str(module), "\n# typed before the crash")
    autosaved = editing.wait_for("autosaved")
    editing.kill_9()
    assert Path(autosaved["path"]).exists()
    touch(module)  # git checkout, rsync, another program's save
    again = studios("reopen", *([str(module)] if reopen == "by-path" else []),
                    "--answer", "recover")
    done = again.wait_for("done")
    [offer] = again.said("offer")
    assert offer["source"] == str(module)
    assert f"process {autosaved['pid']}" in offer["window"]
    assert "+        # typed before the crash" in offer["diff"].splitlines()
    assert done["recovered"] and done["windows"] == ["# typed before the crash"]
    assert again.finish() == 0


def test_two_windows_on_one_file_killed_are_two_offers(tmp_path, studios):
    module = farm_module(tmp_path)
    first = studios("edit", str(module), "\n# window one")
    second = studios("edit", str(module), "\n# window two")
    pids = {first.wait_for("autosaved")["pid"], second.wait_for("autosaved")["pid"]}
    first.kill_9()
    second.kill_9()
    again = studios("reopen", str(module), "--answer", "recover", "--answer", "recover")
    done = again.wait_for("done")
    offers = again.said("offer")
    assert len(offers) == 2
    assert {int(o["window"].split("process ")[1].split(",")[0]) for o in offers} == pids
    assert all(o["when"] for o in offers)
    assert sorted(done["windows"]) == ["# window one", "# window two"]
    assert again.finish() == 0


@pytest.fixture
def window_on(qtbot, tmp_path, monkeypatch):
    """A shown window keeping its data in ``folder``; closed (edits dropped) at the end."""
    made = []

    def make(folder: Path) -> MainWindow:
        window = MainWindow(settings=ini_settings(tmp_path / "settings.ini"), data_dir=folder)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *args: "discard")
    for window in made:
        window.close()
        window.deleteLater()


def test_a_full_disk_is_said_in_the_window_with_its_reason(window_on, small_disk):
    window = window_on(small_disk.path / "data")
    small_disk.fill()  # before the first autosave: its lock, too, is made on a full disk
    model = window.document_model
    model.set_value(ON_TICK, model.value(ON_TICK) + "\n# not autosaved")
    assert not window.autosave.save_now()
    label = window.status.autosave
    assert label.isVisible() and "the disk is full" in label.toolTip()
    assert "disk is full" in window.status.currentMessage()
    [problem] = [p for p in window.problems_model.problems() if p.field == fields.AUTOSAVE]
    assert "Autosave failed: the disk is full" in problem.message
    assert model.value(ON_TICK).endswith("# not autosaved") and model.is_modified()
    (small_disk.path / "hog.bin").unlink()
    assert window.autosave.save_now()
    assert not label.isVisible()
    assert not [p for p in window.problems_model.problems() if p.field == fields.AUTOSAVE]
