"""Result server calls, turned into the scheduler's mixin hooks on the loop's thread.

The server thread hands each accepted call to `dispatch` through
`CookLoop.call_on_owner`, so the hooks (``workItemSucceeded``...) run where every other
callback runs — except while the loop is inside a callback, when the server thread runs
them, as PDG does. The default hooks only post reports, which the loop applies. Calls
naming an unknown item, or reporting on an item that has already finished, are refused
with a reason the server logs.
"""
from __future__ import annotations

import json
import xmlrpc.client
from typing import TYPE_CHECKING, Any, Callable

from ..model.enums import FINISHED_STATES, SUCCESS_STATES
from .jobenv import item_data
from .reports import Report

if TYPE_CHECKING:  # pragma: no cover
    from ..cook.loop import CookLoop


class Refused(Exception):
    """Raised to refuse a call; the server layer turns it into its own refusal."""


def _path(data: Any) -> str:
    if isinstance(data, xmlrpc.client.Binary):
        return data.data.decode("utf-8", "replace")
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return str(data)


def _at(args: list, index: int, default: Any = "") -> Any:
    return args[index] if len(args) > index else default


class _Dispatcher:
    def __init__(self, loop: "CookLoop", method: str, args: list):
        self.loop, self.method, self.args = loop, method, args
        self.scheduler = loop.scheduler

    def item(self, ref: Any, finished_ok: bool = False):
        item = self.loop.resolve(ref)
        if item is None:
            raise Refused(f"{self.method}: unknown work item {ref!r}")
        if not finished_ok and item.state in FINISHED_STATES:
            raise Refused(f"{self.method}: work item {item.name} already finished "
                          f"({item.state.name})")
        return item

    def post(self, kind: str, ref: Any, index: int = -1, value: Any = None) -> None:
        self.loop.post(Report(kind, ref, int(index), value, source="job"))

    def run(self) -> Any:
        handler = getattr(self, "m_" + self.method, None)
        if handler is None:
            raise Refused(f"unsupported method {self.method}")
        return handler(*self.args)

    # -- life cycle -----------------------------------------------------------------
    def m_start_cook(self, ref, jobid=""):
        self.item(ref)
        self.scheduler.workItemStartCook(ref, -1, jobid)
        return True

    def m_start_cook_batch(self, ref, sub, jobid=""):
        self.item(ref)
        self.scheduler.workItemStartCook(ref, sub, jobid)
        return True

    def m_success(self, ref, duration=0.0, jobid=""):
        self.item(ref)
        self.scheduler.workItemSucceeded(ref, -1, float(duration or 0.0), jobid)
        return True

    def m_success_batch(self, ref, sub, duration=0.0, jobid=""):
        self.item(ref)
        self.scheduler.workItemSucceeded(ref, sub, float(duration or 0.0), jobid)
        return True

    def m_failed(self, ref, jobid=""):
        self.item(ref)
        self.scheduler.workItemFailed(ref, -1, jobid)
        return True

    def m_cancelled(self, ref, jobid=""):
        self.item(ref)
        self.scheduler.workItemCancelled(ref, -1, jobid)
        return True

    # -- outputs ------------------------------------------------------------------------
    def _result(self, ref, sub, data, tag, hash_code, jobid):
        self.item(ref)
        path = self.scheduler.localizePath(_path(data))  # jobs send __PDG_DIR__/... paths
        self.scheduler.workItemFileResult(ref, sub, path, tag or "", hash_code or 0, jobid)

    def m_result(self, ref, data, tag="", hash_code=0, jobid=""):
        self._result(ref, -1, data, tag, hash_code, jobid)
        return True

    def m_result_batch(self, ref, data, tag, sub, hash_code=0, jobid=""):
        self._result(ref, sub, data, tag, hash_code, jobid)
        return True

    def m_success_and_result(self, ref, data, tag="", hash_code=0, duration=0.0, jobid=""):
        self._result(ref, -1, data, tag, hash_code, jobid)
        self.scheduler.workItemSucceeded(ref, -1, float(duration or 0.0), jobid)
        return True

    def m_success_and_result_batch(self, ref, data, tag, sub, hash_code=0, duration=0.0, jobid=""):
        self._result(ref, sub, data, tag, hash_code, jobid)
        self.scheduler.workItemSucceeded(ref, sub, float(duration or 0.0), jobid)
        return True

    def m_result_array(self, ref, files, tags=(), hashes=(), jobid=""):
        self._results(ref, -1, files, tags, hashes, jobid)
        return True

    def m_result_array_batch(self, ref, sub, files, tags=(), hashes=(), jobid=""):
        self._results(ref, sub, files, tags, hashes, jobid)
        return True

    def _results(self, ref, sub, files, tags, hashes, jobid):
        self.item(ref)  # also when there are no files: an unknown item is refused
        files = list(files or [])
        tags = list(tags or []) + [""] * len(files)
        hashes = list(hashes or []) + [0] * len(files)
        for data, tag, hash_code in zip(files, tags, hashes):
            self._result(ref, sub, data, tag, hash_code, jobid)

    # -- attributes, logs, state -------------------------------------------------------
    def _attrib(self, kind, ref, sub, name, value, index=0, jobid=""):
        self.item(ref)
        if kind == "file" and isinstance(value, (list, tuple)):
            value = (_path(value[0]),) + tuple(value[1:])
        self.post("attrib", ref, sub, (str(name), kind, value, int(index or 0)))
        return True

    def _attrib_array(self, kind, ref, sub, name, values, jobid=""):
        self.item(ref)
        self.post("attrib", ref, sub, (str(name), None, list(values or []), 0))
        return True

    def m_set_pyobject_attrib(self, ref, sub, name, value, jobid=""):
        return self._attrib("pyobject", ref, sub, name, value, 0, jobid)

    def m_write_attr(self, ref, name, values, jobid=""):
        self.item(ref)
        self.post("attrib", ref, -1, (str(name), None, values, 0))
        return True

    def m_append_log(self, ref, sub, text, log_type=0, jobid=""):
        self.item(ref, finished_ok=True)
        self.post("log", ref, sub, str(text))
        return True

    def m_set_custom_state(self, ref, sub, value, jobid=""):
        self.item(ref)
        self.post("custom_state", ref, sub, value)
        return True

    def m_set_cook_percent(self, ref, sub, value, jobid=""):
        self.item(ref)
        self.post("percent", ref, sub, value)
        return True

    def m_invalidate_cache(self, ref, sub=-1, jobid=""):
        self.item(ref, finished_ok=True)
        return True

    def m_warning(self, ref, message, jobid=""):
        self.item(ref, finished_ok=True)
        self.post("warning", ref, -1, str(message))
        return True

    def m_keepalive(self, ref, jobid=""):
        self.item(ref)
        return True

    def m_check_ready_batch(self, ref, sub=0, jobid=""):
        item = self.item(ref, finished_ok=True)
        return 1 if all(d.state in SUCCESS_STATES for d in item.dependencies) else 2

    def m_acquire_job_slots(self, ref, jobid=""):
        self.item(ref, finished_ok=True)
        return True

    def m_release_job_slots(self, ref, jobid=""):
        self.item(ref, finished_ok=True)
        return True

    def m_get_workitem_json(self, ref, sub=-1, jobid=""):
        item = self.item(ref, finished_ok=True)
        return json.dumps(item_data(item, self.scheduler.name))

    def m_add_sub_item_batch(self, ref, jobid=""):
        raise Refused("batch work items are not available in the test cook")

    # -- shared servers -----------------------------------------------------------------
    def m_sharedserver_started(self, info, jobid=""):
        if not isinstance(info, dict) or not info.get("name"):
            raise Refused("sharedserver_started needs a dict with a name")
        self.scheduler.onSharedServerStarted(info)
        return True

    def m_get_sharedserver_info(self, name, jobid=""):
        return self.scheduler.getSharedServerInfo(str(name)) or {}


