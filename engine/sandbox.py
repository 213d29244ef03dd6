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
import shutil
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


def scene_environment(workdir: Optional[str]) -> Optional[str]:
    """$HIP (this cook's own folder unless one is set), $HIPFILE, $HIPNAME and $HFS.
    Returns the folder made for $HIP when neither the caller nor a working dir gave
    one (the host removes it when it ends), else None."""
    made = None
    if "HIP" not in os.environ:
        if not workdir:
            made = workdir = tempfile.mkdtemp(prefix="schedstudio-hip-")
        os.environ["HIP"] = workdir
    os.environ.setdefault("HIPFILE", os.path.join(os.environ["HIP"], HIP_NAME + ".hip"))
    os.environ.setdefault("HIPNAME", HIP_NAME)
    real = os.environ.get("HFS")
    if real and os.path.abspath(real) != str(HFS_DIR):
        os.environ.setdefault("SCHEDSTUDIO_REAL_HFS", real)
    os.environ["HFS"] = str(HFS_DIR)
    return made


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
TOOLS_DIR_ENV = "SCHEDSTUDIO_TOOLS_DIR"  # the cook host's own folder for them (below)
_RAN = "ran-"  # + the tool's name: a file its wrapper leaves in TOOLS_DIR_ENV's folder


@dataclass
class StudioTools:
    """What `studio_tools_on_path` set up for one cook host: its own folder (None when
    none could be made), where the wrappers mark that they ran and fakefarm keeps its
    jobs; and why something could not be set up."""

    folder: Optional[str] = None
    error: Optional[str] = None


def studio_tools_on_path() -> StudioTools:
    """Put the farm tools the studio ships (`STUDIO_TOOLS`) on PATH, *last*: the Farm
    CLI template's defaults run ``fakefarm``, which a pipx install has nowhere else;
    a real tool of that name (PATH, a stand-ins folder) still comes first. Each tool
    is a small wrapper running the shipped script with this Python (package data keeps
    no exec bit), kept in the user's cache (the same folder for every cook: nothing in
    the user's folders). The host gets a folder of its own in its temp folder (the
    caller's scratch when it gives one), named by ``$SCHEDSTUDIO_TOOLS_DIR``, which
    every process of the cook inherits, through a shell or a farm alike: the wrappers
    mark there that they ran, and fakefarm's jobs go there unless ``$FAKEFARM_ROOT``
    says (never into a working folder the user picked). `studio_tools_notes` removes
    it. Never raises: what failed is the result's `error`, for the cook's summary."""
    from .package_files import resource_file
    tools = StudioTools()
    try:
        tools.folder = tempfile.mkdtemp(prefix="schedstudio-tools-")
        os.environ[TOOLS_DIR_ENV] = tools.folder
    except OSError as exc:
        tools.error = _tools_error("a folder for them", tempfile.gettempdir(), exc)
    scripts = {name: str(resource_file("farm", f"{name}.py")) for name in STUDIO_TOOLS}
    key = hashlib.sha1(repr((sys.executable, sorted(scripts.items()))).encode()).hexdigest()
    try:
        from .appdirs import cache_dir
        folder = str(cache_dir() / "farm-tools" / key[:12])
        _write_wrappers(folder, scripts)
    except OSError:  # no cache folder to write: the host's own (it goes with the host)
        if tools.folder is None:
            return tools
        folder = os.path.join(tools.folder, "bin")
        try:
            _write_wrappers(folder, scripts)
        except OSError as exc:
            tools.error = _tools_error("them", folder, exc)
            return tools
    path = os.environ.get("PATH", os.defpath)
    os.environ["PATH"] = path + os.pathsep + folder if path else folder
    return tools


def _tools_error(what: str, where: str, exc: OSError) -> str:
    return (f"the farm tools Scheduler Studio ships ({', '.join(STUDIO_TOOLS)}) are not "
            f"available to this cook: cannot write {what} in {where}: "
            f"{exc.strerror or exc}")


def _write_wrappers(folder: str, scripts: dict[str, str]) -> None:
    os.makedirs(folder, exist_ok=True)
    for name, script in scripts.items():
        text = ("#!/bin/sh\n"
                f"# {name}, shipped with Scheduler Studio for trying its templates\n"
                f'if [ -n "${{{TOOLS_DIR_ENV}:-}}" ]; then\n'
                f'  : "${{FAKEFARM_ROOT:=${TOOLS_DIR_ENV}/fakefarm-jobs}}"\n'
                "  export FAKEFARM_ROOT\n"
                f'  {{ : > "${TOOLS_DIR_ENV}/{_RAN}{name}"; }} 2>/dev/null\n'
                "fi\n"
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


def studio_tools_notes(tools: StudioTools) -> list[str]:
    """A note when a shipped tool ran for this cook (the user may think it is theirs);
    then the host's tools folder goes (the cook's processes are ended by now)."""
    if tools.folder is None:
        return []
    ran = os.path.exists(os.path.join(tools.folder, f"{_RAN}fakefarm"))
    shutil.rmtree(tools.folder, ignore_errors=True)
    if not ran:
        return []
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
