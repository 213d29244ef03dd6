"""Property: whatever bytes arrive, the server keeps answering, and the handler sees only valid calls."""
from __future__ import annotations

import xmlrpc.client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_studio.engine.resultserver import METHODS
from tests.engine.test_resultserver_support import Recorder, basic_auth, raw_post, running_server

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**31, 2**31 - 1) | _text
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.binary(max_size=8).map(xmlrpc.client.Binary),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_method = st.sampled_from([*sorted(METHODS), "system.multicall", "system.listMethods"]) | _text
_call = st.builds(lambda m, p: xmlrpc.client.dumps(tuple(p), m, allow_none=True).encode("utf-8"),
                  _method, st.lists(_values, max_size=8))
_multicall = st.builds(
    lambda calls: xmlrpc.client.dumps(
        ([{"methodName": m, "params": p} for m, p in calls],), "system.multicall", allow_none=True
    ).encode("utf-8"),
    st.lists(st.tuples(_method, st.lists(_values, max_size=7)), max_size=4))


@st.composite
def _mangled(draw):
    """A valid call with a slice cut out or junk spliced in."""
    body = draw(_call)
    start = draw(st.integers(0, len(body)))
    end = draw(st.integers(start, len(body)))
    return body[:start] + draw(st.binary(max_size=8)) + body[end:]


_payloads = st.one_of(st.binary(max_size=400), _call, _multicall, _mangled())


@pytest.fixture(scope="module")
def fuzzed():
    rec = Recorder()
    with running_server(rec, max_body_bytes=64 * 1024) as server:
        yield server, rec


@settings(max_examples=80, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=_payloads)
def test_server_survives_any_payload(fuzzed, payload):
    server, rec = fuzzed
    status, answer = raw_post(server.port, payload, {"Authorization": basic_auth(server.token)})
    assert status == 200 and answer.startswith(b"<?xml")
    with xmlrpc.client.ServerProxy("http://" + server.address, allow_none=True) as proxy:
        assert proxy.keepalive(1, "probe") is None
    for method, params in rec.calls:
        assert method in METHODS and len(params) == len(METHODS[method]) + 1
    assert rec.calls[-1] == ("keepalive", (1, "probe"))
