"""What to tell a TD whose scheduler imports a module this machine does not have."""
from __future__ import annotations

import os
import traceback
from typing import Any, Optional

from ..catalogue import HOUDINI_SCHEDULERS
from .finder import active, folder_beside

_PROVIDED = ("pdg", "pdgd", "pdgjob", "pdgutils", "hou")
_ENGINE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _importing_frame(exc: BaseException) -> Optional[traceback.FrameSummary]:
    """The frame whose line did the import: the deepest one in user code."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        name = frame.filename
        if name.startswith("<frozen") or os.path.abspath(name).startswith(_ENGINE_DIR):
            continue
        return frame
    return None


def _standins_folder(module_file: str) -> str:
    """The stand-ins folder of the scheduler's own file (not of the copy cooked)."""
    installed = active()
    source = installed.source if installed is not None and installed.source else module_file
    return folder_beside(source) if source else "NAME.standins"


def _shown_file(filename: str) -> str:
    installed = active()
    if installed is not None and installed.module and \
            os.path.abspath(filename) == os.path.abspath(installed.module):
        return installed.source
    return filename


def houdini_scheduler_label(module: str) -> str:
    """"SideFX's Deadline scheduler (tbdeadline)" for a module Houdini ships."""
    cls = HOUDINI_SCHEDULERS.get(module, "")
    name = cls[:-len("Scheduler")] if cls.endswith("Scheduler") else cls
    return f"SideFX's {name or module} scheduler ({module})"


def missing_import(exc: BaseException, module_file: str = "") -> Optional[dict[str, Any]]:
    """For an import nobody could satisfy: ``{"module", "file", "line", "text",
    "message"}``; None for other errors (and for pdg/hou names, which the factory
    explains)."""
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    module = exc.name
    root = module.split(".")[0]
    if root in _PROVIDED:
        return None
    frame = _importing_frame(exc)
    where = ""
    if frame is not None:
        shown = _shown_file(frame.filename)
        where = f" ({os.path.basename(shown)}:{frame.lineno}: {(frame.line or '').strip()})"
    folder = _standins_folder(module_file)
    if root in HOUDINI_SCHEDULERS and root != "local":
        what = f"{houdini_scheduler_label(root)} is not part of the test cook{where}"
    else:
        what = f"the scheduler imports {module}{where}, which this machine does not have"
    message = (f"{what}. Give the test cook a stand-in for {root}: write {root}.py in "
               f"{folder} (or in a folder given with --standins DIR), or record its calls "
               f"with --stub {root} (--stub '*' records every missing import)")
    return {"module": root, "file": frame.filename if frame else module_file,
            "line": frame.lineno if frame else None,
            "text": (frame.line or "").strip() if frame else "", "message": message}


def missing_program(exc: BaseException, module_file: str = "") -> Optional[str]:
    """For a farm command-line tool that is not on PATH (``subprocess.run(["rush",
    ...])``): the error message with how to give the test cook a stand-in for it."""
    if not isinstance(exc, FileNotFoundError) or not exc.filename:
        return None
    program = os.fspath(exc.filename) if not isinstance(exc.filename, bytes) else ""
    if not program or os.sep in program:
        return None
    folder = _standins_folder(module_file)
    return (f"{type(exc).__name__}: {exc} — there is no program {program!r} on this "
            f"machine's PATH (a farm command-line tool?). Give the test cook a stand-in: "
            f"an executable {program} in {folder} (or in a folder given with --standins "
            "DIR); stand-ins folders come first on the PATH of the scheduler and its jobs")
