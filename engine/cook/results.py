"""Applying a report (from the scheduler or a job) to the item it names.

Part of the cook core: generators that ask their questions (does an output exist?
which items does the next node make?) with ``yield`` like the rest of
`scheduler_studio.engine.cook.core`; a report the cook cannot take is logged, never raised.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Generator

from ..model.attributes import File
from ..model.enums import FINISHED_STATES, workItemState as S
from ..model.transitions import TransitionError
from ..scheduler.reports import Report
from .events import LogMessage
from .instructions import Emit, LogEnd

if TYPE_CHECKING:  # pragma: no cover
    from .core import CookCore

_FINISH = {
    "success": (S.CookedSuccess, "reported success"),
    "failed": (S.CookedFail, "reported failure"),
    "cancelled": (S.CookedCancel, "reported cancelled"),
}
_AFTER_THE_END = frozenset({"log", "warning", "invalidate"})  # fine for a finished item
APPENDED_LOG_CAP = 1 << 20  # characters of append_log text shown per item
_ATTRIB_SETTERS = {
    "int": "setIntAttrib", "float": "setFloatAttrib", "string": "setStringAttrib",
    "file": "setFileAttrib", "dict": "setDictAttrib", "pyobject": "setPyObjectAttrib",
}


class RefusedReport(Exception):
    """A report that names no item of this cook, or one that already finished."""


def apply_report(core: "CookCore", report: Report) -> Generator:
    """Apply `report`; a report the cook cannot take is logged, never raised."""
    try:
        yield from apply_or_refuse(core, report)
    except RefusedReport as exc:
        core.warnings.append(str(exc))
        if core.emitting:
            core.out.append(Emit(LogMessage("warning", str(exc), report.source)))


def apply_or_refuse(core: "CookCore", report: Report) -> Generator:
    """Apply `report` or raise `RefusedReport` saying why it was not taken."""
    item = core.resolve(report.ref)
    if item is None:
        raise RefusedReport(f"{report.kind} report for unknown work item {report.ref!r}")
    kind = report.kind
    if item.state in FINISHED_STATES and kind not in _AFTER_THE_END:
        raise RefusedReport(
            f"{kind} report for {item.name}, which already finished ({item.state.name})")
    if kind in _FINISH:
        state, cause = _FINISH[kind]
        cause = f"{report.source} {cause}"
        if kind == "failed" and core.log_watched(item):
            # how the job ended, as far as its log says: a scheduler (each template)
            # writes it there last, and the log is what the window shows of a job
            last = yield LogEnd(item.id)
            if last:
                cause = f"{cause}; its log ends: {last}"
        try:
            duration = report.value if kind == "success" else None
            yield from core.finish(item, state, cause, duration)
        except TransitionError as exc:
            raise RefusedReport(f"{kind} report refused: {exc}") from None
    elif kind == "start":
        if item.state != S.Cooking:
            core.mark_cooking(item, f"{report.source} reported start")
    else:
        try:
            _apply_data(core, item, kind, report.value)
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise RefusedReport(f"{kind} report for {item.name} has a bad value "
                                f"{report.value!r}: {exc}") from None


def _apply_data(core: "CookCore", item, kind: str, value) -> None:
    """Outputs, attributes, log lines...: what a report adds to a running item."""
    if kind == "output":
        path, tag, hash_code, own = value
        item.addOutputFile(path, tag, hash_code, own)
    elif kind == "attrib":
        _set_attribute(item, *value)
    elif kind == "log":
        if core.emitting:
            _append_log(core, item, str(value))
    elif kind == "percent":
        item.cookPercent = float(value)
    elif kind == "custom_state":
        item.customState = str(value)
    elif kind == "warning":
        core.cook_warning(f"{item.name}: {value}")


def _append_log(core: "CookCore", item, text: str) -> None:
    """Show an appended log line, within `APPENDED_LOG_CAP` characters per item: a job
    that appends without end must not flood the window or the CLI."""
    shown = core.log_appended.get(item.id, 0)
    if shown >= APPENDED_LOG_CAP:
        return
    room = APPENDED_LOG_CAP - shown
    if len(text) > room:
        text = text[:room] + (f"\n[Scheduler Studio: {item.name}'s appended log passed "
                              f"{APPENDED_LOG_CAP:,} characters; the rest is not shown]")
    core.log_appended[item.id] = shown + min(len(text), room)
    core.out.append(Emit(LogMessage("info", text, item.name)))


def _set_attribute(item, name: str, kind: str | None, value, index: int = 0) -> None:
    if kind is None:
        if isinstance(value, (list, tuple)):
            item.setAttrib(name, list(value))
        else:
            item.setAttrib(name, value, index)
        return
    setter = getattr(item, _ATTRIB_SETTERS[kind])
    if kind == "file" and isinstance(value, (list, tuple)):
        value = File(*value)
    setter(name, value, index)
