"""What jedi sees around one editor: the whole module, with this editor's current text.

The completer asks on the GUI thread, after a short pause in typing. A full
render of a large document takes tens of milliseconds, so the latest
rendering (the lint worker keeps one in the model, maybe a few keystrokes
old) is reused: the editor's lines are spliced in where the line map says
its field sits. Only when the field is not in that rendering (an empty
callback has no method yet) is the document rendered here.
"""
from __future__ import annotations

from typing import Callable, Optional

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.document_model import DocumentModel

_PRELUDE_TAIL = "\n\nimport pdg\nfrom pdg.scheduler import PyScheduler\n"
_CODE_INDENTS = {fields.EXTRA_MEMBERS: 4, fields.TRAILER: 0}
_CALLBACK_INDENT = 8


def field_span(line_map: list, field: str) -> Optional[tuple[int, int]]:
    """(index of the field's first module line, number of lines) or None."""
    start = count = None
    for index, entry in enumerate(line_map):
        if entry is not None and entry[0] == field:
            if start is None:
                start, count = index, 0
            count += 1
        elif start is not None:
            break
    return (start, count) if start is not None else None


def _indent(field: str) -> int:
    return _CODE_INDENTS.get(field, _CALLBACK_INDENT)


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.split("\n"))


def splice(module: str, line_map: list, field: str, text: str) -> Optional[tuple[str, int, int]]:
    """The module with the field's lines replaced by ``text``: (source, line offset, indent)."""
    span = field_span(line_map, field)
    if span is None:
        return None
    start, count = span
    indent = " " * _indent(field)
    new = [indent + line if line.strip() else line for line in text.split("\n")]
    if not _has_code(text):
        new.append(indent + "pass")
    lines = module.split("\n")
    return "\n".join(lines[:start] + new + lines[start + count:]), start, len(indent)


def module_context(model: DocumentModel, field: str, text: str) -> tuple[str, int, int]:
    """(module source, line offset, column offset) for completing in ``field``."""
    if field == fields.PRELUDE:
        return text + _PRELUDE_TAIL, 0, 0
    last = model.last_rendered()
    if last is not None:
        spliced = splice(last[1], last[2], field, text)
        if spliced is not None:
            return spliced
    value = text if _has_code(text) else text + "\npass"
    from scheduler_studio.engine.codegen import render

    module, line_map = render(model.document_with(field, value))
    span = field_span(line_map, field)
    if span is None:  # the field is not written (header-made method): complete alone
        return text, 0, 0
    return module, span[0], _indent(field)


def definition_context(model: DocumentModel, field: str, text: str) -> tuple[str, int, int]:
    """(module source, line offset, column offset) for Go to Definition in ``field``: the
    current rendering, whose line map ``definition_target`` reads, when it holds ``text``."""
    module, line_map = model.rendered()
    span = field_span(line_map, field)
    if span is not None:
        indent = 0 if field == fields.PRELUDE else _indent(field)
        start, count = span
        shown = [line[indent:] if line.strip() else "" for line in module.split("\n")[start:start + count]]
        if shown == [line if line.strip() else "" for line in text.split("\n")]:
            return module, start, indent
    return module_context(model, field, text)


def definition_target(model: DocumentModel, line: int, column: int) -> Optional[tuple[str, int, int]]:
    """(field, 1-based line, column) showing 1-based ``line`` of the current rendering."""
    _module, line_map = model.rendered()
    entry = line_map[line - 1] if 0 < line <= len(line_map) else None
    if entry is None or not fields.is_code_field(entry[0]):
        return None
    indent = 0 if entry[0] == fields.PRELUDE else _indent(entry[0])
    return entry[0], entry[1] + 1, max(0, column - indent)


def go_to_definition_in(window, line: int, column: int) -> bool:
    """Show where a definition of the module is (an editor's ``sig_definition_elsewhere``)."""
    target = definition_target(window.document_model, line, column)
    if target is None:
        window.status.show_message(f"The definition is at module line {line}, "
                                   "in code the studio writes")
        return False
    return window.go_to(*target)


def definition_context_for(model: DocumentModel, field: str, editor) -> Callable[[], tuple[str, int, int]]:
    """The ``definition_context()`` CodeEditor.set_completion_provider wants."""
    return lambda: definition_context(model, field, editor.text())


def context_for(model: DocumentModel, field: str, editor) -> Callable[[], tuple[str, int, int]]:
    """The ``context()`` function CodeEditor.set_completion_provider wants."""
    return lambda: module_context(model, field, editor.text())
