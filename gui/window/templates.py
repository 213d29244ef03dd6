"""The starter schedulers in resources/templates, for New."""
from __future__ import annotations

import ast
import contextlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from scheduler_studio import engine
from scheduler_studio.engine import codegen
from scheduler_studio.engine.codegen import SchedulerDocument, default_document
from scheduler_studio.engine.package_files import MissingResourceError, resource_dir

TEMPLATES_DIR = resource_dir("templates")
DEFAULT_TEMPLATE = "local"
_ENGINE = Path(engine.__file__).resolve().parent


@dataclass(frozen=True)
class TemplateInfo:
    stem: str
    path: Path
    title: str
    description: str


def list_templates(folder: Path = TEMPLATES_DIR) -> list[TemplateInfo]:
    """Every template file, the default first; title and summary from its docstring."""
    found = []
    for path in sorted(Path(folder).glob("*.py")):
        if path.name.startswith("_"):
            continue
        try:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        except (OSError, SyntaxError, ValueError):
            doc = ""
        first = doc.strip().split("\n\n")[0].replace("\n", " ")
        title, _, summary = first.partition(":")
        if not summary:
            title, summary = path.stem.replace("_", " ").title(), first
        found.append(TemplateInfo(path.stem, path, title.strip(), summary.strip()))
    return sorted(found, key=lambda t: (t.stem != DEFAULT_TEMPLATE, t.stem))


def template_document(stem: str = DEFAULT_TEMPLATE, folder: Path = TEMPLATES_DIR,
                      cache_dir: Optional[Path] = None) -> SchedulerDocument:
    """A template as it is written (its own type and class names).

    With ``cache_dir`` the parsed document, its origin included, is kept there
    (the app opens the local template at every start; parsing it takes ~10 ms,
    reading it back ~0.1 ms). The cache is keyed by the template file and by the
    code that reads templates, so either changing makes it parse again.

    A pickle, not JSON: the origin (the template file's rows, views and kept facts)
    is what the parse costs, and JSON holds only the fields, so the origin had to be
    parsed again at each start. The file is the app's own, in the user's cache
    folder, trusted as Python trusts its ``__pycache__``; one that does not load, or
    loads as anything but a document with this key, is parsed again.
    """
    path = Path(folder) / f"{stem}.py"
    if not path.is_file():
        if Path(folder) == TEMPLATES_DIR:  # the package's own: a broken install
            raise MissingResourceError(f"the template resources/templates/{stem}.py", str(folder))
        if stem == DEFAULT_TEMPLATE:
            return default_document()
    cache = Path(cache_dir) / f"template-{stem}.pickle" if cache_dir else None
    key = _cache_key(path) if cache else None
    if cache is not None:
        cached = _read_cache(cache, key)
        if cached is not None:
            return cached
    doc = codegen.parse(path.read_bytes(), filename=str(path))
    if cache is not None:
        _write_cache(cache, key, doc)
    return doc


def _read_cache(cache: Path, key: list) -> Optional[SchedulerDocument]:
    try:
        with cache.open("rb") as stream:
            stored_key, doc = pickle.load(stream)
    except Exception:  # no cache yet, a torn or foreign file, classes since changed
        return None
    if stored_key != key or not isinstance(doc, SchedulerDocument) or doc.origin is None:
        return None
    return doc


def _write_cache(cache: Path, key: list, doc: SchedulerDocument) -> None:
    """Written whole or not at all (a temporary file renamed over it)."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        temp.write_bytes(pickle.dumps((key, doc), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temp, cache)
        cache.with_suffix(".json").unlink(missing_ok=True)  # the cache of earlier versions
    except (OSError, pickle.PicklingError, RecursionError):
        with contextlib.suppress(OSError, UnboundLocalError):
            temp.unlink()  # a read-only or full cache folder only costs the parse next time


def _cache_key(path: Path) -> list:
    """What a cached template depends on: the file and the code that parses it."""
    readers = sorted(_ENGINE.joinpath("codegen").glob("*.py")) + [_ENGINE / "catalogue.py"]
    return [str(path.resolve()), *(_stamp(p) for p in [path, *readers])]


def _stamp(path: Path) -> list:
    stat = path.stat()
    return [path.name, stat.st_mtime_ns, stat.st_size]


def new_from_template(stem: str, type_name: str, label: str) -> SchedulerDocument:
    """A new document from a template, renamed (class name derived from the type name)."""
    return codegen.new_document(type_name, label, template=stem)
