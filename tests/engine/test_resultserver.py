"""Result server behaviour seen by real XML-RPC clients over real sockets."""
from __future__ import annotations

import xmlrpc.client

import pytest

from scheduler_studio.engine.resultserver import METHODS, ReportRefused, ResultServer
from scheduler_studio.engine.resultserver import faults
from tests.engine.test_resultserver_support import Recorder, basic_auth, raw_post, running_server


def _refuse_finished(item, *_):
    if item == "finished":
        raise ReportRefused("item 'finished' already cooked")


def _crash(*_):
    raise RuntimeError("handler bug")


@pytest.fixture
def rec():
    return Recorder({
        "get_workitem_json": lambda item, sub, jobid: '{"id": %d}' % item,
        "check_ready_batch": lambda item, sub, jobid: 1,
        "failed": _refuse_finished,
        "keepalive": _crash,
        "warning": lambda *_: object(),
    })


@pytest.fixture
def server(rec):
    with running_server(rec) as srv:
        yield srv


@pytest.fixture
def proxy(server):
    with xmlrpc.client.ServerProxy("http://" + server.address, allow_none=True) as p:
        yield p


def test_address_carries_token_and_port(server):
    token, _, hostport = server.address.partition("@")
    assert token == server.token and ":" not in token
    assert hostport == f"127.0.0.1:{server.port}"


def test_calls_reach_handler_with_jobid_padded(proxy, rec):
    assert proxy.start_cook(7, "job-1") is None
    assert proxy.success(7, 0) is None
    assert proxy.get_workitem_json(7, -1) == '{"id": 7}'
    assert rec.calls == [
        ("start_cook", (7, "job-1")),
        ("success", (7, 0, "")),
        ("get_workitem_json", (7, -1, "")),
    ]


def test_binary_arguments_arrive_as_binary(proxy, rec):
    proxy.result(3, xmlrpc.client.Binary(b"/out/a.bgeo.sc"), "file/geo", 1234, "j")
    (method, (item, data, tag, hash_code, jobid)), = rec.calls
    assert isinstance(data, xmlrpc.client.Binary) and data.data == b"/out/a.bgeo.sc"
    assert (method, item, tag, hash_code, jobid) == ("result", 3, "file/geo", 1234, "j")


def test_rpc2_and_root_paths_both_served(server, rec):
    for path in ("/", "/RPC2"):
        body = xmlrpc.client.dumps((1,), "start_cook").encode()
        status, _ = raw_post(server.port, body, {"Authorization": basic_auth(server.token)}, path)
        assert status == 200
    assert rec.methods() == ["start_cook", "start_cook"]


def test_every_allowlisted_method_dispatches_in_one_multicall(proxy, rec):
    rec.answers.clear()
    multi = xmlrpc.client.MultiCall(proxy)
    for name, required in sorted(METHODS.items()):
        getattr(multi, name)(*range(len(required)))
    list(multi())  # raises on any fault entry
    assert rec.methods() == sorted(METHODS)
    assert all(len(params) == len(METHODS[m]) + 1 for m, params in rec.calls)


def test_list_methods(proxy, rec):
    names = proxy.system.listMethods()
    assert set(names) == set(METHODS) | {"system.multicall", "system.listMethods"}
    assert rec.calls == []


def test_multicall_bad_entry_faults_alone(server, rec):
    calls = [
        {"methodName": "start_cook", "params": [1, "j"]},
        {"methodName": "no_such_method", "params": []},
        {"methodName": "failed", "params": [1, 2, 3, 4]},
        {"methodName": "system.multicall", "params": [[]]},
        "not a struct",
        {"methodName": "cancelled", "params": [1]},
    ]
    body = xmlrpc.client.dumps((calls,), "system.multicall").encode()
    status, answer = raw_post(server.port, body, {"Authorization": basic_auth(server.token)})
    (results,), _ = xmlrpc.client.loads(answer)
    assert status == 200
    assert results[0] == [None] and results[5] == [None]
    codes = [r["faultCode"] for r in results[1:5]]
    assert codes == [faults.METHOD_NOT_FOUND, faults.INVALID_PARAMS,
                     faults.INVALID_REQUEST, faults.INVALID_REQUEST]
    assert rec.calls == [("start_cook", (1, "j")), ("cancelled", (1, ""))]
    assert len(rec.refusals()) == 4


