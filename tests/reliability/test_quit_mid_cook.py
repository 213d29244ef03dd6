"""Quitting the app in the middle of a cook leaves nothing behind: not the jobs that
left the cook host's session (a farm tool's detached runner), found by the cook tag,
nor the cook's scratch folder. The app is its own process
(tests/reliability/quit_mid_cook.py): at quit the event loop is gone and the
interpreter exits, which a test closing a session inside its own event loop never sees."""
from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest

from scheduler_studio.engine.processes import tagged
from tests.reliability.support import DATA, PYTHON, ROOT, env_with_project, with_marker

JOBS = DATA / "jobs"
SETTLE_S = 3.0   # what a process SIGKILLed at quit may take to be gone from the table


def settled(predicate) -> bool:
    """`predicate()` once it holds, or after SETTLE_S (a short wait, not a timing check)."""
    import time

    end = time.monotonic() + SETTLE_S
    while not predicate() and time.monotonic() < end:
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def marker():
    mark = f"schedstudio-quit-{uuid.uuid4().hex}"
    yield mark
    for proc in with_marker(mark):  # never leave one to the rest of the suite
        proc.kill()


@pytest.mark.parametrize("mode", ["session", "window", "farm"])
def test_quitting_mid_cook_ends_the_detached_jobs_and_removes_the_scratch(tmp_path, marker,
                                                                          mode):
    graph = tmp_path / "g.json"
    script = "sleeper.py" if mode == "farm" else "detacher.py"  # the farm detaches it
    graph.write_text(json.dumps({"name": "g", "nodes": [
        {"name": "detach", "kind": "generator", "count": 1,
         "command": f"{{python}} {JOBS / script} {marker}"}]}))
    temp = tmp_path / "tmp"
    temp.mkdir()
    home = tmp_path / "home"
    env = env_with_project({"QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temp),
                            "XDG_CONFIG_HOME": str(home / "config"),
                            "XDG_CACHE_HOME": str(home / "cache"),
                            "XDG_DATA_HOME": str(home / "data")})
    env.pop("HIP", None)
    env.pop("FAKEFARM_ROOT", None)
    app = subprocess.run([PYTHON, "-m", "tests.reliability.quit_mid_cook", mode, str(graph),
                          marker], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    said = [json.loads(line) for line in app.stdout.splitlines() if line.startswith("{")]
    assert said, f"the cook never ran its job:\n{app.stderr[-3000:]}"
    assert app.returncode == 0, app.stderr[-3000:]
    tag, scratch = said[0]["tag"], said[0]["scratch"]
    assert tag and scratch.startswith(str(temp))
    # the app is gone: so must be every process of its cook, the detached one too
    assert settled(lambda: not with_marker(marker)), \
        [p.cmdline() for p in with_marker(marker)]
    assert tagged(tag) == []
    assert not os.path.exists(scratch)
    assert sorted(p.name for p in temp.iterdir()) == []
