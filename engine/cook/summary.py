"""The cook summary: the one JSON object `schedstudio cook --json` prints.

Every summary, including those of cooks that never ran, is built here, so the keys
(documented in the README) live in one place.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Mapping, Optional

from ..model.enums import SUCCESS_STATES, workItemState


def stand_ins_used() -> list[dict[str, Any]]:
    """The stand-in modules this process used (`scheduler_studio.engine.standins`), if it installed any."""
    from .. import standins
    return standins.used()

if TYPE_CHECKING:  # pragma: no cover
    from .loop import CookLoop


ITEM_COUNTS = ("total", "succeeded", "failed", "cancelled", "uncooked")
EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def item_counts(by_state: Mapping[Any, int]) -> dict[str, int]:
    """The summary's "items" (ITEM_COUNTS) from how many items are in each state
    (`workItemState` members or their names): the one tally of a cook's items, for the
    host's summary (`book.Book.tally`) and the CLI's when the host died before its own."""
    named: Counter = Counter()
    for state, count in by_state.items():
        named[getattr(state, "name", state)] += count
    total = sum(named.values())
    succeeded = sum(named[state.name] for state in SUCCESS_STATES)
    failed = named[workItemState.CookedFail.name]
    cancelled = named[workItemState.CookedCancel.name]
    return dict(zip(ITEM_COUNTS, (total, succeeded, failed, cancelled,
                                  total - succeeded - failed - cancelled)))


def exit_code(status: str) -> int:
    """A cook's status as a process exit code (the cook host's and the CLI's): 0 it
    succeeded; 2 the module, graph or command line could not be used; 1 otherwise."""
    if status == "succeeded":
        return EXIT_OK
    if status == "error":
        return EXIT_ERROR
    return EXIT_FAILED


INTERRUPTED = "Interrupted"   # the error type of a callback a timeout or a cancel broke out of
UNDEFINED_PARAMETERS = "UndefinedParameters"  # the error of parameters read, never defined


def error_entry(message: str, callback: Optional[str] = None, file: Optional[str] = None,
                line: Optional[int] = None, item: Optional[int] = None,
                missing_module: Optional[str] = None,
                type: Optional[str] = None) -> dict[str, Any]:
    """One error; ``missing_module`` (only when set) names a module the scheduler
    imports that this machine lacks, for which a stand-in can be given; ``type`` (only
    when set) is a callback's exception class, or "Interrupted" for a callback the
    timeout or a cancel broke out of."""
    entry = {"callback": callback, "message": message, "file": file, "line": line, "item": item}
    if type:
        entry["type"] = type
    if missing_module:
        entry["missing_module"] = missing_module
    return entry


def empty_summary(status: str, scheduler: str, graph: str,
                  errors: Optional[list] = None, **values: Any) -> dict[str, Any]:
    """A summary for a cook that never ran (or whose host died): same keys, zero counts."""
    summary = {
        "status": status, "scheduler": scheduler, "graph": graph,
        "items": dict.fromkeys(ITEM_COUNTS, 0), "callbacks": {}, "outputs": [],
        "errors": list(errors or []), "failed_items": [], "warnings": [],
        "shared_servers_ended": [], "undefined_parameters": [],
        "undefined_parameter_reads": [], "notes": [], "stand_ins": stand_ins_used(),
        "duration_s": 0.0,
    }
    summary.update(values)
    return summary


def build_summary(loop: "CookLoop", duration_s: float) -> dict[str, Any]:
    errors = [error_entry(e["message"], e["callback"], e["file"], e["line"], e.get("item"),
                          e.get("missing_module"), e.get("type"))
              for e in loop.invoker.errors]
    errors += interruption_entries(loop.invoker.interruptions)
    kinds = loop.core.cook_error_types
    errors += [error_entry(message, type=kinds.get(index))
               for index, message in enumerate(loop.cook_errors)
               if not _repeats_a_callback_error(message, errors)]
    outputs = [f.path for item in loop.book.items for f in item.outputFiles]
    return {
        "status": loop.status or "running",
        "scheduler": loop.state.type_name,
        "graph": loop.spec.name,
        "items": loop.book.tally(),
        # every call into the scheduler, its base class's answers too (onStopCook of a
        # module that has none): what the event stream and the trace show
        "callbacks": dict(sorted(loop.invoker.counts.items())),
        "outputs": outputs,
        "errors": errors,
        "failed_items": [failed_item(item.id, item.name, item.node.name,
                                     loop.fail_causes.get(item.id, ""))
                         for item in loop.book.items if item.state == workItemState.CookedFail],
        "warnings": list(loop.warnings),
        "shared_servers_ended": list(loop.servers_ended),
        "undefined_parameters": list(loop.state.params.undefined),
        "undefined_parameter_reads": parameter_reads(loop.state.params),
        "notes": list(loop.state.notes),
        "stand_ins": stand_ins_used(),
        "duration_s": round(duration_s, 6),
    }


def _repeats_a_callback_error(message: str, errors: list[dict[str, Any]]) -> bool:
    """Whether a cook error only says again that a callback raised (the core ends a cook
    with "onStartCook raised: ..."): that callback's own error, with its file and line,
    is the one the summary keeps."""
    return any(message == f"{e['callback']} raised: {e['message']}"
               for e in errors if e.get("callback"))


def parameter_reads(params) -> list[dict[str, Any]]:
    """Where the scheduler first read each parameter nobody defined: ``name``, ``file``
    and ``line`` (None when the read was not in a module file), so an editor can point
    at the read."""
    reads = []
    for name in params.undefined:
        file, line = params.undefined_at.get(name, (None, None))
        reads.append({"name": name, "file": file, "line": line})
    return reads


def failed_item(id: int, name: str, node: str, reason: str) -> dict[str, Any]:
    """One entry of the summary's "failed_items": which item failed, and why as far as
    the cook knows ("scheduler reported failure", "onSchedule raised ...")."""
    return {"id": id, "name": name, "node": node, "reason": reason}


def interruption_entries(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The summary's errors for the callbacks a cancel or the timeout broke out of
    (`CallbackInvoker.interruptions`): which one, on which item, at which line."""
    return [error_entry(e["message"], e["callback"], e["file"], e["line"], e.get("item"),
                        type=e.get("type"))
            for e in records]


def add_late_call(summary: dict[str, Any], invoker, name: str, errors_before: int,
                  interruptions_before: Optional[int] = None) -> None:
    """Count a callback made after `summary` was built (onStop), with its errors."""
    if invoker.counts[name]:
        calls = dict(summary.get("callbacks", {}), **{name: invoker.counts[name]})
        summary["callbacks"] = dict(sorted(calls.items()))
    summary.setdefault("errors", []).extend(
        error_entry(e["message"], e["callback"], e["file"], e["line"], e.get("item"),
                    e.get("missing_module"), e.get("type"))
        for e in invoker.errors[errors_before:])
    if interruptions_before is not None:
        summary["errors"].extend(interruption_entries(
            invoker.interruptions[interruptions_before:]))