@pytest.mark.parametrize("call, code", [
    (lambda p: p.no_such_method(1), faults.METHOD_NOT_FOUND),
    (lambda p: p.start_cook(), faults.INVALID_PARAMS),
    (lambda p: p.start_cook(1, "j", "extra"), faults.INVALID_PARAMS),
    (lambda p: p.system.listMethods(1), faults.INVALID_PARAMS),
    (lambda p: p.system.multicall("not a list"), faults.INVALID_PARAMS),
])
def test_unknown_method_and_wrong_arity_refused(proxy, rec, call, code):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(proxy)
    assert info.value.faultCode == code
    assert rec.calls == []
    assert len(rec.refusals()) == 1


def test_handler_refusal_becomes_fault_and_log_line(proxy, rec, server):
    with pytest.raises(xmlrpc.client.Fault) as info:
        proxy.failed("finished", "j")
    assert info.value.faultCode == faults.REFUSED
    assert "already cooked" in info.value.faultString
    assert any("already cooked" in m for m in rec.refusals())
    assert proxy.start_cook(1) is None  # still serving
    assert server.stats == {"accepted": 1, "refused": 1}


def test_handler_crash_and_unmarshallable_result_become_internal_errors(proxy, rec):
    for call in (lambda: proxy.keepalive(1), lambda: proxy.warning(1, "msg")):
        with pytest.raises(xmlrpc.client.Fault) as info:
            call()
        assert info.value.faultCode == faults.INTERNAL_ERROR
    errors = [m for level, m in rec.logs if level == "error"]
    assert len(errors) == 2 and "RuntimeError: handler bug" in errors[0]
    assert proxy.check_ready_batch(1, 0) == 1


@pytest.mark.parametrize("userinfo", ["", "wrong-token@", "{token}:password@"])
def test_missing_or_wrong_token_refused(server, rec, userinfo):
    url = f"http://{userinfo.format(token=server.token)}127.0.0.1:{server.port}"
    with pytest.raises(xmlrpc.client.ProtocolError) as info:
        xmlrpc.client.ServerProxy(url).start_cook(1, "j")
    assert info.value.errcode == 401
    assert rec.calls == []
    assert server.stats["refused"] == 1 and len(rec.refusals()) == 1


def test_python_client_sends_userinfo_as_basic_auth(server, rec):
    # The wire form the server relies on: Authorization: Basic base64(TOKEN).
    body = xmlrpc.client.dumps((5,), "start_cook").encode()
    status, _ = raw_post(server.port, body, {"Authorization": basic_auth(server.token)})
    assert status == 200 and rec.calls == [("start_cook", (5, ""))]


def test_token_given_is_used_and_bad_tokens_rejected():
    assert ResultServer(lambda m, p: None, token="abc").token == "abc"
    for bad in ("", "a:b", "a@b", "a/b"):
        with pytest.raises(ValueError):
            ResultServer(lambda m, p: None, token=bad)


def test_stop_is_idempotent_and_start_twice_fails(rec):
    server = ResultServer(rec.handler, log=rec.log)
    server.stop()
    server = ResultServer(rec.handler, log=rec.log)
    server.start()
    with pytest.raises(RuntimeError):
        server.start()
    server.stop()
    server.stop()


def test_stop_wakes_the_accept_loop_instead_of_waiting_for_its_poll(rec, monkeypatch):
    # with an accept loop that polls once a minute, stop() still returns at once: a
    # cook's end does not wait out a poll interval
    import threading

    from scheduler_studio.engine.resultserver import server as server_module
    monkeypatch.setattr(server_module, "_POLL_S", 60.0)
    server = ResultServer(rec.handler, log=rec.log)
    server.start()
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(10)
    assert not stopper.is_alive()
    with pytest.raises(OSError):  # the listener is closed
        raw_post(server.port, b"x", {})
