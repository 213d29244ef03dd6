"""pdgcmd as a job uses it: copied into a scripts dir, run by a separate Python, reporting
to a real ResultServer."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import xmlrpc.client
from pathlib import Path

import pytest

from scheduler_studio.engine.resultserver import ReportRefused
from tests.engine.test_resultserver_support import Recorder, running_server

HELPER = Path(__file__).resolve().parents[2] / "engine" / "jobhelper" / "pdgcmd.py"
STAMP = r"^\[\d\d:\d\d:\d\d\.\d{3}\] "


def _refuse_item_999(item, *_):
    if item == 999:
        raise ReportRefused("unknown work item 999")


ANSWERS = {
    "get_workitem_json": lambda item, sub, jobid: '{"workitem": {"id": %d}}' % item,
    "check_ready_batch": lambda item, sub, jobid: 1,
    "add_sub_item_batch": lambda item, jobid: 4,
    "get_sharedserver_info": lambda name, jobid: {"name": name, "port": 5555},
    "failed": _refuse_item_999,
}


class Job:
    """A job directory with pdgcmd in its scripts dir, run the way a scheduler runs it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.scripts = root / "scripts"
        self.pdg_dir = root / "pdgdir"
        self.scripts.mkdir(parents=True)
        (self.pdg_dir / "geo").mkdir(parents=True)
        shutil.copy(HELPER, self.scripts / "pdgcmd.py")

    def env(self, address: str | None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PDG_")}
        env.update(PDG_ITEM_ID="7", PDG_ITEM_NAME="gen_7", PDG_DIR=str(self.pdg_dir),
                   PDG_TEMP=str(self.root), PDG_SCRIPTDIR=str(self.scripts),
                   PDG_JOBID_VAR="MY_JOB", MY_JOB="job-42", PDG_RPC_MAX_BACKOFF="0.01")
        if address is not None:
            env["PDG_RESULT_SERVER"] = address
        env.update(extra)
        return env

    def run_script(self, body: str, address: str | None, **extra: str) -> subprocess.CompletedProcess:
        script = self.scripts / "job.py"
        script.write_text("import pdgcmd\n" + textwrap.dedent(body))
        return self._run([str(script)], address, extra)

    def run_cli(self, flag: str, address: str | None, **extra: str) -> subprocess.CompletedProcess:
        return self._run([str(self.scripts / "pdgcmd.py"), flag], address, extra)

    def _run(self, args, address, extra):
        return subprocess.run([sys.executable, *args], env=self.env(address, **extra), cwd=self.root,
                              capture_output=True, text=True, timeout=30)


def _status_lines(stdout: str) -> list[str]:
    return [re.sub(STAMP, "", line) for line in stdout.splitlines() if re.match(STAMP + "PDG_", line)]


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MAIN_JOB = """
    import os, json
    out = os.path.join(os.environ["PDG_DIR"], "geo", "out.bgeo.sc")
    open(out, "w").close()
    os.utime(out, (1_700_000_000, 1_700_000_000))
    pdgcmd.workItemStartCook()
    pdgcmd.setStringAttrib("s", "hello", 0)
    pdgcmd.setIntAttribArray("n", [1, 2, 3])
    pdgcmd.setFloatAttrib("f", 0.5, 1)
    pdgcmd.setFileAttrib("file", out, 0)
    pdgcmd.setDictAttrib("d", {"k": 1}, 0)
    pdgcmd.setPyObjectAttrib("py", "{'a': 1}")
    pdgcmd.addOutputFile(out)
    pdgcmd.addOutputFile(["/elsewhere/a.txt", "/elsewhere/b.txt"], result_data_tag="file/text")
    pdgcmd.addOutputFiles(["/x/1.exr", "/x/2.exr"], hash_codes=[11, 12])
    pdgcmd.workItemSetCustomState("halfway")
    pdgcmd.workItemSetCookPercent(50.0)
    pdgcmd.workItemAppendLog("some log text")
    pdgcmd.invalidateCache()
    pdgcmd.warning("careful")
    pdgcmd.keepalive()
    print("JSON=" + pdgcmd.getWorkItemJSON(7, -1))
    pdgcmd.reportServerStarted("srv", 123, "127.0.0.1", 5555, "raw", "/logs/srv.log")
    print("INFO=" + json.dumps(pdgcmd.getSharedServerInfo("srv")))
    pdgcmd.writeAttribute("legacy", [1, 2])
    pdgcmd.workItemSuccess()
"""


@pytest.fixture(scope="module")
def main_job(tmp_path_factory):
    rec = Recorder(ANSWERS)
    job = Job(tmp_path_factory.mktemp("job"))
    with running_server(rec) as server:
        proc = job.run_script(MAIN_JOB, server.address)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return rec, proc


def _calls_named(rec, *names):
    return [(m, p) for m, p in rec.calls if m in names]


def test_cook_state_reports(main_job):
    rec, _ = main_job
    assert rec.calls[0] == ("start_cook", (7, "job-42"))
    assert rec.calls[-1] == ("success", (7, 0, "job-42"))


def test_attribute_reports(main_job):
    rec, _ = main_job
    attribs = {m: p for m, p in rec.calls if m.startswith("set_") and "attrib" in m}
    assert attribs["set_string_attrib"] == (7, -1, "s", "hello", 0, "job-42")
    assert attribs["set_int_attrib_array"] == (7, -1, "n", [1, 2, 3], "job-42")
    assert attribs["set_float_attrib"] == (7, -1, "f", 0.5, 1, "job-42")
    assert attribs["set_file_attrib"] == (
        7, -1, "file", ["__PDG_DIR__/geo/out.bgeo.sc", "file/geo", 1_700_000_000, True], 0, "job-42")
    assert attribs["set_dict_attrib"] == (7, -1, "d", {"k": 1}, 0, "job-42")
    assert attribs["set_pyobject_attrib"] == (7, -1, "py", "{'a': 1}", "job-42")
    assert ("write_attr", ("gen_7", "legacy", [1, 2], "job-42")) in rec.calls


def test_output_reports_travel_as_binary_in_multicalls(main_job):
    rec, _ = main_job
    results = [(i, p) for i, (m, p) in enumerate(rec.calls) if m == "result" and p[2].startswith("file")]
    (first, geo), (second, a), (third, b), *_ = results
    assert isinstance(geo[1], xmlrpc.client.Binary)
    assert (geo[1].data, geo[2], geo[3]) == (b"__PDG_DIR__/geo/out.bgeo.sc", "file/geo", 1_700_000_000)
    assert (a[1].data, a[2], b[1].data) == (b"/elsewhere/a.txt", "file/text", b"/elsewhere/b.txt")
    # Both files of one addOutputFile call arrive in one request: one system.multicall.
    assert rec.threads[second] is rec.threads[third] is not rec.threads[first]
    (_, array), = _calls_named(rec, "result_array")
    assert [f.data for f in array[1]] == [b"/x/1.exr", b"/x/2.exr"]
    assert array[2:] == (["file/image", "file/image"], [11, 12], "job-42")


def test_other_reports_and_queries(main_job):
    rec, proc = main_job
    assert _calls_named(rec, "set_custom_state", "set_cook_percent", "append_log",
                        "invalidate_cache", "warning", "keepalive") == [
        ("set_custom_state", (7, -1, "halfway", "job-42")),
        ("set_cook_percent", (7, -1, 50.0, "job-42")),
        ("append_log", (7, -1, "some log text", 3, "job-42")),
        ("invalidate_cache", (7, -1, "job-42")),
        ("warning", (7, "careful", "job-42")),
        ("keepalive", (7, "job-42")),
    ]
    assert 'JSON={"workitem": {"id": 7}}' in proc.stdout
    assert 'INFO={"name": "srv", "port": 5555}' in proc.stdout


def test_shared_server_announcement_is_one_multicall(main_job):
    rec, _ = main_job
    start = rec.methods().index("sharedserver_started")
    announced = rec.calls[start:start + 4]
    assert announced[0] == ("sharedserver_started", (
        {"name": "srv", "pid": 123, "host": "127.0.0.1", "port": 5555, "proto_type": "raw"}, "job-42"))
    assert [(p[1].data, p[2]) for _, p in announced[1:]] == [
        (b"127.0.0.1", "socket/ip"), (b"5555", "socket/port"), (b"/logs/srv.log", "file/text/log")]
    assert len({id(t) for t in rec.threads[start:start + 4]}) == 1


def test_status_lines_are_printed_with_timestamps(main_job):
    _, proc = main_job
    lines = _status_lines(proc.stdout)
    assert lines[0] == "PDG_START: 7;-1"
    assert "PDG_RESULT: 7;-1;__PDG_DIR__/geo/out.bgeo.sc;file/geo;1700000000" in lines
    assert "PDG_SET_STRING_ATTRIB: 7;s;hello" in lines
    assert lines[-1] == "PDG_SUCCESS: 7;-1;0"


BATCH_JOB = """
    pdgcmd.workItemStartCook(subindex=3)
    pdgcmd.waitUntilReady(7, 3)
    pdgcmd.addOutputFile("/o/a.png", subindex=3)
    pdgcmd.addOutputFile("/o/b.png", subindex=3, and_success=True, duration=1.5)
    pdgcmd.addOutputFiles(["/o/c.png"], subindex=3)
    print("SUB=%d" % pdgcmd.appendSubItem(7))
    pdgcmd.workItemSuccess(subindex=3)
"""


def test_batch_forms(tmp_path):
    rec = Recorder(ANSWERS)
    with running_server(rec) as server:
        proc = Job(tmp_path).run_script(BATCH_JOB, server.address)
    assert proc.returncode == 0, proc.stderr
    shapes = [(m, p[:2] if m.startswith(("start", "release", "acquire", "check", "add_sub")) else p)
              for m, p in rec.calls]
    assert shapes[:4] == [("start_cook_batch", (7, 3)), ("release_job_slots", (7, "job-42")),
                          ("check_ready_batch", (7, 3)), ("acquire_job_slots", (7, "job-42"))]
    (_, a), (_, b), (_, c) = rec.calls[4:7]
    assert (rec.calls[4][0], a[1].data) == ("result_batch", b"/o/a.png")
    assert a[2:] == ("file/image", 3, 0, "job-42")
    assert (rec.calls[5][0], b[3:]) == ("success_and_result_batch", (3, 0, 1.5, "job-42"))
    assert (rec.calls[6][0], c[1]) == ("result_array_batch", 3)
    assert rec.calls[-1] == ("success_batch", (7, 3, 0, "job-42"))
    assert "SUB=4" in proc.stdout


@pytest.mark.parametrize("flag, method, line", [
    ("--startcook", "start_cook", "PDG_START: 7;-1"),
    ("--success", "success", "PDG_SUCCESS: 7;-1;0"),
    ("--fail", "failed", "PDG_FAILED: 7"),
    ("--cancel", "cancelled", "PDG_CANCELLED: 7"),
])
def test_command_line(tmp_path, flag, method, line):
    rec = Recorder()
    with running_server(rec) as server:
        proc = Job(tmp_path).run_cli(flag, server.address)
    assert proc.returncode == 0, proc.stderr
    assert rec.methods() == [method] and rec.calls[0][1][0] == 7
    assert _status_lines(proc.stdout) == [line]


def test_item_name_is_the_key_without_item_id(tmp_path):
    rec = Recorder()
    with running_server(rec) as server:
        proc = Job(tmp_path).run_cli("--success", server.address, PDG_ITEM_ID="")
    assert proc.returncode == 0 and rec.calls == [("success", ("gen_7", 0, "job-42"))]


def test_without_server_reports_only_print(tmp_path):
    proc = Job(tmp_path).run_script("""
        pdgcmd.workItemStartCook()
        pdgcmd.addOutputFile("/o/a.png")
        pdgcmd.setIntAttrib("n", 1, 0)
        assert pdgcmd.getWorkItemJSON(7, -1) == ""
        pdgcmd.workItemSuccess()
    """, address="")
    assert proc.returncode == 0, proc.stderr
    assert _status_lines(proc.stdout) == [
        "PDG_START: 7;-1", "PDG_RESULT: 7;-1;/o/a.png;file/image;0",
        "PDG_SET_INT_ATTRIB: 7;n;1", "PDG_SUCCESS: 7;-1;0"]


def test_unreachable_server_raises_rpc_error(tmp_path):
    address = f"sekrit-token@127.0.0.1:{_unused_port()}"
    proc = Job(tmp_path).run_cli("--success", address, PDG_RPC_RETRIES="2")
    assert proc.returncode == 1
    assert "cannot reach result server at 127.0.0.1" in proc.stderr
    assert proc.stdout.count("retry") == 2
    assert "sekrit-token" not in proc.stdout + proc.stderr


def test_ignored_errors_stop_rpc_after_max_errors(tmp_path):
    address = f"tok@127.0.0.1:{_unused_port()}"
    proc = Job(tmp_path).run_script("""
        for _ in range(4):
            pdgcmd.workItemStartCook()
        pdgcmd.workItemSuccess()
    """, address, PDG_RPC_RETRIES="0", PDG_RPC_MAX_ERRORS="2", PDG_RPC_IGNORE_ERRORS="1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("Failed RPC") == 2
    assert proc.stdout.count("RPC is disabled") == 1
    assert _status_lines(proc.stdout).count("PDG_START: 7;-1") == 4  # printing goes on


def test_wrong_token_is_a_clear_error(tmp_path):
    rec = Recorder()
    with running_server(rec) as server:
        bad = "not-the-token@127.0.0.1:%d" % server.port
        proc = Job(tmp_path).run_cli("--success", bad)
    assert proc.returncode == 1
    assert "refused the job's credentials (HTTP 401)" in proc.stderr
    assert "not-the-token" not in proc.stdout + proc.stderr
    assert rec.calls == [] and len(rec.refusals()) == 1  # a 401 is not retried


def test_refused_report_raises_with_the_reason(tmp_path):
    rec = Recorder(ANSWERS)
    with running_server(rec) as server:
        proc = Job(tmp_path).run_script("pdgcmd.workItemFailed(999)\n", server.address)
    assert proc.returncode == 1
    assert "RpcError" in proc.stderr and "unknown work item 999" in proc.stderr
