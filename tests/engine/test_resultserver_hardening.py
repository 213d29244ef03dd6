"""Result server under hostile or broken clients: it refuses, stays small, keeps serving."""
from __future__ import annotations

import socket
import time
import tracemalloc
import xmlrpc.client

import pytest

from scheduler_studio.engine.resultserver import faults
from tests.engine.test_resultserver_support import (
    Recorder, basic_auth, open_partial_request, raw_post, running_server, server_threads, wait_until)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<methodCall><methodName>start_cook</methodName>
<params><param><value><string>&lol9;</string></value></param></params></methodCall>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE call [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<methodCall><methodName>start_cook</methodName>
<params><param><value><string>&secret;</string></value></param></params></methodCall>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE methodCall SYSTEM "http://127.0.0.1:9/evil.dtd">
<methodCall><methodName>start_cook</methodName>
<params><param><value><int>1</int></value></param></params></methodCall>"""


@pytest.fixture
def rec():
    return Recorder()


@pytest.fixture
def server(rec):
    with running_server(rec, max_body_bytes=64 * 1024, io_timeout_s=5.0) as srv:
        yield srv


def _post_authed(server, body, **headers):
    return raw_post(server.port, body, {"Authorization": basic_auth(server.token), **headers})


def _fault_code(answer: bytes) -> int:
    with pytest.raises(xmlrpc.client.Fault) as info:
        xmlrpc.client.loads(answer)
    return info.value.faultCode


def _call_ok(server) -> bool:
    with xmlrpc.client.ServerProxy("http://" + server.address) as proxy:
        return proxy.system.listMethods() is not None


@pytest.mark.parametrize("body", [b"<methodCall><oops", b"\xff\xfe garbage", b"",
                                  b"<methodCall><methodName>x</methodName><params>"
                                  b"<param><value><int>12ab</int></value></param></params></methodCall>"])
def test_malformed_xml_is_a_logged_fault(server, rec, body):
    status, answer = _post_authed(server, body)
    assert status == 200 and _fault_code(answer) == faults.PARSE_ERROR
    assert rec.calls == [] and len(rec.refusals()) == 1


def test_xml_that_is_not_a_call_is_refused(server, rec):
    status, answer = _post_authed(server, xmlrpc.client.dumps((1,), methodresponse=True).encode())
    assert status == 200 and _fault_code(answer) == faults.INVALID_REQUEST
    assert rec.calls == []


def test_billion_laughs_refused_with_little_memory(server, rec):
    # how fast: `make bench` (bench_timings)
    tracemalloc.start()
    try:
        status, answer = _post_authed(server, BILLION_LAUGHS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert status == 200 and _fault_code(answer) == faults.PARSE_ERROR
    assert peak < 8 * 1024 * 1024
    assert rec.calls == [] and "DTDForbidden" in rec.refusals()[0]


@pytest.mark.parametrize("body", [EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_external_references_refused(server, rec, body):
    status, answer = _post_authed(server, body)
    assert status == 200 and _fault_code(answer) == faults.PARSE_ERROR
    assert rec.calls == []


def test_oversized_body_refused_without_reading_it(server, rec):
    # Only the headers are sent: a 413 proves the server did not wait for the body.
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic_auth(server.token).encode()
                     + b"\r\nContent-Length: 1000000000\r\n\r\n")
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.0 413")
    assert rec.calls == [] and "exceeds" in rec.refusals()[0]


def test_oversized_body_from_real_client_does_not_crash_server(server, rec):
    with xmlrpc.client.ServerProxy("http://" + server.address) as proxy:
        with pytest.raises((xmlrpc.client.ProtocolError, OSError)):
            proxy.append_log(1, -1, "x" * (200 * 1024), 3, "j")
    assert rec.calls == [] and _call_ok(server)


@pytest.mark.parametrize("headers, path, status", [
    ({}, "/somewhere", 404),
    ({"Content-Encoding": "gzip"}, "/", 415),
    ({"Transfer-Encoding": "chunked"}, "/", 415),
])
def test_wrong_path_or_encoding_refused(server, rec, headers, path, status):
    body = xmlrpc.client.dumps((1,), "start_cook").encode()
    got, _ = raw_post(server.port, body, {"Authorization": basic_auth(server.token), **headers}, path)
    assert got == status and rec.calls == [] and len(rec.refusals()) == 1


def test_missing_content_length_refused(server, rec):
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
        sock.sendall(b"POST / HTTP/1.0\r\nAuthorization: " + basic_auth(server.token).encode() + b"\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.0 411")
    assert rec.calls == []


def test_get_and_garbage_request_lines_are_logged_refusals(server, rec):
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.0 501")
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
        sock.sendall(b"\x00\x01 nonsense\r\n\r\n")
        assert b"400" in sock.recv(4096)
    assert len(rec.refusals()) == 2 and _call_ok(server)


def test_token_smuggled_into_path_never_logged(server, rec):
    raw_post(server.port, b"x", {}, path="/" + server.token)
    assert rec.refusals()  # running_server asserts the token is absent from every line


def test_slow_clients_do_not_block_real_ones(server, rec):
    # how long the real call takes beside them: `make bench` (bench_timings)
    slow = [open_partial_request(server.port) for _ in range(10)]
    try:
        with xmlrpc.client.ServerProxy("http://" + server.address) as proxy:
            proxy.start_cook(1, "j")
        assert rec.calls == [("start_cook", (1, "j"))]
    finally:
        for sock in slow:
            sock.close()


def test_stop_is_prompt_with_slow_client_connected(rec):
    with running_server(rec) as server:
        slow = open_partial_request(server.port)
        assert wait_until(lambda: len(server_threads()) == 2)  # accept loop + this connection
        server.stop()                     # how promptly: `make bench` (bench_timings)
        assert not server_threads()
        assert slow.recv(100) == b""  # the server hung up on it
        slow.close()


def test_silent_client_is_cut_off(rec):
    with running_server(rec, io_timeout_s=0.3) as server:
        with open_partial_request(server.port) as slow:
            slow.settimeout(30)               # how soon: `make bench` (bench_timings)
            assert slow.recv(100) == b""
        assert wait_until(lambda: any("timed out" in m for m in rec.refusals()))


def test_trickling_client_is_cut_off_at_the_deadline(rec):
    # Each byte arrives well within the per-read timeout; only the request deadline stops it.
    with running_server(rec, io_timeout_s=0.5) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
            with pytest.raises(OSError):      # how soon: `make bench` (bench_timings)
                for _ in range(100):
                    sock.sendall(b"X")
                    time.sleep(0.05)
        assert any("not complete within" in m for m in rec.refusals())


def test_connections_beyond_the_cap_get_503(rec):
    with running_server(rec, max_connections=2) as server:
        slow = [open_partial_request(server.port) for _ in range(2)]
        assert wait_until(lambda: len(server_threads()) == 3)
        with socket.create_connection(("127.0.0.1", server.port), timeout=2) as extra:
            assert extra.recv(100).startswith(b"HTTP/1.0 503")
        for sock in slow:
            sock.close()
        assert wait_until(lambda: _served(server))
    assert any("too many open connections" in m for m in rec.refusals())


def _served(server) -> bool:
    try:
        return _call_ok(server)
    except xmlrpc.client.ProtocolError:
        return False
