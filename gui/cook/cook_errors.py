"""What went wrong in the last cook, in the terms the window shows it.

Plain data, no Qt: a cook-host error (a callback that raised, a module that could not be
loaded) becomes a `CookError` placed in the editor it came from through the line map, so
the panel's error line, the Problems list, the editor marker and the item's details all
say the same thing. Callback errors that differ only by item (the same line raising for
every work item) are one error with a count, not a flood.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from scheduler_studio.engine.cook.summary import INTERRUPTED, UNDEFINED_PARAMETERS
from scheduler_studio.gui.cook.trace_model import module_location

_MISSING_MODULE = re.compile(r"No module named '([^']+)'")
WHERE_TO_SET = "Options › More parameters"   # where the window gives parameters values
UNDEFINED, PARAMETER = "undefined", "parameter"   # `CookError.kind`s
HOST_ENDED = "host_ended"                         # ... the host ended outside any callback


@dataclass(frozen=True)
class CookError:
    """One thing that went wrong; ``callback`` None: the cook could not start."""

    callback: Optional[str]
    message: str
    file: str = ""
    line: Optional[int] = None            # line in `file` (the cooked module, usually)
    item: str = ""                        # the first work item it happened on
    field: Optional[str] = None           # where the editor shows it ("callback:onSchedule")
    field_line: int = 0                   # 1-based line in that field's editor
    count: int = 1                        # items that raised the same way
    error: Optional[dict] = None          # the raw error (traceback) when there is one
    missing: str = ""                     # the module the cook host says is missing
    kind: str = ""                        # UNDEFINED: parameters without values (`names`);
                                          # PARAMETER: where one of them is read;
                                          # HOST_ENDED: the host ended outside callbacks
    names: tuple = ()                     # those parameters
    failed: bool = True                   # the cook failed (not cancelled) with it
    interrupted: bool = False             # still running when a cancel or the timeout came

    @property
    def missing_module(self) -> str:
        """The module name of a ModuleNotFoundError ("" otherwise)."""
        if self.missing:
            return self.missing
        found = _MISSING_MODULE.search(self.message)
        return found.group(1) if found else ""

    def where(self) -> str:
        """``file.py:3`` (or "" when no line is known)."""
        if not self.line:
            return ""
        return f"{os.path.basename(self.file) or 'module'}:{self.line}"

    def place_text(self) -> str:
        """Where the editor shows it ("onSchedule, line 2"), else the cooked module's line."""
        if self.field:
            return f"{field_title(self.field)}, line {self.field_line}"
        if self.line:
            return f"line {self.line} of the cooked module"
        return ""

    def summary(self) -> str:
        """One line: what raised, on which item, and the message."""
        if self.kind == UNDEFINED:
            count = len(self.names)
            text = (f"{count} parameter{'s' if count != 1 else ''} your HDA defines "
                    f"{'have' if count != 1 else 'has'} no value here: "
                    f"{', '.join(self.names)} — set {'them' if count != 1 else 'it'} in "
                    f"{WHERE_TO_SET}")
            return f"The cook failed: {text}" if self.failed else text[0].upper() + text[1:]
        if self.kind == PARAMETER:
            return (f"{self.names[0]} has no value here (your HDA defines it): set it in "
                    f"{WHERE_TO_SET}")
        if self.callback is None:
            if self.kind == HOST_ENDED:  # a crash outside any callback: the module loaded
                return f"The cook host ended outside any callback: {self.message}"
            if self.missing:  # the stand-in bar below offers the two ways to give one
                return (f"The module imports {self.missing}, which is not installed for "
                        "the test cook")
            if self.missing_module:
                return (f"The module imports {self.missing_module}, which is not installed "
                        f"for the test cook ({self.message})")
            return f"The module could not be loaded: {self.message}"
        # (as the CLI says it: it raised nothing)
        text = f"{self.callback}{':' if self.interrupted else ' raised'} {self.message}"
        if self.item:
            text += f" · on {self.item}"
            if self.count > 1:
                text += f" and {self.count - 1} more item{'s' if self.count > 2 else ''}"
        return text


def field_title(field: str) -> str:
    """"onSchedule" for "callback:onSchedule", "Module prelude" for "prelude"."""
    if field.startswith("callback:"):
        return field.split(":", 1)[1]
    return {"prelude": "Module prelude", "extra_members": "Extra members",
            "trailer": "Module prelude"}.get(field, field)


def _innermost_module_frame(error: dict, module_path: str) -> Optional[dict]:
    if not module_path:
        return None
    wanted = os.path.normcase(os.path.abspath(module_path))
    frames = [f for f in error.get("traceback") or []
              if f.get("file") and os.path.normcase(os.path.abspath(f["file"])) == wanted]
    return frames[-1] if frames else None


def place(error: CookError, module_path: str, line_map: Optional[list]) -> CookError:
    """`error` with its editor field and line, when its line lies in the module."""
    frame = None
    if error.error:
        frame = _innermost_module_frame(error.error, module_path)
    if frame is None and error.line:
        frame = {"file": error.file, "line": error.line}
    if frame is None:
        return error
    where = module_location(frame, module_path, line_map)
    file, line = frame.get("file") or error.file, frame.get("line") or error.line
    if where is None:
        return replace(error, file=file, line=line)
    return replace(error, file=file, line=line, field=where[0], field_line=where[1])