for _kind in ("string", "int", "float", "file", "dict"):
    setattr(_Dispatcher, f"m_set_{_kind}_attrib",
            lambda self, ref, sub, name, value, index=0, jobid="", _k=_kind:
            self._attrib(_k, ref, sub, name, value, index, jobid))
    setattr(_Dispatcher, f"m_set_{_kind}_attrib_array",
            lambda self, ref, sub, name, values, jobid="", _k=_kind:
            self._attrib_array(_k, ref, sub, name, values, jobid))


# calls whose answer is data the job needs: they wait for a paused cook to go on
_ANSWERS = frozenset({"check_ready_batch", "get_workitem_json", "get_sharedserver_info",
                      "add_sub_item_batch"})


def dispatch(loop: "CookLoop", method: str, params: tuple) -> Any:
    try:
        return _Dispatcher(loop, method, list(params)).run()
    except TypeError as exc:
        raise Refused(f"{method}: wrong arguments ({exc})") from None


def make_handler(state: Any, refuse: Callable[[str], BaseException]) -> Callable[[str, tuple], Any]:
    """The result server's handler for one scheduler; `refuse(reason)` builds the
    exception the server treats as a refusal."""

    def handler(method: str, params: tuple) -> Any:
        loop = state.loop
        if loop is None:
            raise refuse("no cook is running")
        if loop.invoker.paused and method not in _ANSWERS:
            # a debugger holds the cook: the report waits for it, the job does not
            what = f"{method}({params[0]!r}, ...)" if params else f"{method}()"
            loop.hold_call(lambda: dispatch(loop, method, params), what[:200])
            return True
        try:
            return loop.call_on_owner(lambda: dispatch(loop, method, params))
        except Refused as exc:
            raise refuse(str(exc)) from None
        except TimeoutError as exc:
            raise refuse(str(exc)) from None

    return handler
