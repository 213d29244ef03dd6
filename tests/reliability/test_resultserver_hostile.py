"""The result server under a real cook (the Local template, its jobs reporting through
the job helper) while hostile clients attack it: random and malformed XML-RPC, wrong
tokens, replays of a real job's requests after its item finished, entity expansion,
huge payloads, slow clients and a burst past the connection cap.

Everything hostile is refused and logged, real jobs keep reporting, and the cook ends
with exactly the result of a clean cook of the same graph. The server listens on
loopback unless SCHEDSTUDIO_RESULT_HOST says otherwise, and the token never reaches an
event, the cook host's stderr or a job log.
"""
from __future__ import annotations

import base64
import json
import os
import select
import socket
import string
import subprocess
import xmlrpc.client
from pathlib import Path

import psutil
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_studio.engine.hostclient import host_command, host_env
from scheduler_studio.engine.cook.events import ItemDetails, LogMessage, from_json
from scheduler_studio.engine.model.enums import FINISHED_STATES, workItemState
from scheduler_studio.engine.processes import end_session
from scheduler_studio.engine.resultserver import METHODS, faults
from tests.engine.test_resultserver_hardening import BILLION_LAUGHS, EXTERNAL_ENTITY
from tests.engine.test_resultserver_support import basic_auth, open_partial_request, raw_post
from tests.polling import wait_for
from tests.reliability.support import DATA, LOCAL, BackgroundCook

JOBS = DATA / "jobs"
SLOW_CLIENTS = 24
# accepted for an item that already finished (late logs and questions are fine)
_FINE_WHEN_FINISHED = {"append_log", "warning", "invalidate_cache", "check_ready_batch",
                       "get_workitem_json", "acquire_job_slots", "release_job_slots"}
_ITEM_METHODS = sorted(m for m, params in METHODS.items() if params[:1] == ("item",))


def write_graph(folder: Path, go: Path, name: str = "hostile") -> Path:
    nodes = [
        {"name": "gate", "kind": "generator", "count": 1,
         "command": f"{{python}} {JOBS / 'gate.py'} {go}"},
        {"name": "render", "kind": "generator", "count": 3, "frame_start": 1,
         "outputs": ["__PDG_DIR__/render/frame.{frame4}.txt"],
         "command": f"{{python}} {JOBS / 'record_render.py'} --frame {{frame}} --out {{out}} "
                    "--capture __PDG_DIR__/captures/{name}.jsonl"},
        {"name": "denoise", "kind": "processor", "input": "render",
         "outputs": ["__PDG_DIR__/denoise/frame.{frame4}.txt"],
         "command": "{python} {jobs}/process.py --in {in} --out {out}"},
    ]
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"name": name, "nodes": nodes}), encoding="utf-8")
    return path


def outcome(cook: BackgroundCook, items: dict, workdir: Path) -> dict:
    """What a cook produced, comparable between two working dirs."""
    summary = cook.summary
    return {
        "status": summary["status"],
        "items": summary["items"],
        "errors": summary["errors"],
        "outputs": sorted(os.path.relpath(p, workdir) for p in summary["outputs"]),
        "states": {item.name: item.state.name for item in items.values()},
        "attributes": {item.name: {k: v for k, v in item.attributes_plain().items()
                                   if not k.startswith("__")} for item in items.values()},
        "files": {item.name: sorted(os.path.relpath(f.path, workdir) for f in item.outputFiles)
                  for item in items.values()},
    }


# -- hostile requests ----------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10)
_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**31, 2**31 - 1) | _text
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.binary(max_size=8).map(xmlrpc.client.Binary),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6)
_unknown_refs = (st.integers(10**6, 2**31 - 1) | st.integers(-2**31, -1) | st.booleans()
                 | st.text(string.ascii_letters + "_", min_size=1, max_size=12))


@st.composite
def _call(draw, refs, finished: bool):
    method = draw(st.sampled_from([m for m in _ITEM_METHODS
                                   if not (finished and m in _FINE_WHEN_FINISHED)]))
    arity = len(METHODS[method]) + draw(st.sampled_from([0, 1, 1, -1, 2]))
    rest = draw(st.lists(_values, min_size=max(0, arity - 1), max_size=max(0, arity - 1)))
    return method, [draw(refs), *rest]


