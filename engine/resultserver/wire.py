"""XML-RPC bytes <-> Python values, with hostile input in mind.

Requests are parsed with defusedxml's expat parser with DTDs forbidden, so entity
tricks (billion laughs, external entities) fail at the DOCTYPE before any
expansion. ``xmlrpc.client.loads`` is not used: it would parse without defusing.
Binary values stay ``xmlrpc.client.Binary`` objects (``use_builtin_types=False``).
"""
from __future__ import annotations

import xmlrpc.client

from defusedxml.xmlrpc import DefusedExpatParser

from .faults import INVALID_REQUEST, PARSE_ERROR


def parse_call(body: bytes) -> tuple[str, tuple]:
    """Return ``(method, params)`` or raise a Fault saying why the body is not a call."""
    target = xmlrpc.client.Unmarshaller(use_datetime=False, use_builtin_types=False)
    parser = DefusedExpatParser(target, forbid_dtd=True)
    try:
        parser.feed(body)
        parser.close()
        params = target.close()
    # Any failure to read attacker-supplied bytes means the same thing: not a call.
    except Exception as exc:  # noqa: BLE001
        raise xmlrpc.client.Fault(PARSE_ERROR, f"malformed XML-RPC ({type(exc).__name__})") from None
    method = target.getmethodname()
    if not isinstance(method, str):
        raise xmlrpc.client.Fault(INVALID_REQUEST, "not an XML-RPC methodCall")
    return method, params


def check_marshallable(value: object) -> None:
    """Raise TypeError/OverflowError now if ``value`` cannot travel back to the client."""
    xmlrpc.client.dumps((value,), allow_none=True)


def dump_response(value: object) -> bytes:
    return xmlrpc.client.dumps((value,), methodresponse=True, allow_none=True).encode("utf-8")


def dump_fault(fault: xmlrpc.client.Fault) -> bytes:
    return xmlrpc.client.dumps(fault, methodresponse=True, allow_none=True).encode("utf-8")
