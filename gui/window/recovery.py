"""After a crash: offer the autosave a dead session left, and load it back.

The recovered document keeps the file it belongs to; fields that differ
from that file are marked modified (all of them for a never-saved one),
so Save writes the recovered edits where they belong.
"""
from __future__ import annotations

import time
from pathlib import Path

from gui.window import prompts
from gui.window.autosave import AutosaveEntry, find_orphans


def offer_recovery(window, folder: Path) -> bool:
    """Ask about each orphaned autosave in ``folder`` (newest first); True if one was loaded.

    ``window`` is the MainWindow: its model, file controller, autosaver and status line.
    """
    for entry in find_orphans(folder):
        if entry.is_stale():
            entry.discard()
            continue
        source = str(entry.source) if entry.source else "never saved"
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.saved_at))
        answer = prompts.ask_recover(window, entry.title, when, source)
        if answer == "later":
            return False
        if answer == "recover":
            return recover(window, entry)
        entry.discard()
    return False


def recover(window, entry: AutosaveEntry) -> bool:
    try:
        document = entry.document()
    except (ValueError, TypeError, KeyError) as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(window, "Cannot Recover", f"The autosave is damaged: {exc}")
        return False
    saved = None
    if entry.source is not None and entry.source.exists():
        from engine.codegen import SchedulerParseError, parse
        try:
            saved = parse(entry.source.read_bytes(), filename=str(entry.source))
        except (SchedulerParseError, OSError):
            saved = None
    window.document_model.reset(document, entry.source, saved=saved, unsaved=saved is None)
    window.files.watcher.watch(entry.source if saved is not None else None)
    entry.discard()
    window.autosave.save_now()
    window.status.show_message(f"Recovered unsaved edits of {entry.title}")
    return True