def _body(calls: list) -> bytes:
    if len(calls) == 1:
        method, params = calls[0]
        return xmlrpc.client.dumps(tuple(params), method, allow_none=True).encode()
    entries = [{"methodName": m, "params": p} for m, p in calls]
    return xmlrpc.client.dumps((entries,), "system.multicall", allow_none=True).encode()


@st.composite
def hostile_requests(draw, finished_refs, gate_refs):
    """(auth header or None, body, what the server must answer: "401" | "faults")."""
    kind = draw(st.sampled_from(["unknown", "finished", "wrong_token", "garbage", "mangled"]))
    if kind == "wrong_token":
        # with a wrong token even a report for the running gate item must bounce
        refs = st.sampled_from(gate_refs) | _unknown_refs
        calls = draw(st.lists(_call(refs, False), min_size=1, max_size=3))
        auth = draw(st.sampled_from([None, "Basic", "Basic !!!", "Bearer {t}",
                                     "Basic {b64x}", "Basic {b64pw}", "basic {b64short}"]))
        return auth, _body(calls), "401"
    if kind in ("unknown", "finished"):
        refs = _unknown_refs if kind == "unknown" else st.sampled_from(finished_refs)
        calls = draw(st.lists(_call(refs, kind == "finished"), min_size=1, max_size=4))
        return "ok", _body(calls), "faults"
    if kind == "garbage":
        return "ok", draw(st.binary(max_size=300)), "faults"
    # a real call (even one for the running gate), made malformed: cut short, or with
    # a NUL byte (never valid XML) spliced in
    body = _body(draw(st.lists(_call(st.sampled_from(gate_refs), False), min_size=1, max_size=2)))
    cut = draw(st.integers(1, len(body.rstrip()) - 1))  # a cut in the trailing newline is no cut
    if draw(st.booleans()):
        return "ok", body[:cut], "faults"
    return "ok", body[:cut] + b"\x00" + body[cut:], "faults"


def _auth(spec: str | None, token: str) -> dict[str, str]:
    if spec is None:
        return {}
    if spec == "ok":
        return {"Authorization": basic_auth(token)}
    b64 = lambda raw: base64.b64encode(raw.encode()).decode()  # noqa: E731
    return {"Authorization": spec.format(t=token, b64x=b64("x" + token),
                                         b64pw=b64(token + ":pw"), b64short=b64(token[:-1]))}


def _all_faults(answer: bytes) -> bool:
    """Whether an XML-RPC answer refuses everything it was asked."""
    try:
        (value,), _ = xmlrpc.client.loads(answer)
    except xmlrpc.client.Fault:
        return True
    return isinstance(value, list) and value != [] and all(
        isinstance(entry, dict) and "faultCode" in entry for entry in value)


