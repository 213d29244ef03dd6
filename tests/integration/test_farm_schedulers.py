"""Our own miniature farm schedulers, in the shapes public ones have, cooked on `frames`
through the CLI: each first fails with an error that names what is missing, then cooks
41/41 once the test gives it stand-ins (written here) or parameter values."""
from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from scheduler_studio.engine.cli import main
from tests.engine.cookkit import ROOT

FARMS = ROOT / "tests" / "data" / "farms"
FRAMES_ITEMS = 41


def farm(tmp_path: Path, name: str) -> Path:
    """A copy of a test farm scheduler in tmp_path (its stand-ins folder goes beside it)."""
    target = tmp_path / f"{name}.py"
    shutil.copyfile(FARMS / f"{name}.py", target)
    return target


def cook_json(capsys, module: Path, *extra: str) -> tuple[int, dict]:
    code = main(["cook", str(module), "--graph", "frames", "--json",
                 "--workdir", str(module.parent / "work"), *extra])
    return code, json.loads(capsys.readouterr().out)


def standin(folder: Path, name: str, text: str, executable: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    body = textwrap.dedent(text).lstrip("\n")
    if executable:
        body = f"#!{sys.executable}\n" + body
    path.write_text(body, encoding="utf-8")
    if executable:
        path.chmod(0o755)
    return path


def assert_cooked_all(code: int, summary: dict) -> None:
    assert (code, summary["status"]) == (0, "succeeded"), summary["errors"]
    assert summary["items"]["succeeded"] == FRAMES_ITEMS
    assert summary["errors"] == []


# -- a client library that submits jobs of blocks of tasks and is polled ------------------
AFCLIENT = '''
    """Stand-in for the afarm client: jobs run here, one process per task."""
    import itertools
    import subprocess

    _ids = itertools.count(1)
    _running = {}
    sent = []


    class Task:
        def __init__(self, name):
            self.name, self.command = name, ""

        def setCommand(self, command):
            self.command = command


    class Block:
        def __init__(self, name, service):
            self.name, self.tasks, self.cwd = name, [], None

        def setWorkingDirectory(self, cwd):
            self.cwd = cwd


    class Job:
        def __init__(self, name):
            self.name, self.blocks, self.env, self.priority = name, [], None, 0

        def setPriority(self, priority):
            self.priority = priority

        def setEnv(self, env):
            self.env = env

        def send(self):
            job_id = next(_ids)
            block = self.blocks[0]
            _running[job_id] = [subprocess.Popen(task.command, shell=True, env=self.env,
                                                 cwd=block.cwd, stdout=subprocess.DEVNULL)
                                for task in block.tasks]
            sent.append((self.name, self.priority))
            return job_id


    class Cmd:
        def getJobInfo(self, job_id):
            codes = [p.poll() for p in _running[job_id]]
            if None in codes:
                return {"state": "RUN"}
            return {"state": "DON" if not any(codes) else "ERR"}

        def deleteJob(self, job_id):
            for process in _running.pop(job_id, []):
                process.kill()
                process.wait()
'''


def test_client_library_farm_names_its_missing_client_then_cooks_with_a_stand_in(tmp_path, capsys):
    module = farm(tmp_path, "afarm")
    code, summary = cook_json(capsys, module)
    assert (code, summary["status"]) == (2, "error")
    error = summary["errors"][0]
    assert error["missing_module"] == "afclient"
    assert "afarm.py:8: import afclient" in error["message"]
    assert "afclient.py in " + str(tmp_path / "afarm.standins") in error["message"]
    assert "--stub afclient" in error["message"]

    standin(tmp_path / "afarm.standins", "afclient.py", AFCLIENT)
    code, summary = cook_json(capsys, module)
    assert_cooked_all(code, summary)
    assert {"module": "afclient", "kind": "file",
            "path": str(tmp_path / "afarm.standins" / "afclient.py")} in summary["stand_ins"]


def test_a_recording_stand_in_traces_every_call_with_its_arguments_in_order(tmp_path, capsys):
    module = farm(tmp_path, "afarm")
    main(["cook", str(module), "--graph", "frames", "--events", "--stub", "afclient",
          "--timeout", "3", "--workdir", str(tmp_path / "work")])
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    calls = [e for e in events if e["type"] == "standin_call"]
    first = [e["call"] for e in calls if e["item"] == calls[0]["item"] and
             e["callback"] == "onSchedule"]
    item = next(e for e in events if e["type"] == "item_added" and e["id"] == calls[0]["item"])
    name = item["name"]
    job, block, task = (f"afclient.Job('testcook.hip {name}')",
                        "afclient.Block('render', 'generic')", f"afclient.Task({name!r})")
    workdir = str(tmp_path / "work")
    def head(call: str) -> str:  # the long arguments (environment, command) cut off
        for method in (".setEnv(", ".setCommand("):
            if method in call:
                return call[:call.index(method) + len(method)]
        return call
    assert [head(call) for call in first] == [
        job, f"{job}.setPriority(50)", f"{job}.setEnv(",
        block, f"{block}.setWorkingDirectory({workdir!r})",
        task, f"{task}.setCommand(",
        f"{block}.tasks.append({task})", f"{job}.blocks.append({block})", f"{job}.send()",
    ]
    assert first[2].startswith(f"{job}.setEnv({{")  # the environment, shortened
    assert "render.py --frame 1 " in first[6]
    ticks = [e["call"] for e in calls if e["callback"] == "onTick"]
    assert ticks[:2] == ["afclient.Cmd()", "afclient.Cmd().getJobInfo(afclient.Job("
                         "'testcook.hip render_1').send())"]
    summary = events[-1]["summary"]
    assert summary["stand_ins"] == [{"module": "afclient", "kind": "recorder",
                                     "calls": len(calls)}]


def test_polling_a_recording_stand_in_ends_at_the_timeout_saying_it_cannot_say_done(tmp_path, capsys):
    module = farm(tmp_path, "afarm")
    code, summary = cook_json(capsys, module, "--stub", "afclient", "--timeout", "2")
    assert (code, summary["status"]) == (1, "timeout")
    message = summary["errors"][-1]["message"]
    assert "recording stand-in for afclient" in message
    assert "cannot say a job is done" in message


def test_stub_star_records_every_missing_import_of_the_scheduler(tmp_path, capsys):
    module = farm(tmp_path, "afarm")
    code, summary = cook_json(capsys, module, "--stub", "*", "--timeout", "2")
    assert summary["status"] == "timeout"
    assert [s["module"] for s in summary["stand_ins"]] == ["afclient"]


# -- a command-line tool that takes a job file -------------------------------------------------
QSUBMIT = '''
    import json, os, subprocess, sys
    job = json.load(open(sys.argv[1]))
    root = os.environ["QFARM_ROOT"]
    os.makedirs(root, exist_ok=True)
    job_id = str(len(os.listdir(root)) + 1)
    state = os.path.join(root, job_id)
    open(state, "w").close()
    wrapped = "%s; echo $? > %s.exit" % (job["command"], state)
    subprocess.Popen(wrapped, shell=True, env=job["env"], cwd=job["cwd"],
                     stdout=subprocess.DEVNULL, start_new_session=True)
    print("submitted job", job_id)
'''
QSTAT = '''
    import os, sys
    exit_file = os.path.join(os.environ["QFARM_ROOT"], sys.argv[1]) + ".exit"
    if not os.path.exists(exit_file) or not open(exit_file).read().strip():
        print("running")
    else:
        print("done" if open(exit_file).read().strip() == "0" else "failed")
'''


def test_command_line_farm_names_its_missing_tool_then_cooks_with_stand_in_tools(
        tmp_path, capsys, monkeypatch):
    module = farm(tmp_path, "qfarm")
    monkeypatch.setenv("QFARM_ROOT", str(tmp_path / "qfarm-jobs"))
    code, summary = cook_json(capsys, module)
    assert (code, summary["status"]) == (1, "failed")
    message = summary["errors"][0]["message"]
    assert "'qsubmit'" in message and "executable" in message and "qfarm.standins" in message

    tools = tmp_path / "tools"
    standin(tools, "qsubmit", QSUBMIT, executable=True)
    standin(tools, "qstat", QSTAT, executable=True)
    code, summary = cook_json(capsys, module, "--standins", str(tools))
    assert_cooked_all(code, summary)


# -- a Redis-like queue -----------------------------------------------------------------------
REDIS = '''
    """Stand-in for redis: an in-memory server whose worker runs the queued jobs."""
    import json
    import subprocess
    import threading

    _lists, _hashes, _lock = {}, {}, threading.Condition()


    class Redis:
        def __init__(self, host="localhost", port=6379, **kwargs):
            self.host = host
            threading.Thread(target=self._worker, daemon=True).start()

        def ping(self):
            return True

        def rpush(self, key, value):
            with _lock:
                _lists.setdefault(key, []).append(value)
                _lock.notify_all()

        def hset(self, key, field, value):
            with _lock:
                _hashes.setdefault(key, {})[field] = value.encode()

        def hget(self, key, field):
            with _lock:
                return _hashes.get(key, {}).get(field)

        def _worker(self):
            while True:
                with _lock:
                    while not any(_lists.values()):
                        _lock.wait()
                    key = next(k for k, v in _lists.items() if v)
                    job = json.loads(_lists[key].pop(0))
                code = subprocess.call(job["command"], shell=True, env=job["env"],
                                       cwd=job["cwd"], stdout=subprocess.DEVNULL)
                self.hset(key + ":state", str(job["id"]), "done" if code == 0 else "failed")
'''


def test_queue_farm_names_redis_then_cooks_with_a_stand_in_and_six(tmp_path, capsys):
    module = farm(tmp_path, "queuefarm")
    code, summary = cook_json(capsys, module)
    assert summary["errors"][0]["missing_module"] == "redis"
    assert "queuefarm.py:7: import redis" in summary["errors"][0]["message"]

    folder = tmp_path / "farm-standins"
    standin(folder, "redis.py", REDIS)
    code, summary = cook_json(capsys, module, "--standins", str(folder))
    assert_cooked_all(code, summary)
    assert [s["module"] for s in summary["stand_ins"]] == ["redis"]


# -- SideFX's schedulers as bases --------------------------------------------------------------
def test_a_local_scheduler_subclass_cooks_on_the_hfs_stand_in(tmp_path, capsys):
    module = farm(tmp_path, "mylocal")
    code, summary = cook_json(capsys, module)
    assert_cooked_all(code, summary)
    assert summary["scheduler"] == "studiolocal"


def test_a_deadline_scheduler_subclass_says_sidefx_deadline_is_not_in_the_test_cook(
        tmp_path, capsys):
    module = farm(tmp_path, "studiodeadline")
    code, summary = cook_json(capsys, module)
    assert (code, summary["status"]) == (2, "error")
    error = summary["errors"][0]
    assert error["missing_module"] == "tbdeadline"
    assert "SideFX's Deadline scheduler (tbdeadline) is not part of the test cook" in error["message"]
    assert "--stub tbdeadline" in error["message"]

    standin(tmp_path / "studiodeadline.standins", "tbdeadline.py", '''
        import os, sys
        sys.path.append(os.path.expandvars("$HFS/houdini/pdg/types/schedulers"))
        from local import LocalScheduler as DeadlineScheduler
    ''')
    code, summary = cook_json(capsys, module)
    assert_cooked_all(code, summary)


# -- the HDA PythonModule style and HDA parameters -------------------------------------------
def test_an_hda_style_module_is_registered_with_a_note_and_names_its_hda_parameters(tmp_path, capsys):
    module = farm(tmp_path, "hdafarm")
    code, summary = cook_json(capsys, module)
    assert (code, summary["status"]) == (1, "failed")
    assert summary["undefined_parameters"] == ["hda_pool", "hda_limit"]
    assert summary["errors"][-1]["type"] == "UndefinedParameters"
    lines = module.read_text(encoding="utf-8").splitlines()
    reads = summary["undefined_parameter_reads"]  # where each is read, for the window
    assert [(r["name"], r["file"]) for r in reads] == [("hda_pool", str(module)),
                                                       ("hda_limit", str(module))]
    assert all(f'self["{r["name"]}"]' in lines[r["line"] - 1] for r in reads)
    assert summary["scheduler"] == "hdafarm"
    assert "no registerTypes" in summary["notes"][0] and "HdaFarmScheduler" in summary["notes"][0]

    code, summary = cook_json(capsys, module, "--parm", "hda_pool=gpu", "--parm", "hda_limit=4")
    assert_cooked_all(code, summary)
    assert summary["undefined_parameters"] == []


def test_ten_undeclared_parameters_are_named_in_one_cook_then_given_in_a_file(tmp_path, capsys):
    module = farm(tmp_path, "rushlike")
    code, summary = cook_json(capsys, module)
    assert (code, summary["status"]) == (1, "failed")
    names = ["rush_verbose", "rush_cpus", "rush_ram", "rush_priority", "rush_title",
             "rush_logdir", "rush_maxtime", "rush_retries", "rush_hosts", "rush_nice"]
    assert summary["undefined_parameters"] == names
    assert all(name in summary["errors"][-1]["message"] for name in names)
    assert summary["items"]["succeeded"] == FRAMES_ITEMS  # the items cooked; the cook did not

    values = dict(zip(names, [True, 8, 16000, 50, "frames", "/tmp", 3600.0, 2, "+any", 10]))
    parms = tmp_path / "rush.json"
    parms.write_text(json.dumps(values), encoding="utf-8")
    code, summary = cook_json(capsys, module, "--parms-file", str(parms))
    assert_cooked_all(code, summary)
