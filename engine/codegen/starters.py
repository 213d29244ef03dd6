"""New documents: a template file's fields under a new name.

A new document is written in the canonical layout (it has no origin): the
template it came from is the user's starting point, not a file to keep.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scheduler_studio.engine.codegen.document import (SchedulerDocument, class_name_for,
                                                      default_document)
from scheduler_studio.engine.codegen.parsing import parse

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "resources" / "templates"
# short names the CLI offers (`--template farm`) for template files
TEMPLATE_ALIASES = {"farm": "farm_cli"}


def new_document(type_name: str, label: str,
                 template: str = "local") -> SchedulerDocument:
    """A new document from ``resources/templates/<template>.py``.

    Without that file, "local" falls back to ``default_document()``: the
    catalogue's bodies are a local scheduler too.
    """
    path = TEMPLATES_DIR / f"{TEMPLATE_ALIASES.get(template, template)}.py"
    if path.is_file():
        base = parse(path.read_bytes(), filename=str(path))
    elif template == "local":
        base = default_document()
    else:
        raise ValueError(f"no scheduler template named {template!r}")
    return replace(base, type_name=type_name, label=label,
                   class_name=class_name_for(type_name), origin=None)
