"""Why a call was refused: the exception handlers raise and the fault codes clients see.

The codes follow the informal XML-RPC fault-code interoperability list, so a
client can tell "you sent garbage" from "the cook said no".
"""
from __future__ import annotations

PARSE_ERROR = -32700        # not well-formed, or a forbidden XML construct (DTD, entity)
INVALID_REQUEST = -32600    # well-formed XML that is not a method call
METHOD_NOT_FOUND = -32601   # not on the allowlist
INVALID_PARAMS = -32602     # wrong number or shape of arguments
INTERNAL_ERROR = -32603     # the handler crashed or returned something XML-RPC cannot carry
REFUSED = -32500            # the handler refused the report (unknown item, item finished...)


class ReportRefused(Exception):
    """Raised by a result handler to refuse one call; the client gets a Fault, the log a line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
