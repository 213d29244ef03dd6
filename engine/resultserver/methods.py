"""The methods jobs may call and their parameters: the one place arity is decided.

Every job method takes a trailing ``jobid`` that old helpers and hand-written jobs
often leave out; :func:`bind` pads it with ``""`` so the handler always receives
the full parameter tuple listed here, with ``jobid`` last.
"""
from __future__ import annotations

MULTICALL = "system.multicall"
LIST_METHODS = "system.listMethods"

_ATTRIB_KINDS = ("string", "int", "float", "file", "dict")

#: method name -> names of its required parameters (``jobid`` follows, optional).
METHODS: dict[str, tuple[str, ...]] = {
    "start_cook": ("item",),
    "start_cook_batch": ("item", "sub"),
    "success": ("item", "duration"),
    "success_batch": ("item", "sub", "duration"),
    "failed": ("item",),
    "cancelled": ("item",),
    "result": ("item", "data", "tag", "hash"),
    "result_batch": ("item", "data", "tag", "sub", "hash"),
    "success_and_result": ("item", "data", "tag", "hash", "duration"),
    "success_and_result_batch": ("item", "data", "tag", "sub", "hash", "duration"),
    "result_array": ("item", "files", "tags", "hashes"),
    "result_array_batch": ("item", "sub", "files", "tags", "hashes"),
    "check_ready_batch": ("item", "sub"),
    "release_job_slots": ("item",),
    "acquire_job_slots": ("item",),
    "get_workitem_json": ("item", "sub"),
    "add_sub_item_batch": ("item",),
    "append_log": ("item", "sub", "text", "log_type"),
    "set_custom_state": ("item", "sub", "value"),
    "set_cook_percent": ("item", "sub", "value"),
    **{f"set_{kind}_attrib": ("item", "sub", "name", "value", "index") for kind in _ATTRIB_KINDS},
    **{f"set_{kind}_attrib_array": ("item", "sub", "name", "values") for kind in _ATTRIB_KINDS},
    "set_pyobject_attrib": ("item", "sub", "name", "repr"),
    "invalidate_cache": ("item", "sub"),
    "write_attr": ("item", "attr", "values"),
    "warning": ("item", "message"),
    "keepalive": ("item",),
    "sharedserver_started": ("info",),
    "get_sharedserver_info": ("name",),
}


def signature(method: str) -> str:
    """Human-readable signature for error messages, e.g. ``failed(item[, jobid])``."""
    return f"{method}({', '.join(METHODS[method])}[, jobid])"


def bind(method: str, params: tuple) -> tuple:
    """Return ``params`` with ``jobid`` padded; ValueError if the count does not fit."""
    required = len(METHODS[method])
    if len(params) == required:
        return (*params, "")
    if len(params) == required + 1:
        return tuple(params)
    raise ValueError(
        f"{signature(method)} takes {required} or {required + 1} arguments, got {len(params)}"
    )


def all_method_names() -> list[str]:
    """What ``system.listMethods`` answers."""
    return sorted([*METHODS, MULTICALL, LIST_METHODS])
