"""A warm cook host (``--warm``) waits with the engine imported, then cooks exactly as a
host started fresh with the same arguments: the module loaded fresh, the same modules
imported, the same environment and argv, the same events; it starts nothing before."""
from __future__ import annotations

import json
import os
import subprocess
import textwrap
import time
from pathlib import Path

import psutil

from scheduler_studio.engine.sandbox import TOOLS_DIR_ENV
from scheduler_studio.engine.cook.events import from_json
from scheduler_studio.engine.hostclient import host_command, host_env
from scheduler_studio.engine.processes import PARENT_PID_ENV

ROOT = Path(__file__).resolve().parents[2]
PROBE = textwrap.dedent('''
    import json, os, sys
    import pdg
    from pdg.scheduler import PyScheduler

    SEEN = {"modules": sorted(sys.modules), "argv": sys.argv[1:],
            "env": {k: v for k, v in os.environ.items()
                    if k not in ("SCHEDSTUDIO_COOK_TAG",)}}

    class Probe(PyScheduler):
        @classmethod
        def templateName(cls):
            return "probe"

        def onSchedule(self, work_item):
            return pdg.scheduleResult.CookSucceeded

        def onStartCook(self, static, cook_set):
            SEEN["loads"] = LOADS
            with open(os.environ["PROBE_OUT"], "w") as out:
                json.dump(SEEN, out)
            return True

    LOADS = globals().get("LOADS", 0) + 1

    def registerTypes(type_registry):
        type_registry.registerScheduler(Probe)
''')


def _program(cmd: list[str]) -> list[str]:
    return cmd[:cmd.index("-m") + 2]


def _args(cmd: list[str]) -> list[str]:
    return cmd[cmd.index("-m") + 2:]


def _env(tmp_path, name: str) -> dict:
    env = host_env("tag-" + name)
    env["PROBE_OUT"] = str(tmp_path / f"{name}.json")
    return env


def _cook(cmd: list[str], env: dict, warm: bool) -> tuple[int, list]:
    """Run a host (warm: started with --warm, the arguments sent on stdin once it has
    waited a moment); its exit code and events."""
    if warm:
        proc = subprocess.Popen(_program(cmd) + ["--warm"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env, cwd=ROOT)
        time.sleep(1.0)  # the engine imported, waiting
        assert proc.poll() is None
        out, _ = proc.communicate(json.dumps(_args(cmd)).encode() + b"\n", timeout=60)
    else:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                env=env, cwd=ROOT)
        out, _ = proc.communicate(timeout=60)
    events = [from_json(line) for line in out.splitlines() if line.strip()]
    return proc.returncode, events


def test_a_warm_host_cooks_as_a_fresh_one_would(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text(PROBE, encoding="utf-8")
    cmd = host_command(str(module), "frames", workdir=str(tmp_path / "work"), timeout=60)
    cold_code, cold_events = _cook(cmd, _env(tmp_path, "cold"), warm=False)
    warm_code, warm_events = _cook(cmd, _env(tmp_path, "warm"), warm=True)
    assert cold_code == warm_code == 0
    cold = json.loads((tmp_path / "cold.json").read_text())
    warm = json.loads((tmp_path / "warm.json").read_text())
    assert warm["loads"] == cold["loads"] == 1                  # loaded fresh, once
    assert warm["modules"] == cold["modules"]                    # nothing imported ahead
    assert warm["argv"] == cold["argv"] == _args(cmd)
    cold["env"].pop("PROBE_OUT"), warm["env"].pop("PROBE_OUT")
    # each host's own folder for the shipped tools: there in both, a new one each
    assert os.path.basename(cold["env"].pop(TOOLS_DIR_ENV)).startswith("schedstudio-tools-")
    assert os.path.basename(warm["env"].pop(TOOLS_DIR_ENV)).startswith("schedstudio-tools-")
    assert warm["env"] == cold["env"] and PARENT_PID_ENV not in warm["env"]
    assert [(e.type, getattr(e, "state", None)) for e in warm_events] == \
        [(e.type, getattr(e, "state", None)) for e in cold_events]
    assert warm_events[-1].summary["items"] == cold_events[-1].summary["items"]


def test_a_warm_host_whose_input_closes_ends_having_started_nothing(tmp_path):
    proc = subprocess.Popen(_program(host_command("m.py", "frames")) + ["--warm"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env=host_env("tag-unused"), cwd=ROOT)
    time.sleep(0.5)
    assert psutil.Process(proc.pid).children() == []
    out, _ = proc.communicate(b"", timeout=30)
    assert proc.returncode == 0 and out == b""


def test_a_warm_host_told_nonsense_cooks_nothing(tmp_path):
    proc = subprocess.Popen(_program(host_command("m.py", "frames")) + ["--warm"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env=host_env("tag-bad"), cwd=ROOT)
    out, _ = proc.communicate(b'{"not": "a list"}\n', timeout=30)
    assert proc.returncode == 0 and out == b""