def _probe(address: str, gate_id: int) -> bool:
    with xmlrpc.client.ServerProxy(f"http://{address}", allow_none=True) as proxy:
        return proxy.keepalive(gate_id, "probe") is True


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _closed_by_server(sock: socket.socket) -> bool:
    """Whether the server has answered or dropped this idle client."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        sock.recv(1024)  # an answer (408...) or b"" (closed): either way, cut off
    except OSError:
        pass
    return True


# -- the test --------------------------------------------------------------------------------

def test_hostile_clients_during_a_real_cook_change_nothing(tmp_path):
    clean_dir, hostile_dir = tmp_path / "clean", tmp_path / "hostile"
    (tmp_path / "go-clean").write_text("go")
    clean = BackgroundCook(LOCAL, write_graph(tmp_path, tmp_path / "go-clean", "clean"),
                           clean_dir, parameters={"max_jobs": 3})
    clean_loop = clean.loop()
    clean.join()
    expected = outcome(clean, clean_loop.graph.items, clean_dir)
    assert expected["status"] == "succeeded" and expected["items"]["succeeded"] == 7

    go = tmp_path / "go-hostile"
    cook = BackgroundCook(LOCAL, write_graph(tmp_path, go, "hostile"), hostile_dir,
                          parameters={"max_jobs": 3})
    slow: list[socket.socket] = []
    try:
        address = cook.server_address()
        token, _, hostport = address.partition("@")
        port = int(hostport.rpartition(":")[2])
        loop = cook.loop()
        # slow clients hold connections from the start: the jobs report past them
        slow = [open_partial_request(port) for _ in range(SLOW_CLIENTS)]
        [gate] = wait_for(lambda: loop.graph.nodes["gate"].workItems, 60, "the gate item")
        done = [*loop.graph.nodes["render"].workItems]
        wait_for(lambda: len(loop.graph.nodes["denoise"].workItems) == 3, 90, "denoise items")
        done += loop.graph.nodes["denoise"].workItems
        wait_for(lambda: all(i.state in FINISHED_STATES for i in done), 90, "the jobs")
        assert all(i.state == workItemState.CookedSuccess and i.outputFiles for i in done)
        assert gate.state == workItemState.Cooking

        _replay_captured_requests(hostile_dir, port)
        _hand_made_attacks(address, port, gate.id, token)
        finished_refs = [i.id for i in done] + [i.name for i in done]
        _fuzz(address, port, token, finished_refs, [gate.id, gate.name, str(gate.id)])
        _burst_past_the_cap(address, port, gate.id)
        # the server cut the slow clients off itself (its read deadline), and said so
        wait_for(lambda: all(_closed_by_server(s) for s in slow), 60, "slow clients cut off")
        assert _probe(address, gate.id) and gate.state == workItemState.Cooking
    finally:
        go.write_text("go")
        for sock in slow:
            sock.close()
    cook.join()
    assert outcome(cook, loop.graph.items, hostile_dir) == expected

    server_log = [e.message for e in cook.events
                  if isinstance(e, LogMessage) and e.source == "resultserver"]
    for needle in ("already finished", "unknown work item", "wrong token", "no credentials",
                   "DTDForbidden", "exceeds", "too many open connections",
                   "malformed XML-RPC", "unknown work item True"):
        assert any(needle in line for line in server_log), needle
    # slow clients: cut by the reaper or by the per-read timeout, whichever came first
    assert any("not complete within" in line or "timed out" in line for line in server_log)
    assert not any(token in event.to_json() for event in cook.events)
    for log in hostile_dir.glob("pdgtemp/*/logs/*.log"):
        assert token not in log.read_text(errors="replace"), log


def _replay_captured_requests(workdir: Path, port: int) -> None:
    """Each render job's own requests, byte for byte, again after its item finished."""
    replayed = 0
    for capture in sorted((workdir / "captures").glob("render_*.jsonl")):
        requests = [base64.b64decode(json.loads(line)) for line in capture.read_text().splitlines()]
        assert any(b"system.multicall" in r for r in requests), capture
        for request in requests:
            answer = _raw(port, request)
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.0 200"), head
            assert _all_faults(body), body[:300]
            assert b"already finished" in body
            replayed += 1
    assert replayed >= 6


