"""New, Open, Save, Save As, Save To Python, reload: the document's life on disk.

A controller, not a widget: it asks through file dialogs and ``prompts``,
and changes the DocumentModel. The rule it keeps: nothing the user typed
is ever lost without them saying so — a failed open leaves the current
document as it was, a failed save keeps the edits and says why.
"""
from __future__ import annotations

import errno
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from scheduler_studio.engine.codegen.errors import SchedulerParseError
from scheduler_studio.engine.codegen.save import SaveError
from scheduler_studio.gui.window import fields, prompts
from scheduler_studio.gui.window.class_memory import remember_class, remembered_class
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.file_watcher import DiskWatcher
from scheduler_studio.gui.window.ide_helpers import IdeHelpers
from scheduler_studio.gui.window.parameter_rows import row_problems
from scheduler_studio.gui.window.recent_files import RecentFiles
from scheduler_studio.gui.window.settings import SessionSettings, SettingsStore

log = logging.getLogger(__name__)
FILE_FILTER = "Python scheduler modules (*.py);;All files (*)"


class FileController(QObject):
    """File commands for one window's DocumentModel."""

    sig_status = Signal(str)
    """A short message for the status bar."""

    sig_saved = Signal(object)
    """The document (or a copy) was written to this Path."""

    sig_opened = Signal(object)
    """The user opened this Path (Open, recent files): its autosaves are offered."""

    def __init__(self, model: DocumentModel, window: QWidget, store: SettingsStore,
                 recent: RecentFiles, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._model = model
        self._window = window
        self._store = store
        self._recent = recent
        self._session = store.load(SessionSettings)
        self.watcher = DiskWatcher(self)
        self.watcher.sig_changed.connect(self._on_changed_on_disk)
        self.watcher.sig_removed.connect(self._on_removed_from_disk)
        self._dialog = None
        self._stopped = False
        self.ide = IdeHelpers(model, window, self.save, self.sig_status.emit, self)

    def stop(self) -> None:
        """The window is closing: stop watching the disk."""
        self._stopped = True
        self.watcher.stop()

    # -- questions -------------------------------------------------------------------
    def maybe_save(self, action: str) -> bool:
        """True when it is fine to drop the document now (saved, or the user said so)."""
        if not self._model.is_modified():
            return True
        answer = prompts.ask_save_changes(self._window, self._model.display_name(), action)
        if answer == "save":
            return self.save()
        return answer == "discard"

    # -- new / open ------------------------------------------------------------------
    def new_document(self):
        """Ask for a template and names (the NewDocumentDialog is returned, opened)."""
        from scheduler_studio.gui.window.new_dialog import NewDocumentDialog  # dialogs load when first used
        from scheduler_studio.gui.window.templates import list_templates

        if not self.maybe_save("starting a new scheduler"):
            return None
        dialog = NewDocumentDialog(list_templates(), self._window)
        dialog.accepted.connect(lambda: self._create(*dialog.choice()))
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()
        return dialog

    def _create(self, stem: str, type_name: str, label: str) -> None:
        from scheduler_studio.gui.window.templates import new_from_template

        try:
            doc = new_from_template(stem, type_name, label)
        except (SchedulerParseError, ValueError, OSError) as exc:
            prompts.tell(self._window, "critical", "Cannot Use Template", str(exc))
            return
        self.watcher.unwatch()
        self._model.reset(doc, None)
        self.sig_status.emit(f"New scheduler {type_name} from the {stem} template")

    def open_file(self, path: Optional[Path] = None) -> bool:
        if not self.maybe_save("opening another file"):
            return False
        if path is None:
            from PySide6.QtWidgets import QFileDialog  # dialogs load when first used

            name, _ = QFileDialog.getOpenFileName(self._window, "Open Scheduler Module",
                                                  self._start_folder(), FILE_FILTER)
            if not name:
                return False
            path = Path(name)
        if not self.load(Path(path)):
            return False
        self.sig_opened.emit(Path(path))
        return True

    def load(self, path: Path) -> bool:
        """Read and show ``path``; on failure say why and keep the current document."""
        try:
            data = path.read_bytes()
            doc, raw = read_chosen(data, path, remembered_class(self._store, path)), None
        except SchedulerParseError as exc:
            try:  # shown whole, its error marked, to be fixed here
                doc, raw = None, raw_module(data, str(path), exc)
            except SchedulerParseError as unreadable:  # not text at all
                prompts.tell(self._window, "critical", "Cannot Open Scheduler",
                             f"{unreadable.filename}, line {unreadable.line}: "
                             f"{unreadable.message}\n\nThe document you were editing "
                             "is unchanged.")
                return False
        except OSError as exc:
            prompts.tell(self._window, "critical", "Cannot Open Scheduler",
                         f"Could not read {path}: {exc.strerror or exc}")
            return False
        if raw is not None:
            self._model.set_raw(raw, path)
        else:
            self._model.reset(doc, path)
        self.watcher.watch(path, data)
        self._remember(path)
        self.sig_status.emit(f"Opened {path}" if raw is None else
                             f"Opened {path} whole: line {raw.error.line}: {raw.error.message}")
        return True

    # -- another class of the module ---------------------------------------------------
    def choose_class(self, class_name: str) -> bool:
        """Edit another scheduler class of the module: the module as it is now, unsaved
        edits included, read again with that class (the edits stay unsaved, and Save
        writes the whole module). The choice is remembered with the file."""
        model = self._model
        if model.raw() is not None or class_name == model.value("class_name"):
            return False
        data = self._module_bytes()
        if data is None:
            return False
        path = model.path()
        try:
            doc = parse(data, str(path) if path else "<module>", class_name)
        except SchedulerParseError as exc:
            prompts.tell(self._window, "warning", "Cannot Edit That Class", str(exc))
            return False
        modified, saved = model.is_modified(), None
        if modified and path is not None:  # the file's own fields: the edits stay marked
            try:
                saved = parse(path.read_bytes(), str(path), class_name)
            except (OSError, SchedulerParseError):
                saved = None
        model.reset(doc, path, saved=saved, unsaved=modified and path is None)
        if modified and saved is None and path is not None:
            model.mark_disk_differs()
        remember_class(self._store, path, class_name)
        self.sig_status.emit(f"Editing the scheduler class {class_name}")
        return True

    # -- save ------------------------------------------------------------------------
    def save(self) -> bool:
        path = self._model.path()
        if not self._parameters_ok():
            return False
        return self.save_as() if path is None else self.write(path)

    def save_as(self) -> bool:
        if not self._parameters_ok():
            return False
        suggested = self._model.path() or Path(self._start_folder()) / (
            self._suggested_stem() + ".py")
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(self._window, "Save Scheduler As",
                                              str(suggested), FILE_FILTER)
        if not name:
            return False
        path = Path(name) if name.endswith(".py") else Path(name + ".py")
        return self.write(path)

    def _suggested_stem(self) -> str:
        """The file name to offer, without .py: the type name, or for a module open
        whole its own file's (its type name is still the previous document's)."""
        if self._model.raw() is not None:
            path = self._model.path()
            return path.stem if path is not None else "scheduler"
        return self._model.value("type_name") or "scheduler"

    def _parameters_ok(self) -> bool:
        """Refuse to write while a parameter row is invalid: it would be left out."""
        if self._model.raw() is not None:
            return True  # the whole module is written as its text
        bad_rows = row_problems(self._model.value("parameters"))
        if bad_rows:
            first = bad_rows[0]
            prompts.tell(self._window, "warning", "Parameters Need Fixing",
                         f"Parameter row {first.row + 1} ({first.column}): "
                         f"{first.message}.\n\nFix the Parameters tab first, so no "
                         "parameter is left out of the module.")
        return not bad_rows

    def write(self, path: Path, adopt: bool = True) -> bool:
        """Write the module to ``path``; ``adopt``: the document now lives there."""
        data = self._module_bytes()
        if data is None:
            return False
        watching_target = self._model.path() == path
        if watching_target:
            self.watcher.expect(data)
        try:
            report = save_module(path, data, keep_bak=self._session.keep_bak_beside,
                                 backups=self._window.backup_store())
        except SaveError as exc:
            if watching_target:
                self.watcher.expect(None)  # nothing of ours is on disk
            prompts.tell(self._window, "critical", "Save Failed", save_failure_text(path, exc))
            return False
        if adopt:
            self._model.mark_saved(path)
            self.watcher.watch(path, data)
            self._remember(path)
            if self._model.chosen_class():   # Save As: the choice goes with the file
                remember_class(self._store, path, self._model.chosen_class())
        self.sig_saved.emit(path)
        self.sig_status.emit(_saved_message(path, report))
        return True

    def _module_bytes(self) -> Optional[bytes]:
        """The module's bytes in the file's encoding, or None when the user did not
        want the file converted to UTF-8 for a character its encoding lacks."""
        from scheduler_studio.engine.codegen import SchedulerEncodingError

        try:
            return self._model.module_bytes()
        except SchedulerEncodingError as exc:
            answer = prompts.ask_convert_to_utf8(self._window, self._model.display_name(),
                                                 str(exc).split(";")[0])
            if answer != "convert":
                return None
            self._model.convert_to_utf8()
            return self._model.module_bytes()

    def save_to_python(self):
        """Offer Houdini's pdg/types folders; the SaveToPythonDialog is returned, opened."""
        from scheduler_studio.gui.window.houdini_prefs import find_types_dirs
        from scheduler_studio.gui.window.save_to_python_dialog import SaveToPythonDialog

        if not self._parameters_ok() or not self._houdini_would_load():
            return None
        dialog = SaveToPythonDialog(find_types_dirs(), f"{self._suggested_stem()}.py",
                                    self._window)
        if self._session.last_houdini_types:
            dialog.select_folder(Path(self._session.last_houdini_types))
        dialog.accepted.connect(lambda: self._export(dialog.target(), dialog.create_folder()))
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()
        return dialog

    def _houdini_would_load(self) -> bool:
        """The Problems checks and Houdini's loader's needs; a module that would not load
        is written only when the user says so."""
        from scheduler_studio.gui.window.houdini_check import houdini_verdict
        from scheduler_studio.gui.window.save_to_python_dialog import ask_save_anyway

        self._verdict = houdini_verdict(self._model.module_text())
        return self._verdict.loads or ask_save_anyway(self._window, self._verdict) == "save"

    def _export(self, target: Optional[Path], create: bool) -> None:
        if target is None:
            return
        folder = target.parent
        if not folder.is_dir():
            if not create:
                prompts.tell(self._window, "critical", "Save To Python",
                             f"{folder} does not exist.")
                return
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                prompts.tell(self._window, "critical", "Save To Python",
                             f"Could not create {folder}: {exc.strerror or exc}")
                return
        current = self._model.path()
        if target.exists() and target != current:
            if prompts.ask_replace(self._window, str(target)) != "replace":
                return
        if not self.write(target, adopt=current is None or current == target):
            return
        self._session.last_houdini_types = str(folder)
        self._store.save(self._session)
        prompts.tell(self._window, "information", "Saved To Python",
                     self._verdict.after_save(target))  # what Houdini will see

    # -- disk changes ----------------------------------------------------------------
    def watch_later(self, path: Path, delay_ms: int) -> None:
        """Watch the opened file once the window is up, against the bytes shown now
        (a change made meanwhile is still noticed)."""
        try:
            shown = path.read_bytes()
        except OSError:
            shown = b""

        def start() -> None:
            if not self._stopped and self._model.path() == path:
                self.watcher.watch(path, shown)
                self.watcher.check_now()
        QTimer.singleShot(delay_ms, self, start)
    def _on_changed_on_disk(self, path: Path) -> None:
        if path != self._model.path():
            return
        edits = self._model.is_modified()
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        merge = self._merge(path, data) if edits and data is not None else None
        answer = prompts.ask_reload(self._window, path.name, edits,
                                    None if merge is None else merge.conflicts)
        if answer == "reload":
            kept = self._keep_unsaved(path) if edits else ""
            if kept is None:
                answer = "keep"
            elif self.load(path) and kept:
                self.sig_status.emit(f"Reloaded {path.name}; your unsaved edits are kept "
                                     "in File > Restore Previous Version")
                return
        if answer == "merge" and merge is not None:
            self._apply_merge(path, data, merge)
        elif answer != "reload":
            self._model.mark_disk_differs()
            self.sig_status.emit(f"{path.name} changed on disk; your version is kept")

    def _merge(self, path: Path, data: bytes) -> Optional["Merge"]:
        """The file's new version with the fields edited here on top (a field-level
        three-way merge against the version last loaded or saved), or None when the
        new version does not read as a scheduler (of the class shown)."""
        from scheduler_studio.gui.window.document_model import document_values

        model = self._model
        if model.raw() is not None:
            return None
        try:
            theirs = parse(data, str(path), model.chosen_class())
        except SchedulerParseError:
            return None
        disk = document_values(theirs)
        mine = {key: model.value(key) for key in model.modified_fields() if key in disk}
        conflicts = [key for key, value in mine.items()
                     if disk[key] != model.saved_value(key) and disk[key] != value]
        return Merge(theirs, mine, [_field_name(key) for key in sorted(conflicts)])

    def _apply_merge(self, path: Path, data: bytes, merge: "Merge") -> None:
        model = self._model
        model.reset(merge.theirs, path)  # the file as it is now, edits spliced into it
        for key, value in merge.mine.items():
            model.set_value(key, value)
        self.watcher.watch(path, data)
        both = f"; changed on both sides, yours kept: {', '.join(merge.conflicts)}" \
            if merge.conflicts else ""
        self.sig_status.emit(f"{path.name} changed on disk: its new version is taken "
                             f"except where you edited{both}")

    def _keep_unsaved(self, path: Path) -> Optional[str]:
        """Keep the unsaved module as a version of ``path`` (File > Restore Previous
        Version) before a reload replaces it; None, said why, when it cannot be kept."""
        import time

        from scheduler_studio.engine.codegen import SchedulerEncodingError

        store = self._window.backup_store()
        try:
            try:
                data = self._model.module_bytes()
            except SchedulerEncodingError:  # a character its encoding lacks: as UTF-8
                data = self._model.module_text().encode("utf-8")
            return str(store.add(path, data, time.time()))
        except (OSError, ValueError) as exc:  # ValueError: an edit render cannot write
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            prompts.tell(self._window, "warning", "Not Reloaded",
                         f"Your unsaved edits could not be kept in {store.root} "
                         f"({reason}), so {path.name} was not reloaded: your edits "
                         "are still here.")
            return None

    def _on_removed_from_disk(self, path: Path) -> None:
        if path == self._model.path():
            self._model.mark_disk_differs()
            self.sig_status.emit(f"{path.name} was deleted or moved on disk; save to write it again")

    # -- the .bak setting -------------------------------------------------------------
    def keeps_bak(self) -> bool:
        """A save also leaves NAME.py.bak beside the file (off: only the studio's backups)."""
        return self._session.keep_bak_beside

    def set_keep_bak(self, keep: bool) -> None:
        self._session.keep_bak_beside = bool(keep)
        self._store.save(self._session)

    # -- helpers ---------------------------------------------------------------------
    def _remember(self, path: Path) -> None:
        self._recent.add(path)
        self._session.last_folder = str(path.parent)
        self._store.save(self._session)

    def _start_folder(self) -> str:
        path = self._model.path()
        return str(path.parent) if path else self._session.last_folder


@dataclass(frozen=True)
class Merge:
    """The file's new version (``theirs``) and the fields edited here kept on top."""

    theirs: object  # SchedulerDocument
    mine: dict
    conflicts: list  # names of the fields changed on both sides


def _field_name(key: str) -> str:
    """A field as the reload question names it: a callback by its method name."""
    cb = fields.callback_of(key)
    return cb.name if cb is not None else fields.title_of(key)


def parse(data, filename, class_name=None):
    """scheduler_studio.engine.codegen.parse, loaded with the first file opened (not at start-up)."""
    from scheduler_studio.engine.codegen.parsing import parse as parse_module
    return parse_module(data, filename=filename, class_name=class_name)


def read_chosen(data, path: Path, class_name: Optional[str]):
    """The document of ``path`` on the class chosen in it last time, or on its
    default class when that one is gone (renamed, removed)."""
    from scheduler_studio.engine.codegen.errors import SchedulerClassError

    if class_name is not None:
        try:
            return parse(data, str(path), class_name)
        except SchedulerClassError:
            pass
    return parse(data, str(path))


def raw_module(data, filename, error):
    """scheduler_studio.gui.window.raw_text.raw_module (loaded when first needed)."""
    from scheduler_studio.gui.window.raw_text import raw_module as read_raw
    return read_raw(data, filename, error)


def save_module(path, data, **options):
    """scheduler_studio.engine.codegen.save_module (a seam for tests that fill the disk)."""
    from scheduler_studio.engine.codegen.save import save_module as save
    return save(path, data, **options)


def save_failure_text(path: Path, exc: SaveError) -> str:
    """What the Save Failed message says: why, and advice that fits the reason."""
    cause = exc.__cause__
    code = cause.errno if isinstance(cause, OSError) else None
    text = str(exc)
    if code is None and path.exists() and not os.access(path, os.W_OK):
        code = errno.EACCES  # save_module refused a read-only file before writing
    if code == errno.ENOENT and not path.parent.is_dir():
        return (f"Could not save {path}: the folder {path.parent} does not exist."
                "\n\nYour edits are still here: use Save As and choose a folder that "
                "exists.")
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        advice = ("free some space, or use Save As to write them to another disk")
    elif code == errno.EROFS:
        advice = (f"{path.parent} is on a read-only file system: use Save As to "
                  "write them somewhere else")
    elif code in (errno.EACCES, errno.EPERM):
        advice = ("the file or its folder is read-only for you (no permission to "
                  "write there): use Save As to write them somewhere else")
    else:
        advice = "use Save As to write them somewhere else"
    return f"{text}\n\nYour edits are still here: {advice}."


def _saved_message(path: Path, report) -> str:
    """The status line after a save: what was not kept is said, never hidden."""
    notes = [f"written in place: {report.in_place}"] if report.in_place else []
    return "; ".join([f"Saved {path}", *notes, *report.warnings])
