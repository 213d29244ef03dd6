"""`CallbackServerMixin`: the result server a scheduler starts so jobs can report.

Houdini's mixin runs an XML-RPC server and turns each call into a hook
(``workItemSucceeded``...) that a scheduler may override; the default hooks forward to
``onWorkItem*``. Here the server is ours (loopback, a secret per cook, hardened parsing)
and the hooks run on the cook loop's thread.
"""
from __future__ import annotations

import os
from typing import Any, Optional

# imported with the module, not on the first startCallbackServer: the server's XML
# stack takes ~60 ms to import, which belongs to loading a scheduler, not to its cook
from .rpc import make_handler
from ..resultserver import ReportRefused, ResultServer
from .hooks import ReportHooks


class CallbackServerMixin(ReportHooks):
    """The hooks the server calls are `ReportHooks` (every scheduler has them)."""

    def __init__(self, is_local: bool = True, *args: Any, **kwargs: Any) -> None:
        self._callback_server_local = bool(is_local)
        if not hasattr(self, "custom_port_range"):
            self.custom_port_range = None

    # -- server control -----------------------------------------------------------------
    def startCallbackServer(self) -> bool:
        state = self._pdg_state
        if state.result_server is not None:
            return True
        host = os.environ.get("SCHEDSTUDIO_RESULT_HOST", "127.0.0.1")
        port = _first_port(getattr(self, "custom_port_range", None))
        server = ResultServer(make_handler(state, ReportRefused), host=host, port=port,
                              log=_logger(state), require_auth=state.result_server_auth)
        server.start()
        state.result_server = server
        return True

    def stopCallbackServer(self) -> None:
        state = self._pdg_state
        server, state.result_server = state.result_server, None
        if server is not None:
            server.stop()

    def isCallbackServerRunning(self) -> bool:
        return self._pdg_state.result_server is not None

    def workItemResultServerAddr(self) -> str:
        """``TOKEN@HOST:PORT`` of the running server (both job helpers accept it)."""
        state = self._pdg_state
        if state.result_server_addr_override:
            return state.result_server_addr_override
        return state.result_server.address if state.result_server else ""

    def _workItemResultServerAddr(self) -> str:
        """The server's own address, whatever `setWorkItemResultServerAddr` set."""
        server = self._pdg_state.result_server
        return server.address if server else ""


def _first_port(port_range: Optional[tuple]) -> int:
    if port_range and len(port_range) == 2 and port_range[0]:
        return int(port_range[0])
    return 0


def _logger(state: Any):
    def log(level: str, message: str) -> None:
        loop = state.loop
        if loop is not None:
            loop.post_log(level, f"result server: {message}")
    return log