def _hand_made_attacks(address: str, port: int, gate_id: int, token: str) -> None:
    auth = {"Authorization": basic_auth(token)}
    # entity expansion and external entities never expand
    for body in (BILLION_LAUGHS, EXTERNAL_ENTITY):
        status, answer = raw_post(port, body, auth)
        assert status == 200 and _all_faults(answer)
    # a body over the limit is refused from its Content-Length, before it is read
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"POST /RPC2 HTTP/1.0\r\nAuthorization: " + auth["Authorization"].encode()
                     + b"\r\nContent-Length: 2000000000\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.0 413")
    # ...and when it is really sent (5 MB), the sender learns it too
    try:
        status, _ = raw_post(port, b"<methodCall>" + b"a" * (5 * 2**20), auth)
    except (ConnectionError, OSError):
        status = "closed"
    assert status in (413, "closed")
    # chunked bodies and unknown paths
    status, _ = raw_post(port, b"x", {**auth, "Transfer-Encoding": "chunked"})
    assert status in (411, 415)
    status, _ = raw_post(port, xmlrpc.client.dumps((gate_id,), "failed").encode(), auth, "/admin")
    assert status == 404
    # a boolean is not a work item id (True == 1 in Python)
    with xmlrpc.client.ServerProxy(f"http://{address}", allow_none=True) as proxy:
        for ref in (True, False):
            try:
                proxy.failed(ref, "")
                raise AssertionError(f"failed({ref}) was accepted")
            except xmlrpc.client.Fault as fault:
                assert fault.faultCode == faults.REFUSED
    # job-slot calls name an item too
    with xmlrpc.client.ServerProxy(f"http://{address}", allow_none=True) as proxy:
        for call in (proxy.acquire_job_slots, proxy.release_job_slots):
            try:
                call(987654321, "")
                raise AssertionError("a job-slot call for an unknown item was accepted")
            except xmlrpc.client.Fault as fault:
                assert fault.faultCode == faults.REFUSED
    assert _probe(address, gate_id)


def _fuzz(address: str, port: int, token: str, finished_refs: list, gate_refs: list) -> None:
    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(hostile_requests(finished_refs, gate_refs))
    def attack(request):
        auth, body, expected = request
        status, answer = raw_post(port, body, _auth(auth, token))
        if expected == "401":
            assert status == 401, (status, answer[:200])
        else:
            assert status == 200 and _all_faults(answer), answer[:400]
        assert _probe(address, gate_refs[0])

    attack()


def _burst_past_the_cap(address: str, port: int, gate_id: int) -> None:
    """More idle connections than the server takes: the extra ones get 503 at once,
    and once they go away the server serves again."""
    burst: list[socket.socket] = []
    answered: dict[socket.socket, bytes] = {}
    try:
        for _ in range(80):
            burst.append(socket.create_connection(("127.0.0.1", port), timeout=30))

        def collect() -> bool:
            waiting = [s for s in burst if s not in answered]
            readable, _, _ = select.select(waiting, [], [], 0.1)
            for sock in readable:
                try:
                    answered[sock] = sock.recv(64)
                except OSError:
                    answered[sock] = b""
            return sum(a.startswith(b"HTTP/1.0 503") for a in answered.values()) >= 80 - 64
        wait_for(collect, 60, "503 answers to the connections past the cap")
    finally:
        for sock in burst:
            sock.close()
    wait_for(lambda: _try_probe(address, gate_id), 60, "the server after the burst")


def _try_probe(address: str, gate_id: int) -> bool:
    try:
        return _probe(address, gate_id)
    except (xmlrpc.client.ProtocolError, OSError):
        return False


# -- loopback only, unless asked; the token never leaks ---------------------------------------

def _non_loopback_ipv4() -> str | None:
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                return address.address
    return None


