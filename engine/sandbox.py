"""The Houdini-shaped place a cook host gives the scheduler it cooks.

Set up once per cook host, before the module is imported: ``$HIP`` and the scene
variables, ``$HFS`` pointing at our stand-in install (whose
``houdini/pdg/types/schedulers`` holds our ``local`` scheduler), the stand-ins for the
farm (`scheduler_studio.engine.standins`), and the node parameters given for the cook (``--parm``,
``--parms-file``). The real ``$HFS``, if any, is kept in ``$SCHEDSTUDIO_REAL_HFS``:
SideFX's own modules need Houdini's binary libraries, which a test cook does not load.
"""
from __future__ import annotations

import hashlib
import json
import os
import shlex
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from . import standins
from .cook.events import StandInCalled
from .houdini.scene import HIP_NAME
from .package_files import engine_dir

HFS_DIR = engine_dir("compat", "hfs")
HFS_SCHEDULERS = engine_dir("compat", "hfs", "houdini", "pdg", "types", "schedulers")


class SandboxError(ValueError):
    """A cook option that cannot be used (a parameters file that is not JSON...)."""


@dataclass
class SandboxOptions:
    module: str
    source: Optional[str] = None          # the file the module was rendered from (GUI)
    workdir: Optional[str] = None
    standin_folders: list[str] = field(default_factory=list)
    stubs: list[str] = field(default_factory=list)


def scene_environment(workdir: Optional[str]) -> None:
    """$HIP (this cook's own folder unless one is set), $HIPFILE, $HIPNAME and $HFS."""
    if "HIP" not in os.environ:
        os.environ["HIP"] = workdir or tempfile.mkdtemp(prefix="schedstudio-hip-")
    os.environ.setdefault("HIPFILE", os.path.join(os.environ["HIP"], HIP_NAME + ".hip"))
    os.environ.setdefault("HIPNAME", HIP_NAME)
    real = os.environ.get("HFS")
    if real and os.path.abspath(real) != str(HFS_DIR):
        os.environ.setdefault("SCHEDSTUDIO_REAL_HFS", real)
    os.environ["HFS"] = str(HFS_DIR)


def module_source(options: SandboxOptions) -> str:
    return os.path.abspath(options.source or options.module)


def package_dir(options: SandboxOptions) -> Optional[str]:
    """The package folder when the source is a package's ``__init__.py`` (or the folder)."""
    source = module_source(options)
    if os.path.isdir(source):
        return source
    if os.path.basename(source) == "__init__.py":
        return os.path.dirname(source)
    return None


def install_standins(options: SandboxOptions, emit: Callable[[Any], None],
                     current: Callable[[], Optional[tuple]]) -> standins.StandIns:
    """Stand-in folders (``NAME.standins`` beside the source, then the ones given) and
    recording stand-ins whose calls become trace events."""
    source = module_source(options)
    folders = [standins.folder_beside(source)] + list(options.standin_folders)
    roots = {os.path.dirname(source), os.path.dirname(os.path.abspath(options.module))}
    if package_dir(options):
        roots.add(package_dir(options))

    def sink(call: standins.RecordedCall) -> None:
        where = current()
        emit(StandInCalled(call.module, call.text, where[0] if where else "",
                           where[1] if where else None))
    return standins.install(folders, options.stubs, sorted(roots), sink,
                            os.path.abspath(options.module), source)


# farm command-line tools the studio ships for its templates (resources/farm/NAME.py)
STUDIO_TOOLS = ("fakefarm",)
_USED = ".schedstudio-ran-"  # + the cook host's pid: a shipped tool ran for that cook


