"""The files the studio ships inside its package, found through the import system.

Graphs, templates, job scripts, themes and icons live in the package's ``resources``
folder; the emulated ``pdg``/``hou`` packages, the ``$HFS`` stand-in and the job helper
live in the engine package. Every module asks here, so an installed wheel finds the same
files as a source checkout, and a file that is not there is a loud
``MissingResourceError`` naming it (never an empty list, a bare ``ValueError`` or a
crash on a guessed path).

The package names are worked out from this module's own package, so the same code
serves the repository layout and the installed ``scheduler_studio`` namespace.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

_ENGINE_PACKAGE = __package__ or "engine"
_TOP = _ENGINE_PACKAGE.rpartition(".")[0]
RESOURCES_PACKAGE = f"{_TOP}.resources" if _TOP else "resources"
DESKTOP_ID = "scheduler-studio"  # the launcher's and the icon's file names; Qt's desktopFileName


class MissingResourceError(FileNotFoundError):
    """A file or folder the package should ship is not there: the install is broken."""

    def __init__(self, what: str, where: str):
        self.what, self.where = what, where
        super().__init__(f"{what} is missing from the installed package (looked in {where}); "
                         "reinstall scheduler-studio")


def _root(package: str) -> Path:
    """The package's folder on disk (jobs and the cook host need real paths).

    From the package's import spec, as ``importlib.resources.files`` finds it for a
    package on disk, without loading ``importlib.resources`` (~3 ms of the window's
    start) for a folder name."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise MissingResourceError(f"the {package!r} package", "the Python path")
    locations = list(spec.submodule_search_locations or ())
    path = Path(locations[0]) if locations else None
    if path is None or not path.is_dir():  # a zipped install: our files must be files a job can run
        raise MissingResourceError(f"{package} as a folder of files",
                                   str(path or spec.origin or package))
    return path


def _existing(package: str, label: str, parts: tuple[str, ...], folder: bool) -> Path:
    root = _root(package)
    path = root.joinpath(*parts)
    if not (path.is_dir() if folder else path.is_file()):
        kind = "folder" if folder else "file"
        raise MissingResourceError(f"the {kind} {'/'.join((label, *parts))}", str(root))
    return path


def resources_root() -> Path:
    """The ``resources`` folder itself (for the ``{resources}`` graph placeholder)."""
    return _root(RESOURCES_PACKAGE)


def resource_dir(*parts: str) -> Path:
    """A folder under ``resources`` (``resource_dir("graphs")``)."""
    return _existing(RESOURCES_PACKAGE, "resources", parts, True)


def resource_file(*parts: str) -> Path:
    """A file under ``resources`` (``resource_file("themes", "dark.json")``)."""
    return _existing(RESOURCES_PACKAGE, "resources", parts, False)


def resource_files(folder: str, pattern: str) -> list[Path]:
    """The files of a ``resources`` folder matching ``pattern``, sorted; the folder
    must exist, and must hold at least one such file (a package ships none empty)."""
    found = sorted(p for p in resource_dir(folder).glob(pattern) if p.is_file())
    if not found:
        raise MissingResourceError(f"the {pattern} files of resources/{folder}",
                                   str(resource_dir(folder)))
    return found


def engine_dir(*parts: str) -> Path:
    """A folder the engine package ships (``engine_dir("compat", "hfs")``)."""
    return _existing(_ENGINE_PACKAGE, "engine", parts, True)


def engine_file(*parts: str) -> Path:
    """A file the engine package ships (``engine_file("jobhelper", "pdgcmd.py")``)."""
    return _existing(_ENGINE_PACKAGE, "engine", parts, False)


def source_root(view_dir: Path) -> Path:
    """A folder holding the engine as ``<top package>/engine``, for tools that read our
    source without importing it (jedi follows the emulated pdg into the engine).

    An installed wheel already is such a folder (site-packages). An editable install
    maps the repository's folders with an import hook that such tools cannot follow:
    then ``view_dir`` gets a symlink view of them (made again if the repository moved).
    """
    engine = _root(_ENGINE_PACKAGE)
    if not _TOP or engine.parent.name == _TOP:
        return engine.parent.parent if _TOP else engine.parent
    link = Path(view_dir) / _TOP / "engine"
    try:
        if link.is_symlink() and link.resolve() != engine.resolve():
            link.unlink()
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(engine, target_is_directory=True)
    except FileExistsError:
        pass  # another window made it at the same moment
    except OSError:  # no symlinks here (Windows without the privilege): no view
        return engine.parent
    return Path(view_dir)