def _host_cook(tmp_path: Path, extra_env: dict[str, str]):
    """Cook the token graph in a cook host; while the gate holds it, hand the test the
    host's pid and the address a job saw; then collect stdout events and stderr."""
    go = tmp_path / "go"
    graph = {"name": "token", "nodes": [
        {"name": "gate", "kind": "generator", "count": 1,
         "command": f"{{python}} {JOBS / 'gate.py'} {go}"},
        {"name": "cmdline", "kind": "generator", "count": 1,
         "outputs": ["__PDG_DIR__/out/cmdline.txt"],
         "command": f"{{python}} {JOBS / 'report_with.py'} --out {{out}} "
                    "--server __PDG_RESULT_SERVER__ --save-address __PDG_DIR__/address.txt"},
        {"name": "spoiled", "kind": "generator", "count": 1,
         "outputs": ["__PDG_DIR__/out/spoiled.txt"],
         "command": f"{{python}} {JOBS / 'report_with.py'} --out {{out}} --spoil"},
        {"name": "render", "kind": "generator", "count": 2, "frame_start": 1,
         "outputs": ["__PDG_DIR__/render/frame.{frame4}.txt"],
         "command": "{python} {jobs}/render.py --frame {frame} --out {out}"},
    ]}
    graph_file = tmp_path / "token.json"
    graph_file.write_text(json.dumps(graph))
    workdir = tmp_path / "work"
    env = {**host_env(), **extra_env}
    proc = subprocess.Popen(host_command(str(LOCAL), str(graph_file), workdir=str(workdir),
                                         timeout=120, parms={"max_jobs": "4"}),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    return proc, go, workdir


def _finish_host(proc, go: Path) -> tuple[bytes, bytes]:
    try:
        go.write_text("go")
        return proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        end_session(proc.pid)


def _listening(pid: int) -> list:
    try:
        return [c.laddr for c in psutil.Process(pid).net_connections(kind="tcp")
                if c.status == psutil.CONN_LISTEN]
    except psutil.Error:
        return []


def _connects(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=10):
            return True
    except OSError:
        return False


def test_loopback_by_default_and_the_token_never_leaks(tmp_path):
    proc, go, workdir = _host_cook(tmp_path, {})
    try:
        address = wait_for(lambda: (workdir / "address.txt").is_file()
                           and (workdir / "address.txt").read_text(), 90, "a job's address")
        token, _, hostport = address.partition("@")
        host, _, port = hostport.rpartition(":")
        assert host == "127.0.0.1"
        assert [(a.ip, a.port) for a in _listening(proc.pid)] == [("127.0.0.1", int(port))]
        other = _non_loopback_ipv4()
        if other:
            assert not _connects(other, int(port))
        assert _connects("127.0.0.1", int(port))
    finally:
        out, err = _finish_host(proc, go)
    events = [from_json(line) for line in out.decode().splitlines() if line.strip()]
    summary = events[-1].summary
    assert summary["status"] == "succeeded", summary
    assert summary["items"]["succeeded"] == 5
    assert any(p.endswith("cmdline.txt") for p in summary["outputs"])
    details = [e for e in events if isinstance(e, ItemDetails)]
    assert any("__PDG_RESULT_SERVER__" in e.command for e in details)
    assert any(isinstance(e, LogMessage) and "wrong token" in e.message for e in events)
    # nowhere: not in an event, not on stderr, not in a job log or status file
    leaks = [line[:120] for line in out.decode().splitlines() if token in line]
    assert leaks == [], leaks
    assert token not in err.decode(errors="replace")
    logs = [*workdir.glob("pdgtemp/*/logs/*"), *workdir.glob("pdgtemp/*/status/*")]
    assert len(logs) >= 10
    for log in logs:
        assert token not in log.read_text(errors="replace"), log
    spoiled = [p for p in logs if p.name.startswith("spoiled") and p.suffix == ".log"]
    assert len(spoiled) == 1, [p.name for p in logs]
    assert "HTTP 401" in spoiled[0].read_text(), spoiled[0].read_text()


def test_all_interfaces_only_when_the_user_opts_in(tmp_path):
    proc, go, workdir = _host_cook(tmp_path, {"SCHEDSTUDIO_RESULT_HOST": "0.0.0.0"})
    try:
        address = wait_for(lambda: (workdir / "address.txt").is_file()
                           and (workdir / "address.txt").read_text(), 90, "a job's address")
        token, _, hostport = address.partition("@")
        host, _, port = hostport.rpartition(":")
        assert host == socket.gethostname()  # jobs on other machines can reach it by name
        assert [(a.ip, a.port) for a in _listening(proc.pid)] == [("0.0.0.0", int(port))]
        other = _non_loopback_ipv4() or "127.0.0.1"
        # reachable from outside now, and still guarded by the token
        status, _ = raw_post_to(other, int(port), b"<methodCall/>", {})
        assert status == 401
    finally:
        out, err = _finish_host(proc, go)
    events = [from_json(line) for line in out.decode().splitlines() if line.strip()]
    assert events[-1].summary["status"] == "succeeded", events[-1].summary
    assert token not in out.decode() and token not in err.decode(errors="replace")


def raw_post_to(host: str, port: int, body: bytes, headers: dict) -> tuple[int, bytes]:
    import http.client
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("POST", "/RPC2", body, headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
