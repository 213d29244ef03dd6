"""Nothing outlives a cook: `schedstudio cook` run as its own process and stopped the
ways a shell or a terminal stops it (SIGTERM from ``timeout``, SIGHUP when the terminal
closes, SIGINT from Ctrl-C, SIGKILL), a job that daemonizes with a cleaned environment,
and the CLI's own working folder. Processes are looked up with psutil."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import uuid

import psutil
import pytest

from scheduler_studio.engine.processes import COOK_TAG, tagged
from tests.polling import wait_for
from tests.reliability.support import (DATA, LOCAL, PYTHON, ROOT, LineReader,
                                       env_with_project, with_marker)

JOBS = DATA / "jobs"


def start_cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, "-m", "scheduler_studio.engine.cli", "cook", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env or env_with_project(), start_new_session=True)


def host_of(cli: subprocess.Popen) -> psutil.Process:
    def find():
        for child in psutil.Process(cli.pid).children():
            if "scheduler_studio.engine.cookhost" in child.cmdline():
                return child
        return None
    return wait_for(find, 60, "the cook host")


def snapshot(cli: subprocess.Popen) -> list[psutil.Process]:
    """The CLI's descendants now (the host, its jobs)."""
    try:
        return psutil.Process(cli.pid).children(recursive=True)
    except psutil.Error:
        return []


def with_jobs(cli: subprocess.Popen) -> list[psutil.Process]:
    """A snapshot holding the host and at least one job (jobs of `large` are short)."""
    def seen():
        procs = snapshot(cli)
        return procs if any("scheduler_studio.engine.cookhost" not in cmdline(p) for p in procs) else None
    return wait_for(seen, 60, "jobs running", interval=0.01)


def cmdline(proc: psutil.Process) -> str:
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return "scheduler_studio.engine.cookhost"  # gone already: not a job we can count on


def still_running(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for proc in procs:
        try:  # is_running() compares the start time too: a reused pid is not ours
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                out.append(proc)
        except psutil.Error:
            pass
    return out


def finish(cli: subprocess.Popen, timeout: float = 60.0) -> tuple[int, str, str]:
    try:
        out, err = cli.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        cli.kill()
        out, err = cli.communicate()
        pytest.fail(f"the CLI did not end: {err[-2000:]}")
    return cli.returncode, out, err


@pytest.fixture
def marker():
    mark = f"schedstudio-lifetime-{uuid.uuid4().hex}"
    yield mark
    leftovers = with_marker(mark)
    for proc in leftovers:
        proc.kill()
    assert leftovers == [], "a job of the cook survived the test"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=lambda sig: sig.name)
def test_a_signal_to_the_cli_ends_the_host_and_every_job_first(tmp_path, sig):
    cli = start_cli(str(LOCAL), "--graph", "large", "--json", "--workdir",
                    str(tmp_path / "work"))
    host = host_of(cli)
    tag = host.environ()[COOK_TAG]
    seen = with_jobs(cli)
    cli.send_signal(sig)
    code, out, err = finish(cli)
    # the moment the CLI is gone, so are the host and every job it had
    assert still_running(seen + snapshot(cli)) == []
    assert tagged(tag) == []
    summary = json.loads(out)
    assert code == 1 and summary["status"] == "cancelled", err[-2000:]
    assert summary["warnings"][0].startswith(f"schedstudio received {sig.name}")
    assert 0 < summary["items"]["total"] == 10_000
    assert summary["items"]["succeeded"] < 10_000


def test_the_cli_killed_outright_takes_its_cook_along(tmp_path, marker):
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps({"name": "g", "nodes": [
        {"name": "wait", "kind": "generator", "count": 4,
         "command": f"{{python}} {JOBS / 'sleeper.py'} {marker}"}]}))
    cli = start_cli(str(LOCAL), "--graph", str(graph), "--json", "--workdir",
                    str(tmp_path / "work"), "--parm", "max_jobs=2")
    host = host_of(cli)
    wait_for(lambda: len(with_marker(marker)) == 2, 60, "two jobs running")
    cli.kill()  # no handler runs: the host learns it from the kernel (PDEATHSIG)
    finish(cli)
    wait_for(lambda: not still_running([host]) and not with_marker(marker), 30,
             "the host and its jobs ending")


def test_a_daemonized_job_with_a_cleaned_environment_is_found(tmp_path, marker):
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps({"name": "g", "nodes": [
        {"name": "daemon", "kind": "generator", "count": 1,
         "command": f"{{python}} {JOBS / 'daemon.py'} {marker}-daemon"},
        {"name": "wait", "kind": "generator", "count": 1,
         "command": f"{{python}} {JOBS / 'sleeper.py'} {marker}-sleeper"},
    ]}))
    cli = start_cli(str(LOCAL), "--graph", str(graph), "--json", "--workdir",
                    str(tmp_path / "work"), "--parm", "max_jobs=2")
    host = host_of(cli)
    [daemon] = wait_for(lambda: [p for p in with_marker(f"{marker}-daemon")
                                 if "sleeper.py" in cmdline(p)], 60, "the daemon")
    assert COOK_TAG not in daemon.environ()       # no tag to find it by, and
    assert os.getsid(daemon.pid) != host.pid      # out of the host's session
    wait_for(lambda: with_marker(f"{marker}-sleeper"), 60, "the sleeper")
    host.kill()  # the host dies without ending anything: the CLI must find the daemon
    code, out, err = finish(cli)
    assert with_marker(marker) == []  # at once, not eventually
    summary = json.loads(out)
    assert code == 2 and "killed by SIGKILL" in summary["errors"][0]["message"]


def test_the_cli_removes_its_own_working_folder(tmp_path):
    env = env_with_project({"TMPDIR": str(tmp_path)})
    env.pop("HIP", None)
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps({"name": "g", "nodes": [
        {"name": "gen", "kind": "generator", "count": 2, "command": "true"}]}))
    code, out, err = finish(start_cli(str(LOCAL), "--graph", str(graph), env=env))
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]
    # a module with no working directory gets a fresh folder: inside ours, gone too
    recorder = ROOT / "tests" / "data" / "schedulers" / "recorder.py"
    code, out, err = finish(start_cli(str(recorder), "--graph", str(graph), env=env))
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]

    code, out, err = finish(start_cli(str(LOCAL), "--graph", str(graph), "--keep", env=env))
    assert code == 0, err
    [kept] = tmp_path.glob("schedstudio-hip-*")
    assert f"kept the cook's working folder {kept}" in err
    assert list(kept.glob("pdgtemp/*/logs/gen_*.log"))


def test_a_graph_of_a_trillion_items_is_refused_before_anything_starts(tmp_path):
    graph = tmp_path / "huge.json"
    graph.write_text('{"name": "huge", "nodes": [{"name": "gen", "count": 1e12}]}')
    cli = start_cli(str(LOCAL), "--graph", str(graph), "--events")
    code, out, err = finish(cli, timeout=60)
    assert (code, out) == (2, "")  # no cook host ever ran: it would have sent events
    assert str(graph) in err and "1,000,000,000,000 work items" in err