class CookErrors:
    """The errors of one cook, gathered from its events; `errors()` in arrival order."""

    def __init__(self) -> None:
        self._module_path, self._line_map = "", None
        self.clear()

    def clear(self) -> None:
        """Forget the errors (the module they were placed in is kept)."""
        self._errors: list[CookError] = []
        self._by_key: dict[tuple, int] = {}
        self.version = getattr(self, "version", 0) + 1   # bumped on every change

    def set_module(self, path: str, line_map: Optional[list]) -> None:
        self._module_path, self._line_map = path, line_map

    def add_callback_error(self, callback: str, error: dict, item_name: str) -> CookError:
        """A callback raised (the error dict of a `callback` event)."""
        found = CookError(callback, str(error.get("message") or "an exception"),
                          str(error.get("file") or ""), error.get("line"), item_name,
                          error=error)
        found = place(found, self._module_path, self._line_map)
        key = (callback, found.file, found.line, error.get("type"))
        index = self._by_key.get(key)
        if index is not None:
            first = self._errors[index]
            self._errors[index] = replace(first, count=first.count + 1)
        else:
            self._by_key[key] = len(self._errors)
            self._errors.append(found)
        self.version += 1
        return found

    def add_summary(self, summary: dict) -> None:
        """The cook's end: errors not raised by a callback (the module would not load,
        the graph could not be read) join the list, and so does a callback the timeout
        or a cancel broke out of (where it was: it raised nothing, so no event said it)."""
        for raw in summary.get("errors") or []:
            if not isinstance(raw, dict):
                continue
            if raw.get("type") == UNDEFINED_PARAMETERS:
                self._add_undefined(summary)
                continue
            callback = raw.get("callback") or None
            if callback and any(e.callback == callback and e.line == raw.get("line")
                                and raw.get("type") != INTERRUPTED
                                for e in self._errors):
                continue  # a callback's error that came with its event (an
                          # interruption never has one, wherever it was)
            found = place(CookError(callback,
                                    str(raw.get("message") or "unknown error"),
                                    str(raw.get("file") or ""), raw.get("line"),
                                    missing=str(raw.get("missing_module") or ""),
                                    interrupted=raw.get("type") == INTERRUPTED),
                          self._module_path, self._line_map)
            key = (found.callback, found.file, found.line, found.message)
            if key not in self._by_key:
                self._by_key[key] = len(self._errors)
                self._errors.append(found)
                self.version += 1

    def add_host_end(self, callback: Optional[str], message: str, file: str = "",
                     line: Optional[int] = None, item_name: str = "") -> CookError:
        """The cook host ended without a summary while `callback` ran (None: outside
        any callback): what ended it, at the line it was at."""
        found = place(CookError(callback, message, file, line, item_name,
                                interrupted=callback is not None,
                                kind="" if callback is not None else HOST_ENDED),
                      self._module_path, self._line_map)
        self._by_key[(callback, found.file, found.line, message)] = len(self._errors)
        self._errors.append(found)
        self.version += 1
        return found

    def _add_undefined(self, summary: dict) -> None:
        """Parameters the scheduler read that nobody defined: one headline naming them,
        and one entry per parameter at the line that reads it (no line when unknown)."""
        names = tuple(str(n) for n in summary.get("undefined_parameters") or ())
        reads = {r.get("name"): r for r in summary.get("undefined_parameter_reads") or ()
                 if isinstance(r, dict)}
        failed = summary.get("status") == "failed"
        found = [CookError(None, "", kind=UNDEFINED, names=names, failed=failed)]
        for name in names:
            read = reads.get(name, {})
            found.append(place(CookError(None, "", str(read.get("file") or ""),
                                         read.get("line"), kind=PARAMETER, names=(name,)),
                               self._module_path, self._line_map))
        for error in found:
            self._by_key[(error.kind, error.names)] = len(self._errors)
            self._errors.append(error)
        self.version += 1

    def headline(self) -> Optional[CookError]:
        """The error the panel's line shows: a load error first, else the first one."""
        shown = [e for e in self._errors if e.kind != PARAMETER]
        return first(e for e in shown if e.callback is None) or first(shown)

    def others(self) -> int:
        """How many errors besides the headline's (a parameter's place is not another)."""
        return max(0, len([e for e in self._errors if e.kind != PARAMETER]) - 1)

    def listed(self) -> list[CookError]:
        """The errors Problems lists: the headline of undefined parameters is their
        entries."""
        return [e for e in self._errors if e.kind != UNDEFINED]

    @property
    def module_path(self) -> str:
        return self._module_path

    def errors(self) -> list[CookError]:
        return list(self._errors)

    def load_errors(self) -> list[CookError]:
        """Errors of the cook as a whole (no callback raised them), the places of
        undefined parameters left out."""
        return [e for e in self._errors if e.callback is None and e.kind != PARAMETER]

    def callback_errors(self) -> list[CookError]:
        return [e for e in self._errors if e.callback is not None]

    def __len__(self) -> int:
        return len(self._errors)


def first(errors: Iterable[CookError]) -> Optional[CookError]:
    return next(iter(errors), None)
