"""The starter schedulers in resources/templates, for New."""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from scheduler_studio import engine
from scheduler_studio.engine import codegen
from scheduler_studio.engine.codegen import SchedulerDocument, default_document, new_document
from scheduler_studio.engine.package_files import MissingResourceError, resource_dir
from scheduler_studio.gui.window.doc_codec import document_from_json, document_to_json

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

    With ``cache_dir`` the parsed document is kept there as JSON (the app
    opens the local template at every start; parsing it takes longer than
    reading it back). The cache is keyed by the template file and by the
    code that reads templates, so either changing makes it parse again.
    """
    path = Path(folder) / f"{stem}.py"
    if not path.is_file():
        if Path(folder) == TEMPLATES_DIR:  # the package's own: a broken install
            raise MissingResourceError(f"the template resources/templates/{stem}.py", str(folder))
        if stem == DEFAULT_TEMPLATE:
            return default_document()
    cache = Path(cache_dir) / f"template-{stem}.json" if cache_dir else None
    key = _cache_key(path) if cache else None
    if cache is not None:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("key") == key:
                return document_from_json(data["document"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no cache yet, or an unreadable one: parse
    doc = codegen.parse(path.read_bytes(), filename=str(path))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps({"key": key, "document": document_to_json(doc)}),
                             encoding="utf-8")
        except OSError:
            pass  # a read-only cache folder only costs the parse next time
    return doc


def _cache_key(path: Path) -> list:
    """What a cached template depends on: the file and the code that parses it."""
    readers = sorted(_ENGINE.joinpath("codegen").glob("*.py")) + [_ENGINE / "catalogue.py"]
    return [str(path.resolve()), *(_stamp(p) for p in [path, *readers])]


def _stamp(path: Path) -> list:
    stat = path.stat()
    return [path.name, stat.st_mtime_ns, stat.st_size]


def new_from_template(stem: str, type_name: str, label: str) -> SchedulerDocument:
    """A new document from a template, renamed (class name derived from the type name)."""
    return new_document(type_name, label, template=stem)
