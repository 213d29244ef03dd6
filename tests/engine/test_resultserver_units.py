"""Socket-free pieces of the result server: arity, credentials, dispatch, connection bookkeeping."""
from __future__ import annotations

import base64
import socket
import xmlrpc.client

import pytest

from scheduler_studio.engine.resultserver import faults, methods
from scheduler_studio.engine.resultserver.auth import auth_failure, new_token
from scheduler_studio.engine.resultserver.connections import Connections
from scheduler_studio.engine.resultserver.dispatch import Dispatcher
from scheduler_studio.engine.resultserver.report import ServerReport
from tests.engine.test_resultserver_support import Recorder, basic_auth


def test_bind_pads_jobid_and_rejects_wrong_counts():
    assert methods.bind("failed", (4,)) == (4, "")
    assert methods.bind("failed", (4, "j")) == (4, "j")
    with pytest.raises(ValueError, match=r"failed\(item\[, jobid\]\) takes 1 or 2"):
        methods.bind("failed", ())
    with pytest.raises(ValueError):
        methods.bind("failed", (1, 2, 3))


def test_attrib_setters_exist_for_every_kind():
    for kind in ("string", "int", "float", "file", "dict"):
        assert methods.METHODS[f"set_{kind}_attrib"] == ("item", "sub", "name", "value", "index")
        assert methods.METHODS[f"set_{kind}_attrib_array"] == ("item", "sub", "name", "values")


def test_new_tokens_are_url_safe_and_distinct():
    tokens = {new_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) >= 32 and not set(t) & set(":@/%") for t in tokens)


@pytest.mark.parametrize("header, reason", [
    (None, "no credentials"),
    ("Bearer abc", "not HTTP Basic credentials"),
    ("Basic !!!", "unreadable credentials"),
    (basic_auth("other"), "wrong token"),
    (basic_auth("tok:secret"), "wrong token"),
    (basic_auth("tok"), None),
    (basic_auth("tok:"), None),
    ("basic " + base64.b64encode(b"tok").decode(), None),
])
def test_auth_failure_reasons(header, reason):
    assert auth_failure(header, "tok") == reason


def _dispatch(dispatcher, method, params):
    return xmlrpc.client.loads(dispatcher.dispatch(xmlrpc.client.dumps(params, method).encode()))


def test_dispatcher_counts_and_redacts():
    rec = Recorder()
    report = ServerReport(rec.log, "s3cret")
    dispatcher = Dispatcher(rec.handler, report)
    _dispatch(dispatcher, "start_cook", (1,))
    with pytest.raises(xmlrpc.client.Fault) as info:
        _dispatch(dispatcher, "s3cret", ())
    assert info.value.faultCode == faults.METHOD_NOT_FOUND
    assert report.stats == {"accepted": 1, "refused": 1}
    assert rec.logs == [("warning", "refused: '[token]': unknown method")]


def test_a_failing_log_sink_does_not_break_dispatch():
    def broken_log(level, message):
        raise OSError("disk full")

    dispatcher = Dispatcher(Recorder().handler, ServerReport(broken_log, "tok"))
    with pytest.raises(xmlrpc.client.Fault):
        _dispatch(dispatcher, "nope", ())


def test_connections_cap_reap_and_release():
    connections = Connections(limit=2, read_deadline_s=10.0)
    a, b = socket.socketpair()
    c, d = socket.socketpair()
    try:
        assert connections.admit(a, "peer-a") and connections.admit(c, "peer-c")
        assert not connections.admit(b, "peer-b")
        connections.request_read(c)
        assert connections.reap(now=float("inf")) == ["peer-a"]  # c has its request: no deadline
        assert b.recv(1) == b""  # a was shut down, so its peer sees EOF
        assert connections.reap(now=float("inf")) == []
        connections.release(a)
        assert connections.admit(b, "peer-b")
    finally:
        for sock in (a, b, c, d):
            sock.close()
