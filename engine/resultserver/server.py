"""The result server jobs report to: a threaded XML-RPC endpoint with a per-cook secret.

``ResultServer`` is the public face; ``TCPServer`` is the socketserver underneath,
which owns one daemon thread per connection and runs the connection reaper in
its accept loop.
"""
from __future__ import annotations

import selectors
import socket
import socketserver
import sys
import threading
import time

from .auth import check_token_format, new_token
from .connections import Connections
from .dispatch import Dispatcher, Handler
from .http_request import RequestHandler
from .report import LogFn, ServerReport

_BUSY = b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
_POLL_S = 0.05  # accept-loop wake-up: the connection reaper's granularity


class TCPServer(socketserver.TCPServer):
    """socketserver with capped, tracked, reaped connection threads."""

    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 drops SYNs behind a burst of idle clients: 1 s stalls

    def __init__(self, address: tuple[str, int], *, dispatcher: Dispatcher, report: ServerReport,
                 connections: Connections, token: str, max_body_bytes: int, io_timeout_s: float) -> None:
        self.dispatcher = dispatcher
        self.report = report
        self.connections = connections
        self.token = token
        self.require_auth = True  # False: requests without credentials pass (Houdini's way)
        self.max_body_bytes = max_body_bytes
        self.io_timeout_s = io_timeout_s
        # stop() wakes the accept loop through this pair at once, rather than after
        # its next poll: a cook's end must not wait out a poll interval
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._stopping = threading.Event()
        self._loop_done = threading.Event()
        super().__init__(address, RequestHandler)

    def serve_forever(self, poll_interval: float = _POLL_S) -> None:
        """Accept until shutdown(); reap stalled connections every poll."""
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_reader, selectors.EVENT_READ)
                while not self._stopping.is_set():
                    ready = selector.select(poll_interval)
                    if self._stopping.is_set():
                        break
                    if any(key.fileobj is self for key, _ in ready):
                        self._handle_request_noblock()
                    self.service_actions()
        finally:
            self._loop_done.set()

    def shutdown(self) -> None:
        """Stop serve_forever (running in another thread) and wait until it has."""
        self._stopping.set()
        try:
            self._wake_writer.send(b"\0")
        except OSError:
            pass  # already closed: the loop is gone too
        self._loop_done.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def verify_request(self, request: socket.socket, client_address: tuple) -> bool:
        peer = f"{client_address[0]}:{client_address[1]}"
        if self.connections.admit(request, peer):
            return True
        self.report.refused(f"{peer}: too many open connections")
        try:
            request.settimeout(0.5)
            request.sendall(_BUSY)
        except OSError:
            pass
        return False

    def process_request(self, request: socket.socket, client_address: tuple) -> None:
        thread = threading.Thread(target=self._serve_connection, args=(request, client_address),
                                  name="resultserver-conn", daemon=True)
        self.connections.track(thread)
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: tuple) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - one broken connection must not end the server
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def shutdown_request(self, request: socket.socket) -> None:
        self.connections.release(request)
        super().shutdown_request(request)

    def handle_error(self, request: socket.socket, client_address: tuple) -> None:
        exc = sys.exc_info()[1]
        self.report.note("warning", f"connection {client_address[0]}:{client_address[1]} "
                                    f"dropped: {type(exc).__name__}: {exc}")

    def service_actions(self) -> None:
        for peer in self.connections.reap(time.monotonic()):
            self.report.refused(f"{peer}: request not complete within {self.io_timeout_s:g} s")


class ResultServer:
    """XML-RPC server for job reports. ``handler(method, params)`` gets every valid call.

    ``params`` is always the full tuple of :data:`methods.METHODS` plus ``jobid``
    (padded with ``""`` when the job left it out); Binary arguments arrive as
    ``xmlrpc.client.Binary``. The handler may raise ``ReportRefused``.
    """

    def __init__(self, handler: Handler, *, host: str = "127.0.0.1", port: int = 0,
                 token: str | None = None, max_body_bytes: int = 4 * 1024 * 1024,
                 io_timeout_s: float = 10.0, log: LogFn | None = None,
                 max_connections: int = 64, require_auth: bool = True) -> None:
        self._token = new_token() if token is None else token
        check_token_format(self._token)
        self._host, self._port = host, port
        self._report = ServerReport(log, self._token)
        self._dispatcher = Dispatcher(handler, self._report)
        self._connections = Connections(max_connections, io_timeout_s)
        self._max_body_bytes = max_body_bytes
        self._io_timeout_s = io_timeout_s
        self._server: TCPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._require_auth = require_auth

    @property
    def require_auth(self) -> bool:
        return self._require_auth

    @require_auth.setter
    def require_auth(self, value: bool) -> None:
        """False: requests without credentials are served, as Houdini's server serves
        them (wrong credentials are still refused)."""
        self._require_auth = bool(value)
        if self._server is not None:
            self._server.require_auth = self._require_auth

    def start(self) -> None:
        """Bind and serve in a daemon thread. A stopped server cannot be restarted."""
        if self._server is not None or self._stopped:
            raise RuntimeError("result server already started")
        self._server = TCPServer((self._host, self._port), dispatcher=self._dispatcher,
                                 report=self._report, connections=self._connections,
                                 token=self._token, max_body_bytes=self._max_body_bytes,
                                 io_timeout_s=self._io_timeout_s)
        self._server.require_auth = self._require_auth
        self._thread = threading.Thread(target=self._server.serve_forever, args=(_POLL_S,),
                                        name="resultserver-accept", daemon=True)
        self._thread.start()
        self._report.note("info", f"result server listening on {self._host}:{self.port}")

    def stop(self, timeout: float = 2.0) -> None:
        """Close the listener and every open connection, then join the threads."""
        if self._server is None or self._stopped:
            self._stopped = True
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._connections.close_all()
        self._thread.join(timeout)
        stuck = self._connections.join(timeout)
        if stuck:
            self._report.note("warning", f"{len(stuck)} connection thread(s) still busy in the handler")
        self._report.note("info", "result server stopped")

    def __enter__(self) -> ResultServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("result server not started")
        return self._server.server_address[1]

    @property
    def token(self) -> str:
        return self._token

    @property
    def address(self) -> str:
        """``TOKEN@HOST:PORT``, the value of ``PDG_RESULT_SERVER`` for jobs."""
        host = socket.gethostname() if self._host in ("", "0.0.0.0") else self._host
        return f"{self._token}@{host}:{self.port}"

    @property
    def stats(self) -> dict[str, int]:
        """Snapshot of the counters: ``accepted`` calls and ``refused`` calls/requests."""
        return self._report.stats
