"""A user's own folders cannot shadow the studio's modules, and jobs get no PYTHONPATH
from us: a cook run from a folder holding ``engine/`` and ``scheduler_studio/``
packages still cooks, and its job sees the caller's PYTHONPATH and nothing more."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scheduler_studio.engine.hostclient import host_command, host_env
from scheduler_studio.engine.package_files import resource_file

PROBE_JOB = '''\
import json, os, sys
with open(sys.argv[1], "w") as out:
    json.dump({"PYTHONPATH": os.environ.get("PYTHONPATH"), "path": sys.path}, out)
'''
DECOY = "raise ImportError('a user folder shadowed the studio: ' + __name__)\n"


def _decoy_folder(root: Path) -> Path:
    for package in ("engine", "scheduler_studio", "gui"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text(DECOY)
    return root


def test_host_env_adds_nothing_to_pythonpath(monkeypatch):
    monkeypatch.delenv("PYTHONPATH", raising=False)
    assert "PYTHONPATH" not in host_env()
    monkeypatch.setenv("PYTHONPATH", "/users/own/libs")
    assert host_env()["PYTHONPATH"] == "/users/own/libs"
    assert host_command("m.py", "frames")[1] == "-P"  # no working folder on sys.path


def test_a_cook_from_a_folder_with_our_names_works_and_jobs_get_only_the_users_path(tmp_path):
    work = _decoy_folder(tmp_path / "project")
    (tmp_path / "probe_job.py").write_text(PROBE_JOB)
    graph = tmp_path / "probe.json"
    graph.write_text(json.dumps({"name": "probe", "nodes": [{
        "name": "probe", "kind": "generator", "count": 1,
        "outputs": ["__PDG_DIR__/env.json"],
        "command": f"{{python}} {tmp_path / 'probe_job.py'} {{out}}"}]}))
    schedstudio = Path(sys.executable).parent / "schedstudio"
    env = {**os.environ, "PYTHONPATH": "/users/own/libs"}
    result = subprocess.run(
        [str(schedstudio), "cook", str(resource_file("templates", "local.py")), "--graph",
         str(graph), "--workdir", str(tmp_path / "cook"), "--json"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120)
    summary = json.loads(result.stdout)
    assert summary["status"] == "succeeded", result.stdout + result.stderr
    seen = json.loads((tmp_path / "cook" / "env.json").read_text())
    assert seen["PYTHONPATH"] == "/users/own/libs"  # not our project or site-packages
