"""The open scheduler document as a Qt model: field values, change signals, save state.

Views take this model, write the user's edits back with ``set_value`` and
listen to ``sig_field_changed``; nobody else holds document state. Values
are what the user typed (raw editor text, parameter rows); ``document()``
builds the immutable ``SchedulerDocument`` from them on demand, once per
change. A field is modified when its value differs from the value last
loaded or saved, so undoing an edit clears its mark.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QObject, Signal

from scheduler_studio.engine import codegen
from scheduler_studio.engine.codegen import FrozenMap, SchedulerDocument
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.parameter_rows import rows_from_parameters, to_parameters
from scheduler_studio.gui.window.raw_text import RawModule, analysis_text


def document_values(doc: SchedulerDocument) -> dict[str, Any]:
    """The model values that show ``doc``."""
    values: dict[str, Any] = {key: getattr(doc, key) for key in fields.HEADER_KEYS}
    values[fields.PARAMETERS] = rows_from_parameters(doc.parameters)
    for key in (fields.PRELUDE, fields.EXTRA_MEMBERS, fields.TRAILER):
        values[key] = getattr(doc, key)
    for cb in fields.tab_callbacks():
        values[fields.callback_field(cb.name)] = doc.bodies.get(cb.name, "")
    return values


class DocumentModel(QObject):
    """One scheduler document being edited, with where it lives on disk."""

    sig_field_changed = Signal(str)
    """A value changed (model key such as ``label`` or ``callback:onTick``)."""

    sig_document_reset = Signal()
    """A whole new document was loaded (new, open, reload, recover): re-read everything."""

    sig_raw_text_replaced = Signal()
    """The model itself rewrote the whole module's text (convert to UTF-8 changes its
    cookie): the raw editor shows ``raw_text()`` now, as an edit the user can undo."""

    sig_modified_changed = Signal(bool)
    """The document as a whole became modified (True) or saved/unmodified (False)."""

    sig_modified_fields_changed = Signal()
    """The set of modified fields changed (tab and section marks)."""

    sig_path_changed = Signal(object)
    """The file the document lives in changed (a Path, or None for a new document)."""

    def __init__(self, document: SchedulerDocument, path: Optional[Path] = None,
                 parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._base = document
        self._values = document_values(document)
        self._saved = dict(self._values)
        self._modified: set[str] = set()
        self._disk_differs = False
        self._path = Path(path) if path else None
        self._version = 0
        self._doc_cache: tuple[int, SchedulerDocument] | None = None
        self._render_cache: tuple[int, str, list] | None = None
        self._raw: Optional[RawModule] = None  # a module edited whole (see raw_text)
        self._raw_text = self._raw_saved = ""

    # -- a module that does not read as a scheduler ---------------------------------
    def raw(self) -> Optional[RawModule]:
        """The module being edited whole (it does not parse), or None."""
        return self._raw

    def raw_text(self) -> str:
        """The whole module's text as edited (raw mode only)."""
        return self._raw_text

    def set_raw(self, raw: RawModule, path: Optional[Path],
                saved_text: Optional[str] = None) -> None:
        """Show a module that does not read as a scheduler, whole, as its text;
        `saved_text`: what the file holds when that differs (a recovered autosave)."""
        was_modified = self.is_modified()
        self._raw = raw
        self._raw_text = raw.text
        self._raw_saved = raw.text if saved_text is None else saved_text
        self._modified = set()
        self._disk_differs = False
        self._version += 1
        self._set_path(path)
        self.sig_document_reset.emit()
        self.sig_modified_fields_changed.emit()
        if was_modified != self.is_modified():
            self.sig_modified_changed.emit(self.is_modified())

    def set_raw_text(self, text: str) -> None:
        """Store the user's edit of the whole module (raw mode)."""
        if self._raw is None or text == self._raw_text:
            return
        was_modified = self.is_modified()
        self._raw_text = text
        self._version += 1
        if was_modified != self.is_modified():
            self.sig_modified_changed.emit(self.is_modified())

    # -- reading -------------------------------------------------------------------
    def value(self, key: str) -> Any:
        return self._values[key]

    def version(self) -> int:
        """Grows with every change; results computed for an older version are stale."""
        return self._version

    def path(self) -> Optional[Path]:
        return self._path

    def display_name(self) -> str:
        """The file name, or the type name for a document never saved."""
        if self._path is not None:
            return self._path.name
        if self._raw is not None:
            return "untitled (not saved)"
        return f"{self._values['type_name'] or 'untitled'} (not saved)"

    def is_modified(self) -> bool:
        """True when saving would change the file (or there is no file to lose)."""
        if self._raw is not None:
            return self._raw_text != self._raw_saved or self._disk_differs
        return bool(self._modified) or self._disk_differs

    def modified_fields(self) -> frozenset[str]:
        return frozenset(self._modified)

    def saved_value(self, key: str) -> Any:
        """The value of ``key`` as last loaded or saved (None: never saved anywhere)."""
        return self._saved[key]

    def document(self) -> SchedulerDocument:
        """The current document (built once per version)."""
        if self._doc_cache is None or self._doc_cache[0] != self._version:
            self._doc_cache = (self._version, self._build(self._values))
        return self._doc_cache[1]

    def document_with(self, key: str, value: Any) -> SchedulerDocument:
        """The current document with one value replaced (not stored)."""
        return self._build({**self._values, key: value})

    def rendered(self) -> tuple[str, list]:
        """(module text, line map) of the current document, rendered once per version."""
        if self._raw is not None:  # the text itself; its lines are the module's lines
            text = analysis_text(self._raw_text)
            return text, [(fields.SOURCE, i) for i in range(text.count("\n") + 1)]
        cache = self._render_cache
        if cache is None or cache[0] != self._version:
            text, line_map = codegen.render(self.document())  # loads on first use
            self._render_cache = cache = (self._version, text, line_map)
        return cache[1], cache[2]

    def last_rendered(self) -> Optional[tuple[int, str, list]]:
        """The latest rendering known, possibly of an older version (cheap)."""
        return self._render_cache

    def module_text(self) -> str:
        """The module Save To Python writes for the current document."""
        return self.rendered()[0]

    def module_bytes(self) -> bytes:
        """The module's bytes in its file's encoding (SchedulerEncodingError when
        the text holds a character that encoding cannot)."""
        if self._raw is not None:
            return self._raw.encode(self._raw_text)
        return codegen.encode_module(self.document(), self.module_text())

    def convert_to_utf8(self) -> None:
        """From now on the file is UTF-8 and its coding cookie says so (the
        cookie line becomes an edit of the prelude, saved with the rest)."""
        if self._raw is not None:
            self._raw, text = self._raw.as_utf8(self._raw_text)
            self.set_raw_text(text)
            self._version += 1
            self.sig_raw_text_replaced.emit()  # else the editor's next key brings the old cookie back
            if not self.is_modified():
                self.mark_disk_differs()
            return
        converted = codegen.as_utf8(self.document())
        self._base = replace(self._base, origin=converted.origin)
        self.set_value(fields.PRELUDE, converted.prelude)
        self._version += 1
        if not self.is_modified():
            self.mark_disk_differs()

    def chosen_class(self) -> Optional[str]:
        """The class a cook must name: the document's, when it was chosen among the
        module's scheduler classes (None: the module's first, as parse took it)."""
        origin = self._base.origin
        if self._raw is not None or origin is None or origin.chosen_class is None:
            return None
        return self._values["class_name"]

    def cook_class(self) -> Optional[str]:
        """The class a cook names: the one the fields show, always. Left to the module,
        a cook could take another: without registerTypes it takes the one class nothing
        derives from, where the window opens the first one defined (a base and its
        subclass). None for a module shown whole (it cannot be cooked)."""
        if self._raw is not None or self._base.origin is None:
            return None
        return self._values["class_name"] or None

    def read_only(self) -> frozenset[str]:
        """Fields an edit cannot be written into (a file's own class statement,
        a templateBody built by code)."""
        return self._base.read_only()

    def read_only_note(self) -> str:
        return self._base.read_only_note()

    def indent_unit(self) -> str:
        """One indentation level as the file writes it ("\\t", or spaces)."""
        return self._base.indent_unit()

    def _build(self, values: dict[str, Any]) -> SchedulerDocument:
        bodies = FrozenMap((cb.name, values[fields.callback_field(cb.name)])
                           for cb in fields.tab_callbacks())
        return replace(
            self._base,
            **{key: values[key] for key in fields.HEADER_KEYS},
            parameters=to_parameters(values[fields.PARAMETERS]),
            prelude=values[fields.PRELUDE], extra_members=values[fields.EXTRA_MEMBERS],
            trailer=values[fields.TRAILER], bodies=bodies)

    # -- writing -------------------------------------------------------------------
    def set_value(self, key: str, value: Any) -> None:
        """Store a user's edit of one field (no signal when nothing changed)."""
        if key not in self._values:
            raise KeyError(f"no document field {key!r}")
        if self._values[key] == value:
            return
        self._values[key] = value
        self._version += 1
        was_modified = self.is_modified()
        changed = self._differs(key, value) != (key in self._modified)
        if changed:
            self._modified.symmetric_difference_update({key})
        self.sig_field_changed.emit(key)
        if changed:
            self.sig_modified_fields_changed.emit()
            if was_modified != self.is_modified():
                self.sig_modified_changed.emit(self.is_modified())

    def set_rendered(self, version: int, text: str, line_map: list) -> None:
        """Keep a rendering made elsewhere (the lint worker) if it is the newest."""
        if self._render_cache is None or version >= self._render_cache[0]:
            self._render_cache = (version, text, line_map)

    def reset(self, document: SchedulerDocument, path: Optional[Path] = None,
              saved: Optional[SchedulerDocument] = None, unsaved: bool = False) -> None:
        """Show another document.

        ``saved`` is what the file holds when that differs from ``document``
        (a recovered autosave); ``unsaved`` says the shown document was
        never saved anywhere (a recovered new one): every field with
        content counts as modified.
        """
        was_modified = self.is_modified()
        self._raw = None
        self._base = document
        self._values = document_values(document)
        self._version += 1
        if saved is not None:
            self._saved = document_values(saved)
        elif unsaved:
            self._saved = {key: None for key in self._values}
        else:
            self._saved = dict(self._values)
        self._modified = {key for key, value in self._values.items()
                          if self._differs(key, value)}
        self._disk_differs = saved is not None or unsaved
        self._set_path(path)
        self.sig_document_reset.emit()
        self.sig_modified_fields_changed.emit()
        if was_modified != self.is_modified():
            self.sig_modified_changed.emit(self.is_modified())

    def mark_saved(self, path: Path) -> None:
        """The current values are now on disk at ``path``."""
        was_modified = self.is_modified()
        self._saved = dict(self._values)
        self._raw_saved = self._raw_text
        self._disk_differs = False
        self._set_path(path)
        if self._modified:
            self._modified.clear()
            self.sig_modified_fields_changed.emit()
        if was_modified:
            self.sig_modified_changed.emit(False)

    def mark_disk_differs(self) -> None:
        """The file on disk no longer matches what is shown (another program wrote it)."""
        was_modified = self.is_modified()
        self._disk_differs = True
        if not was_modified:
            self.sig_modified_changed.emit(True)

    def _differs(self, key: str, value: Any) -> bool:
        saved = self._saved[key]
        return bool(value) if saved is None else value != saved

    def _set_path(self, path: Optional[Path]) -> None:
        path = Path(path) if path else None
        if path != self._path:
            self._path = path
            self.sig_path_changed.emit(path)