def studio_tools_on_path() -> str:
    """Put the farm tools the studio ships (`STUDIO_TOOLS`) on PATH, *last*: the Farm
    CLI template's defaults run ``fakefarm``, which a pipx install has nowhere else;
    a real tool of that name (PATH, a stand-ins folder) still comes first. Each tool
    is a small wrapper running the shipped script with this Python (package data keeps
    no exec bit), kept in the user's cache (the same folder for every cook: nothing in
    the user's folders); its jobs go to ``$HIP/fakefarm-jobs`` unless ``$FAKEFARM_ROOT``
    says."""
    from .package_files import resource_file
    scripts = {name: str(resource_file("farm", f"{name}.py")) for name in STUDIO_TOOLS}
    key = hashlib.sha1(repr((sys.executable, sorted(scripts.items()))).encode()).hexdigest()
    try:
        from .appdirs import cache_dir
        folder = str(cache_dir() / "farm-tools" / key[:12])
        _write_wrappers(folder, scripts)
    except OSError:  # no cache folder to write: one for this process
        folder = tempfile.mkdtemp(prefix="schedstudio-tools-")
        _write_wrappers(folder, scripts)
    path = os.environ.get("PATH", os.defpath)
    os.environ["PATH"] = path + os.pathsep + folder if path else folder
    return folder


def _write_wrappers(folder: str, scripts: dict[str, str]) -> None:
    os.makedirs(folder, exist_ok=True)
    for name, script in scripts.items():
        text = ("#!/bin/sh\n"
                f"# {name}, shipped with Scheduler Studio for trying its templates\n"
                ': "${FAKEFARM_ROOT:=${HIP:-.}/fakefarm-jobs}"\n'
                "export FAKEFARM_ROOT\n"
                f'mkdir -p "$FAKEFARM_ROOT" && : > "$FAKEFARM_ROOT/{_USED}$PPID"\n'
                f'exec {shlex.quote(sys.executable)} -I -S {shlex.quote(script)} "$@"\n')
        wrapper = os.path.join(folder, name)
        try:
            with open(wrapper, encoding="utf-8") as old:
                if old.read() == text and os.access(wrapper, os.X_OK):
                    continue
        except OSError:
            pass
        temp = f"{wrapper}.{os.getpid()}"
        with open(temp, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, 0o755)
        os.replace(temp, wrapper)  # atomic: a cook starting now sees one or the other


def studio_tools_notes() -> list[str]:
    """A note when a shipped tool ran for this cook (the user may think it is theirs)."""
    root = os.environ.get("FAKEFARM_ROOT") or os.path.join(os.environ.get("HIP", "."),
                                                           "fakefarm-jobs")
    marker = os.path.join(root, f"{_USED}{os.getpid()}")
    if not os.path.exists(marker):
        return []
    try:
        os.unlink(marker)
    except OSError:
        pass
    return ["the farm tool 'fakefarm' the cook ran is the tiny local farm Scheduler "
            "Studio ships for its Farm CLI template (no farm tool of that name is on PATH "
            "or in a stand-ins folder): in Houdini the farm's own tool runs"]


def load_parms_file(path: str) -> dict[str, Any]:
    """``{"NAME": value, ...}`` from a JSON file; JSON values keep their types."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SandboxError(f"cannot read the parameters file {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise SandboxError(f"the parameters file {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise SandboxError(f"the parameters file {path} must hold one JSON object of "
                           "parameter names and values")
    return data


def stand_in_timeout_error(summary: dict[str, Any],
                           active: Optional[standins.StandIns]) -> Optional[str]:
    """Why a cook that timed out while its jobs went to recording stand-ins never ended."""
    if summary.get("status") != "timeout" or active is None or not active.recorders_called():
        return None
    items = summary.get("items", {})
    waiting = items.get("cancelled", 0) + items.get("uncooked", 0)
    names = ", ".join(sorted(name for name, book in active.books.items() if book.calls))
    return (f"the cook timed out with {waiting} item(s) unfinished while their jobs went to "
            f"the recording stand-in for {names}: a recording stand-in answers every call "
            "with another recorder, so it cannot say a job is done. Write a stand-in "
            f"module for {names} that runs or finishes the jobs it is given (in a "
            "stand-ins folder), or report the items from the scheduler yourself")
