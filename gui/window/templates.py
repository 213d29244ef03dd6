"""The starter schedulers in resources/templates, for New."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from engine.codegen import SchedulerDocument, default_document, new_document, parse

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "resources" / "templates"
DEFAULT_TEMPLATE = "local"


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


def template_document(stem: str = DEFAULT_TEMPLATE,
                      folder: Path = TEMPLATES_DIR) -> SchedulerDocument:
    """A template as it is written (its own type and class names)."""
    path = Path(folder) / f"{stem}.py"
    if not path.is_file() and stem == DEFAULT_TEMPLATE:
        return default_document()
    return parse(path.read_bytes(), filename=str(path))


def new_from_template(stem: str, type_name: str, label: str) -> SchedulerDocument:
    """A new document from a template, renamed (class name derived from the type name)."""
    return new_document(type_name, label, template=stem)
