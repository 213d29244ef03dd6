"""New documents: a template file's fields under a new name.

A new document is written in the canonical layout (it has no origin): the
template it came from is the user's starting point, not a file to keep.
"""
from __future__ import annotations

from dataclasses import replace

from scheduler_studio.engine.codegen.document import SchedulerDocument, class_name_for
from scheduler_studio.engine.codegen.parsing import parse
from scheduler_studio.engine.package_files import MissingResourceError, resource_dir

TEMPLATES_DIR = resource_dir("templates")
# short names the CLI offers (`--template farm`) for template files
TEMPLATE_ALIASES = {"farm": "farm_cli"}
SHIPPED_TEMPLATES = ("local", "dask", "farm_cli")  # in resources/templates of every install


def new_document(type_name: str, label: str,
                 template: str = "local") -> SchedulerDocument:
    """A new document from ``resources/templates/<template>.py``.

    A template the package ships but cannot find is a broken install
    (``MissingResourceError`` names the file); an unknown name is a
    ``ValueError`` listing the templates there are.
    """
    stem = TEMPLATE_ALIASES.get(template, template)
    path = TEMPLATES_DIR / f"{stem}.py"
    if not path.is_file():
        if stem in SHIPPED_TEMPLATES:
            raise MissingResourceError(f"the template resources/templates/{stem}.py",
                                       str(TEMPLATES_DIR))
        known = sorted(p.stem for p in TEMPLATES_DIR.glob("*.py") if not p.name.startswith("_"))
        raise ValueError(f"no scheduler template named {template!r} "
                         f"(templates: {', '.join(known) or 'none'})")
    base = parse(path.read_bytes(), filename=str(path))
    return replace(base, type_name=type_name, label=label,
                   class_name=class_name_for(type_name), origin=None)
