"""Offer the autosaves of windows that died, and load one back.

An autosave is offered when its file is opened (command line, Open, recent
files) and, at a bare start, every one is. Whether it holds anything is
decided by content: its document against the file on disk (``touch``, a
checkout or rsync change the mtime, not the edits). One that holds the
file's own content is removed silently (nothing to lose); any other one is
removed only when the user chose Discard, or once its edits live on after
Recover (the recovering window's own autosave, or a save). Not Now keeps it
for the next time.

The recovered document keeps the file it belongs to; fields that differ
from that file are marked modified (all of them for a never-saved one), so
Save writes the recovered edits where they belong. A window already holding
edits recovers into a new window instead of replacing them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from scheduler_studio.gui.window import prompts
from scheduler_studio.gui.window.autosave import AutosaveEntry, find_orphans
from scheduler_studio.gui.window.diff_view import as_text, unified_diff
from scheduler_studio.gui.window.recovery_dialog import RecoveryOffer


@dataclass(frozen=True)
class DiskState:
    """The file an autosave belongs to, as it is now."""

    data: Optional[bytes]  # None: no such file (or never saved)
    document: object = None  # the parsed SchedulerDocument, None if it does not parse


def offer_recovery(window, folder: Path, path: Optional[Path] = None) -> bool:
    """Ask about each orphaned autosave in ``folder`` (of ``path`` only, when given),
    newest first; True if one was recovered.

    ``window`` is the MainWindow: its model, file controller, autosaver and status line.
    """
    recovered = False
    for entry in find_orphans(folder):
        if path is not None and not entry.belongs_to(path):
            continue
        disk = disk_state(entry.source)
        if entry.raw_text is not None:   # a module that was edited whole, as text
            if disk.data is not None and disk_text(disk.data, entry.source) == entry.raw_text:
                entry.discard()
                continue
            document = None
        else:
            try:
                document = entry.document()
            except (ValueError, TypeError, KeyError):
                document = None  # damaged: offered, Recover says so and keeps it
            chosen = getattr(getattr(document, "origin", None), "chosen_class", None)
            if chosen is not None:  # one class of several: the file read on that class
                disk = disk_state(entry.source, chosen)
        if document is not None and same_content(document, disk.document):
            entry.discard()  # the file holds exactly these edits: nothing to lose
            continue
        busy = window.document_model.is_modified()
        answer = prompts.ask_recover(window, make_offer(entry, document, disk, busy))
        if answer == "discard":
            entry.discard()
        elif answer == "recover":
            target = window.new_window() if busy else window
            recovered = recover(target, entry, disk) or recovered
    return recovered


def disk_state(source: Optional[Path], class_name: Optional[str] = None) -> DiskState:
    if source is None:
        return DiskState(None)
    try:
        data = source.read_bytes()
    except OSError:
        return DiskState(None)
    from scheduler_studio.engine.codegen import SchedulerParseError, parse

    try:
        return DiskState(data, parse(data, filename=str(source), class_name=class_name))
    except (SchedulerParseError, ValueError):
        return DiskState(data)


def disk_text(data: Optional[bytes], source: Optional[Path]) -> str:
    """The file's text as a module open whole reads it (its own encoding, no BOM),
    to set against a whole-module autosave; bytes that are not text as shown."""
    if data is None:
        return ""
    from scheduler_studio.engine.codegen import SchedulerParseError
    from scheduler_studio.gui.window.raw_text import raw_module

    filename = str(source or "<recovered>")
    try:
        return raw_module(data, filename, SchedulerParseError(filename, 1, "recovered")).text
    except SchedulerParseError:
        return as_text(data)


def same_content(document, on_disk) -> bool:
    """The autosaved document shows what the file holds (field by field, as the
    window judges "modified")."""
    if on_disk is None:
        return False
    from scheduler_studio.gui.window.document_model import document_values

    return document_values(document) == document_values(on_disk)


def make_offer(entry: AutosaveEntry, document, disk: DiskState, busy: bool) -> RecoveryOffer:
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.saved_at))
    who = entry.window.describe() if entry.window else "a window of an older version"
    on_disk = f"{entry.source} (on disk)" if disk.data is not None else "(no file)"
    if entry.raw_text is not None:
        diff = unified_diff(disk_text(disk.data, entry.source), entry.raw_text, on_disk,
                            f"autosave of {when}")
    elif document is None:
        diff = "The autosave is damaged and cannot be shown."
    else:
        from scheduler_studio.engine.codegen import render

        diff = unified_diff(as_text(disk.data), render(document)[0], on_disk,
                            f"autosave of {when}")
    source = str(entry.source) if entry.source else "never saved"
    return RecoveryOffer(entry.title, when, source, who, diff, in_new_window=busy)


def recover(window, entry: AutosaveEntry, disk: Optional[DiskState] = None) -> bool:
    """Show the autosave's document in ``window``; the window keeps the orphan (locked)
    until its own autosave or a save holds the edits."""
    disk = disk if disk is not None else disk_state(entry.source)
    if entry.raw_text is not None and not _recover_text(window, entry, disk):
        return False
    if entry.raw_text is not None:
        return _adopted(window, entry)
    try:
        document = entry.document()
    except (ValueError, TypeError, KeyError) as exc:
        prompts.tell(window, "critical", "Cannot Recover",
                     f"The autosave {entry.path} is damaged: {exc}. It is kept.")
        return False
    saved = disk.document
    window.document_model.reset(document, entry.source, saved=saved, unsaved=saved is None)
    window.files.watcher.watch(entry.source if saved is not None else None, disk.data)
    return _adopted(window, entry)


def _adopted(window, entry: AutosaveEntry) -> bool:
    window.autosave.adopt(entry)
    window.autosave.save_now()
    window.status.show_message(f"Recovered unsaved edits of {entry.title}")
    return True


def _recover_text(window, entry: AutosaveEntry, disk: DiskState) -> bool:
    """Show a whole-module autosave: as the text it was (against the file on disk, so
    what differs is marked modified), or field by field if it reads as a scheduler now."""
    from scheduler_studio.engine.codegen import SchedulerParseError
    from scheduler_studio.gui.window.raw_text import raw_module, try_parse

    filename = str(entry.source or "<recovered>")
    base = disk.data if disk.data is not None else entry.raw_text.encode("utf-8")
    try:
        raw = raw_module(base, filename, SchedulerParseError(filename, 1, "recovered"))
    except SchedulerParseError:  # the file on disk is no longer text: start from ours
        raw = raw_module(entry.raw_text.encode("utf-8"), filename,
                         SchedulerParseError(filename, 1, "recovered"))
    document, error = try_parse(raw, entry.raw_text)
    model = window.document_model
    if document is not None:
        model.reset(document, entry.source, saved=disk.document, unsaved=disk.document is None)
    else:
        from dataclasses import replace
        model.set_raw(replace(raw, text=entry.raw_text, error=error), entry.source,
                      saved_text=raw.text if disk.data is not None else "")
    window.files.watcher.watch(entry.source if disk.data is not None else None, disk.data)
    return True
