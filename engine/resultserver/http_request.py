"""The HTTP side of one connection: path, length, encoding and credentials, then dispatch.

Checks that need no body (path, Content-Length, encoding) answer before a byte of
the body is read, so an oversized request costs nothing. The body is read before
the credentials are judged so a refused client still gets a clean 401 instead of
a reset connection. One request per connection (HTTP/1.0): idle keep-alive
connections would otherwise eat the connection cap.
"""
from __future__ import annotations

import http.server
import re
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .auth import auth_failure
from .methods import METHODS
from .report import shown

if TYPE_CHECKING:
    from .server import TCPServer

RPC_PATHS = ("/", "/RPC2")
_LINGER_BYTES = 1024 * 1024   # discarded at most after an early refusal...
_LINGER_S = 1.0               # ...and for at most this long


class RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "SchedulerStudioResultServer/1"
    sys_version = ""
    server: TCPServer

    def setup(self) -> None:
        self.timeout = self.server.io_timeout_s  # per recv/send; the reaper bounds the whole read
        super().setup()

    @property
    def peer(self) -> str:
        return f"{self.client_address[0]}:{self.client_address[1]}"

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        early = self._early_refusal()
        if early:
            self._refuse(*early)
            self._linger()
            return
        length = self._content_length()
        body = self.rfile.read(length)
        if len(body) < length:
            self.server.report.refused(f"{self.peer}: connection closed before the body was complete")
            return
        self.server.connections.request_read(self.connection)
        failure = auth_failure(self.headers.get("Authorization"), self.server.token)
        if failure and not (failure == "no credentials" and not self.server.require_auth):
            if failure == "no credentials" and _is_job_report(body):
                failure += (" on a job report: the job most likely got an address the "
                            "scheduler rebuilt from workItemResultServerAddr() (splitting "
                            "it on ':' and putting in a host drops the secret before '@'). "
                            "Hand jobs the address unchanged, or cook with "
                            "--result-server-auth off (Houdini's server has no secret)")
            self._refuse(401, failure, (("WWW-Authenticate", 'Basic realm="pdg"'),))
            return
        self._reply(200, self.server.dispatcher.dispatch(body, self.peer), "text/xml")

    def _early_refusal(self) -> tuple[int, str] | None:
        """A refusal decided from the request line and headers alone, before any body is read."""
        if self.path not in RPC_PATHS:
            return 404, f"unknown path {shown(self.path)}"
        encoding = self.headers.get("Content-Encoding", "identity").strip().lower()
        if self.headers.get("Transfer-Encoding") or encoding != "identity":
            return 415, "encoded or chunked bodies are not accepted"
        length = self._content_length()
        if length is None:
            return 411, "missing or invalid Content-Length"
        if length > self.server.max_body_bytes:
            return 413, f"body of {length} bytes exceeds {self.server.max_body_bytes}"
        return None

    def _linger(self) -> None:
        """Discard (boundedly) what the client still sends, so it reads our answer, not a reset.

        Closing a socket with unread data makes the kernel send RST, which can
        destroy the response before the client reads it.
        """
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(_LINGER_S)
            budget = _LINGER_BYTES
            while budget > 0:
                chunk = self.connection.recv(min(budget, 65536))
                if not chunk:
                    break
                budget -= len(chunk)
        except OSError:
            pass

    def _content_length(self) -> int | None:
        values = self.headers.get_all("Content-Length") or []
        if len(set(values)) != 1:
            return None
        value = values[0].strip()
        return int(value) if value.isascii() and value.isdigit() else None

    def _refuse(self, status: int, reason: str, headers: Sequence[tuple[str, str]] = ()) -> None:
        self.server.report.refused(f"{self.peer}: HTTP {status}: {reason}")
        self._reply(status, f"{status} {reason}\n".encode(), "text/plain", headers)

    def _reply(self, status: int, body: bytes, content_type: str,
               headers: Sequence[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    # http.server reports bad request lines, oversized headers, timeouts and
    # unsupported verbs through log_message; those are refusals too.
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base-class name
        self.server.report.refused(f"{self.peer}: {format % args}")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Successful requests are counted by the dispatcher, not logged per request."""


_METHOD_NAME = re.compile(rb"<methodName>\s*([\w.]+)\s*</methodName>")


def _is_job_report(body: bytes) -> bool:
    """Whether the request calls one of the job helper's report methods."""
    match = _METHOD_NAME.search(body[:4096])
    return bool(match) and (match.group(1).decode() in METHODS
                            or match.group(1) == b"system.multicall")
