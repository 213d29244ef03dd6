"""The per-cook secret: how it is made and how a request proves it knows it.

Jobs get ``TOKEN@HOST:PORT``; Python's XML-RPC client turns that URL user info
into ``Authorization: Basic base64(TOKEN)``, which is what is checked here.
"""
from __future__ import annotations

import base64
import binascii
import secrets


def new_token() -> str:
    """A URL-safe secret: never contains ``:`` or ``@``, so the address stays parseable."""
    return secrets.token_urlsafe(24)


def check_token_format(token: str) -> None:
    if not token or any(ch in token for ch in ":@/%") or not token.isprintable():
        raise ValueError("token must be non-empty printable text without ':', '@', '/' or '%'")


def auth_failure(header: str | None, token: str) -> str | None:
    """None when ``header`` carries ``token`` (empty password allowed), else the reason."""
    if not header:
        return "no credentials"
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return "not HTTP Basic credentials"
    try:
        decoded = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return "unreadable credentials"
    user, _, password = decoded.partition(b":")
    if password or not secrets.compare_digest(user, token.encode("utf-8")):
        return "wrong token"
    return None
