"""Field keys: how the window names the parts of a scheduler document.

Model keys are what the user edits (``type_name``, ``callback:onSchedule``…);
lint fields are what ``render``'s line map says a module line came from.
Pages (the window's tabs) and sections are laid out from the callback
catalogue here, so no view hard-codes a callback list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from scheduler_studio.engine import catalogue

CALLBACK_PREFIX = "callback:"
PRELUDE, EXTRA_MEMBERS, TRAILER = "prelude", "extra_members", "trailer"
PARAMETERS, HEADER, MODULE = "parameters", "header", "module"
SOURCE = "source"  # a module that does not parse, edited whole (raw_text)
AUTOSAVE = "autosave"  # not a document field: where a failing autosave is listed in Problems
HEADER_KEYS = ("type_name", "label", "class_name", "working_dir", "use_callback_server")

PARAMETERS_PAGE = "Parameters"
PRELUDE_PAGE = "Module prelude"
EXTRA_PAGE = "Extra members"
PAGES = catalogue.TABS + (PARAMETERS_PAGE, PRELUDE_PAGE, EXTRA_PAGE)


@dataclass(frozen=True)
class SectionSpec:
    """One code section of a page: the field it edits and how it is introduced."""

    field: str
    title: str
    help: str
    callback: Optional[catalogue.Callback] = None


def callback_field(name: str) -> str:
    return CALLBACK_PREFIX + name


def callback_of(field: str) -> Optional[catalogue.Callback]:
    """The catalogue entry of a ``callback:<name>`` field, else None."""
    if not field.startswith(CALLBACK_PREFIX):
        return None
    return catalogue.by_name(field[len(CALLBACK_PREFIX):])


def tab_callbacks() -> tuple[catalogue.Callback, ...]:
    """Callbacks with a field of their own (the others are written in the class members)."""
    return tuple(cb for cb in catalogue.CALLBACKS if cb.tab)


def member_callbacks() -> tuple[catalogue.Callback, ...]:
    """Callbacks without a field: typed as whole methods in the class members."""
    return catalogue.for_tab(None)


def code_fields() -> tuple[str, ...]:
    """Every field edited in a code editor."""
    return tuple(callback_field(cb.name) for cb in tab_callbacks()) + (
        PRELUDE, TRAILER, EXTRA_MEMBERS)


def is_code_field(field: str) -> bool:
    if field in (PRELUDE, TRAILER, EXTRA_MEMBERS):
        return True
    cb = callback_of(field)
    return cb is not None and bool(cb.tab)


_PRELUDE_SECTIONS = (
    SectionSpec(PRELUDE, "Module prelude",
                "Imports, constants and helper functions above the scheduler "
                "class. The imports of pdg, PyScheduler and json are written "
                "for you when this does not make them."),
    SectionSpec(TRAILER, "After the class",
                "Module code below the scheduler class. registerTypes is "
                "written for you unless you define it here or in the prelude."),
)
_MEMBERS_SECTION = SectionSpec(
    EXTRA_MEMBERS, "Class members",
    "Methods and attributes of the scheduler class besides the callback "
    "fields: helpers, class constants, your own templateBody, and the "
    "callbacks the node has no field for (onCancelWorkItems, "
    "onAcceptWorkItem) as whole methods. Written at the class's "
    "indentation, below the callbacks.")


def _callback_section(cb: catalogue.Callback) -> SectionSpec:
    return SectionSpec(callback_field(cb.name), cb.label, cb.help, cb)


def page_sections(page: str) -> tuple[SectionSpec, ...]:
    """The code sections of a page in display order (none for Parameters)."""
    if page in catalogue.TABS:
        return tuple(_callback_section(cb) for cb in catalogue.for_tab(page))
    if page == PRELUDE_PAGE:
        return _PRELUDE_SECTIONS
    if page == EXTRA_PAGE:
        return (_MEMBERS_SECTION,)
    return ()


def page_of(field: str) -> Optional[str]:
    """The page that shows ``field`` (None for the header and the module)."""
    cb = callback_of(field)
    if cb is not None:
        return cb.tab or EXTRA_PAGE
    return {PRELUDE: PRELUDE_PAGE, TRAILER: PRELUDE_PAGE, EXTRA_MEMBERS: EXTRA_PAGE,
            PARAMETERS: PARAMETERS_PAGE}.get(field)


def lint_field(model_key: str) -> str:
    """The lint field a model key shows up as (header keys share one)."""
    return HEADER if model_key in HEADER_KEYS else model_key


def title_of(field: str) -> str:
    """A short human place name: "Scheduling › Schedule", "Header"…"""
    cb = callback_of(field)
    if cb is not None:
        return f"{cb.tab or EXTRA_PAGE} › {cb.label}"
    for page in (PRELUDE_PAGE, EXTRA_PAGE):
        for spec in page_sections(page):
            if spec.field == field:
                return spec.title if spec.title == page else f"{page} › {spec.title}"
    return {PARAMETERS: PARAMETERS_PAGE, HEADER: "Header",
            MODULE: "Module (generated code)", SOURCE: "Whole module", AUTOSAVE: "Autosave"}.get(field, field)
