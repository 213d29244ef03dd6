"""Helpers shared by the result-server and job-helper tests (no tests here)."""
from __future__ import annotations

import base64
import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterator

from scheduler_studio.engine.resultserver import ResultServer


class Recorder:
    """A result handler and a log sink that remember everything, for assertions."""

    def __init__(self, answers: dict[str, Callable] | None = None) -> None:
        self.calls: list[tuple[str, tuple]] = []
        self.threads: list[threading.Thread] = []  # one connection thread per HTTP request
        self.logs: list[tuple[str, str]] = []
        self.answers = answers or {}
        self._lock = threading.Lock()

    def handler(self, method: str, params: tuple) -> object:
        with self._lock:
            self.calls.append((method, params))
            self.threads.append(threading.current_thread())
        answer = self.answers.get(method)
        return answer(*params) if answer else None

    def log(self, level: str, message: str) -> None:
        with self._lock:
            self.logs.append((level, message))

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def refusals(self) -> list[str]:
        return [message for _, message in self.logs if message.startswith("refused")]


def server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("resultserver")]


@contextlib.contextmanager
def running_server(recorder: Recorder, **options: object) -> Iterator[ResultServer]:
    """Start a server; on exit stop it and check the token never reached a log line."""
    server = ResultServer(recorder.handler, log=recorder.log, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()
    leaked = [message for _, message in recorder.logs if server.token in message]
    assert not leaked, "token appeared in a log line"
    assert not server_threads(), "server threads left running"


def basic_auth(token: str) -> str:
    return "Basic " + base64.b64encode(token.encode()).decode()


def raw_post(port: int, body: bytes, headers: dict[str, str] | None = None,
             path: str = "/") -> tuple[int, bytes]:
    """POST exactly these bytes and headers; (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", path, body, headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def open_partial_request(port: int) -> socket.socket:
    """A client that sends half a request and then goes quiet."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n")
    return sock


def wait_until(predicate: Callable[[], bool], timeout: float = 3.0) -> bool:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True
