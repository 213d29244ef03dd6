"""One request body in, one response body out: the XML-RPC layer without sockets.

Only calls that parse, are on the allowlist and have the right arity reach the
handler; each ``system.multicall`` entry is checked and dispatched on its own, so
one bad entry becomes one fault entry. The handler runs on server threads and
must be thread-safe (the cook loop's handler only posts messages).
"""
from __future__ import annotations

import traceback
from collections.abc import Callable
from xmlrpc.client import Fault

from . import methods
from .faults import INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, REFUSED, ReportRefused
from .report import ServerReport, shown
from .wire import check_marshallable, dump_fault, dump_response, parse_call

Handler = Callable[[str, tuple], object]


class Dispatcher:
    """Validates calls, hands the valid ones to ``handler`` and marshals the answer."""

    def __init__(self, handler: Handler, report: ServerReport) -> None:
        self._handler = handler
        self._report = report

    def dispatch(self, body: bytes, peer: str = "") -> bytes:
        try:
            method, params = parse_call(body)
        except Fault as fault:
            self._report.refused(f"{peer}: {fault.faultString}")
            return dump_fault(fault)
        try:
            if method == methods.MULTICALL:
                return dump_response(self._multicall(params))
            return dump_response(self._call(method, params, shown(method)))
        except Fault as fault:
            return dump_fault(fault)

    def _multicall(self, params: tuple) -> list:
        if len(params) != 1 or not isinstance(params[0], list):
            raise self._refuse(INVALID_PARAMS, methods.MULTICALL, "expects one array of calls")
        answers: list = []
        for index, call in enumerate(params[0]):
            where = f"{methods.MULTICALL}[{index}]"
            try:
                answers.append([self._multicall_entry(call, where)])
            except Fault as fault:
                answers.append({"faultCode": fault.faultCode, "faultString": fault.faultString})
        return answers

    def _multicall_entry(self, call: object, where: str) -> object:
        if not (isinstance(call, dict) and isinstance(call.get("methodName"), str)
                and isinstance(call.get("params"), list)):
            raise self._refuse(INVALID_REQUEST, where, "entry is not {methodName, params}")
        name = call["methodName"]
        if name == methods.MULTICALL:
            raise self._refuse(INVALID_REQUEST, where, "nested system.multicall")
        return self._call(name, tuple(call["params"]), f"{where} {shown(name)}")

    def _call(self, name: str, params: tuple, where: str) -> object:
        if name == methods.LIST_METHODS:
            if params:
                raise self._refuse(INVALID_PARAMS, where, "takes no arguments")
            return methods.all_method_names()
        if name not in methods.METHODS:
            raise self._refuse(METHOD_NOT_FOUND, where, "unknown method")
        try:
            bound = methods.bind(name, params)
        except ValueError as exc:
            raise self._refuse(INVALID_PARAMS, where, str(exc)) from None
        try:
            value = self._handler(name, bound)
        except ReportRefused as exc:
            raise self._refuse(REFUSED, where, exc.reason) from None
        except Exception as exc:  # noqa: BLE001 - any handler bug becomes a fault, not a dead server
            self._report.refused(f"{where}: handler raised\n{traceback.format_exc()}", "error")
            raise Fault(INTERNAL_ERROR, f"{name}: internal error ({type(exc).__name__}: {exc})") from None
        try:
            check_marshallable(value)
        except (TypeError, OverflowError, ValueError) as exc:
            self._report.refused(f"{where}: handler returned {type(value).__name__}: {exc}", "error")
            raise Fault(INTERNAL_ERROR, f"{name}: result cannot be sent over XML-RPC") from None
        self._report.accepted()
        return value

    def _refuse(self, code: int, where: str, reason: str) -> Fault:
        self._report.refused(f"{where}: {reason}")
        return Fault(code, f"{where}: {reason}")

