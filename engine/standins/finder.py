"""Installing the stand-ins of one cook host: folders first on the paths, and the
recording finder last on ``sys.meta_path`` for imports nothing else satisfies."""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from typing import Any, Callable, Iterable, Optional

from .guarded import is_guarded
from .recorder import Book, RecordedCall, RecordingModule


EVERY_MISSING = "*"
# top-level names the test cook itself provides: never stubbed
_PROVIDED = ("pdg", "pdgd", "pdgjob", "pdgutils", "hou")
_BOOTSTRAP = ("<frozen importlib", os.path.dirname(importlib.__file__))

_active: dict[str, Any] = {"standins": None}


def folder_beside(module_path: str) -> str:
    """``NAME.standins`` next to a module ``NAME.py`` or a package folder ``NAME``."""
    path = os.path.abspath(module_path)
    if os.path.basename(path) == "__init__.py":
        path = os.path.dirname(path)
    name = os.path.basename(path)
    stem = name[:-3] if name.endswith(".py") and not os.path.isdir(path) else name
    return os.path.join(os.path.dirname(path), stem + ".standins")


class StandIns:
    """The stand-ins of one cook host process."""

    def __init__(self, folders: Iterable[str], stubs: Iterable[str], user_roots: Iterable[str],
                 sink: Optional[Callable[[RecordedCall], None]] = None,
                 module: str = "", source: str = ""):
        # the cooked file, and the one it was rendered from (the GUI cooks a copy):
        # messages name the source and its stand-ins folder
        self.module, self.source = module, source or module
        self.folders = [os.path.abspath(f) for f in folders if os.path.isdir(f)]
        self.stubs = set(stubs)
        self.user_roots = [os.path.abspath(r) for r in user_roots] + self.folders
        self.sink = sink
        self.books: dict[str, Book] = {}
        self.guarded: list[str] = []  # left to the module's own fallback (`guarded`)

    # -- recording stand-ins -------------------------------------------------------------
    def wants_stub(self, fullname: str) -> bool:
        root = fullname.split(".")[0]
        if root in _PROVIDED:
            return False
        if root in self.books or fullname in self.stubs or root in self.stubs:
            return True
        if EVERY_MISSING not in self.stubs:
            return False
        frame = self._importing_frame()
        if frame is None or not self._in_user_folder(frame.f_code.co_filename):
            return False     # a library's optional import: not the scheduler's
        if is_guarded(frame.f_code.co_filename, frame.f_lineno):
            if root not in self.guarded:
                self.guarded.append(root)
            return False     # `try: import x / except ImportError:` has its own fallback
        return True

    @staticmethod
    def _importing_frame():
        """The first frame outside the import machinery: the import statement's."""
        frame = sys._getframe(2)
        while frame is not None and (frame.f_code.co_filename.startswith(_BOOTSTRAP)
                                     or frame.f_code.co_filename == __file__):
            frame = frame.f_back
        return frame

    def _in_user_folder(self, filename: str) -> bool:
        filename = os.path.abspath(filename)
        return any(filename == root or filename.startswith(root + os.sep)
                   for root in self.user_roots)

    def notes(self) -> list[str]:
        """What the summary should say about imports left to their fallbacks."""
        return [f"{name}: a guarded import (try/except ImportError) was left to its "
                f"fallback; --stub {name} records it instead" for name in self.guarded
                if name not in self.books and name not in sys.modules]

    def book(self, fullname: str) -> Book:
        root = fullname.split(".")[0]
        if root not in self.books:
            self.books[root] = Book(root, self.sink)
        return self.books[root]

    def recorders_called(self) -> bool:
        return any(book.calls for book in self.books.values())

    def used(self) -> list[dict[str, Any]]:
        found = []
        for name, module in sorted(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if not file or isinstance(module, RecordingModule):
                continue
            file = os.path.abspath(file)
            for folder in self.folders:
                if file.startswith(folder + os.sep):
                    found.append({"module": name, "kind": "file", "path": file})
                    break
        for name, book in sorted(self.books.items()):
            found.append({"module": name, "kind": "recorder", "calls": book.calls})
        return found


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on ``sys.meta_path``: only imports nothing else could satisfy reach it."""

    def __init__(self, standins: StandIns):
        self.standins = standins

    def find_spec(self, fullname: str, path: Any, target: Any = None):
        if not self.standins.wants_stub(fullname):
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return RecordingModule(spec.name, self.standins.book(spec.name))

    def exec_module(self, module) -> None:
        return None


def install(folders: Iterable[str] = (), stubs: Iterable[str] = (),
            user_roots: Iterable[str] = (),
            sink: Optional[Callable[[RecordedCall], None]] = None,
            module: str = "", source: str = "") -> StandIns:
    """Put the stand-in folders first on sys.path and PATH and add the recording
    finder; one set of stand-ins per process (a second call replaces the first)."""
    standins = StandIns(folders, stubs, user_roots, sink, module, source)
    for folder in reversed(standins.folders):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    if standins.folders:
        os.environ["PATH"] = os.pathsep.join(standins.folders + [os.environ.get("PATH", "")])
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _Finder)]
    sys.meta_path.append(_Finder(standins))
    _active["standins"] = standins
    return standins


def active() -> Optional[StandIns]:
    return _active["standins"]


def used() -> list[dict[str, Any]]:
    """The stand-ins this process used (empty when none were installed)."""
    standins = _active["standins"]
    return standins.used() if standins is not None else []
