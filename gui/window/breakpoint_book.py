"""Every breakpoint of the document, by field, kept with the document's session state.

The editors hold the breakpoints while they exist (Scintilla's markers follow edits);
the book collects them, gives them to editors built later (a tab not yet opened), and
keeps them per document file (and per scheduler class, in a module holding several:
each class has its own ``onSchedule``) in the settings, so a file opened again has its
breakpoints back. A document never saved keeps them for the session only.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import ClassVar, Optional

from PySide6.QtCore import QObject, QTimer, Signal

from scheduler_studio.gui.editor.breakpoints import EditorBreakpoint

MAX_FILES = 50


@dataclass
class BreakpointSettings:
    """Breakpoints by document file, newest last:
    ``[{"path": ..., "fields": {field: [{line, condition, hit_count}]}}]``; an entry of
    a class chosen among a module's several also has ``"class"``."""

    SECTION: ClassVar[str] = "breakpoints"
    SCHEMA: ClassVar[int] = 1
    files: list = field(default_factory=list)


class BreakpointBook(QObject):
    sig_changed = Signal()
    """A breakpoint was set, removed or edited."""

    def __init__(self, store, parent: Optional[QObject] = None):
        super().__init__(parent)
        self._store = store
        self._path: Optional[str] = None
        self._class: Optional[str] = None   # the class chosen in the module, if any
        self._fields: dict[str, list[EditorBreakpoint]] = {}
        self._editors: dict[str, object] = {}

    def attach(self, field_name: str, editor) -> None:
        """An editor of `field_name` exists: show its breakpoints, follow its changes."""
        self._editors[field_name] = editor
        editor.breakpoints.set_breakpoints(self._fields.get(field_name, []))
        editor.breakpoints.sig_changed.connect(lambda f=field_name: self._on_editor(f))

    def load(self, path: Optional[os.PathLike], class_name: Optional[str] = None) -> None:
        """The window shows another document (its file, or None; the class chosen in it,
        or None for the module's first): its breakpoints."""
        self._path = os.path.abspath(path) if path else None
        self._class = class_name
        saved = _entry(self._store.load(BreakpointSettings).files, self._path,
                       self._class).get("fields")
        self._fields = {}
        for name, rows in saved.items() if isinstance(saved, dict) else ():
            try:
                self._fields[name] = [EditorBreakpoint(int(r["line"]), str(r.get("condition", "")),
                                                       int(r.get("hit_count", 0))) for r in rows]
            except (KeyError, TypeError, ValueError):
                continue  # a damaged entry: dropped, the rest kept
        self._show()
        # An editor whose own reset slot runs after this one takes the new text later in
        # this turn (which wipes its markers): it gets its breakpoints again then.
        QTimer.singleShot(0, self, self._show)

    def _show(self) -> None:
        for name, editor in self._editors.items():
            editor.breakpoints.set_breakpoints(self._fields.get(name, []))

    def rename(self, path: Optional[os.PathLike]) -> None:
        """The document was saved under another name: its breakpoints go with it (after
        this turn: a document being opened loads its own first, see `load`)."""
        self._path = os.path.abspath(path) if path else None
        QTimer.singleShot(0, self, self.save)

    def collect(self) -> list[tuple[str, EditorBreakpoint]]:
        """(field, breakpoint) for every breakpoint, where the editors have them now."""
        for name, editor in self._editors.items():
            self._fields[name] = editor.breakpoints.breakpoints()
        return [(name, bp) for name, rows in self._fields.items() for bp in rows]

    def save(self) -> None:
        """Keep the current breakpoints with the document's file (if it has one)."""
        if self._path is None:
            return
        self.collect()
        settings = self._store.load(BreakpointSettings)
        rows = {name: [bp.to_dict() for bp in bps] for name, bps in self._fields.items() if bps}
        settings.files = [e for e in settings.files if not _is(e, self._path, self._class)]
        if rows:
            entry = {"path": self._path, "fields": rows}
            if self._class is not None:
                entry["class"] = self._class
            settings.files.append(entry)
        settings.files = settings.files[-MAX_FILES:]
        self._store.save(settings)

    def _on_editor(self, field_name: str) -> None:
        editor = self._editors.get(field_name)
        if editor is not None:
            self._fields[field_name] = editor.breakpoints.breakpoints()
        self.save()
        self.sig_changed.emit()


def _is(entry, path: Optional[str], class_name: Optional[str]) -> bool:
    return isinstance(entry, dict) and bool(path) and entry.get("path") == path and \
        entry.get("class") == class_name


def _entry(files: list, path: Optional[str], class_name: Optional[str] = None) -> dict:
    return next((entry for entry in files if _is(entry, path, class_name)), {})
