"""Autosave every few seconds; after a crash the next window offers the edits back."""
from __future__ import annotations

import json
import os
import time

from PySide6.QtCore import QLockFile

from gui.window import fields, prompts
from gui.window.autosave import find_orphans, write_autosave
from gui.window.templates import template_document
from tests.gui.window.conftest import Answer, focus, type_text

ON_TICK = fields.callback_field("onTick")


def test_edits_are_autosaved_and_a_save_removes_the_autosave(window, qtbot, tmp_path,
                                                             monkeypatch, data_dir):
    editor = window.editor_for(ON_TICK)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\n# autosaved")
    window.autosave.set_interval(50)  # the app waits seconds; the test need not
    path = window.autosave.path()
    qtbot.waitUntil(path.exists, timeout=5000)
    data = json.loads(path.read_text())
    assert data["document"]["bodies"]["onTick"].endswith("# autosaved")
    assert data["source"] is None
    assert not find_orphans(data_dir / "autosave")  # ours: locked while we live

    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: (str(tmp_path / "saved.py"), ""))
    window.actions["file/save"].trigger()
    assert not path.exists()


def test_a_crashed_session_is_offered_and_recovered(make_window, qtbot, tmp_path, data_dir,
                                                    monkeypatch):
    module = tmp_path / "farm.py"
    original = template_document()
    module.write_text("placeholder")  # replaced by a real save below
    from engine.codegen import render, save_module
    save_module(module, render(original)[0])
    # What a crashed session left: its edits, newer than the file, and no live lock.
    edited = template_document()
    from dataclasses import replace
    from engine.codegen import FrozenMap
    bodies = dict(edited.bodies)
    bodies["onTick"] = bodies["onTick"] + "\n# recovered after the crash\nif broken syntax"
    edited = replace(edited, bodies=FrozenMap(bodies))
    os.utime(module, (time.time() - 60, time.time() - 60))
    write_autosave(data_dir / "autosave" / "dead0001.json", edited, module, "farm.py")
    stale_lock = QLockFile(str(data_dir / "autosave" / "dead0001.lock"))
    assert stale_lock.tryLock(0)  # taken and released: a lock nobody holds any more
    stale_lock.unlock()

    ask = Answer("recover")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window = make_window()
    assert window.offer_recovery()
    assert len(ask.calls) == 1 and "farm.py" in ask.calls[0][1]
    editor = window.editor_for(ON_TICK)
    assert editor.text().endswith("# recovered after the crash\nif broken syntax")
    model = window.document_model
    assert model.path() == module
    assert model.is_modified()
    assert model.modified_fields() == {ON_TICK}  # compared with the file on disk
    assert not (data_dir / "autosave" / "dead0001.json").exists()
    qtbot.waitUntil(lambda: any(p.is_syntax for p in editor.problems()), timeout=10000)


def test_discarded_or_stale_autosaves_are_not_offered_again(make_window, tmp_path, data_dir,
                                                             monkeypatch):
    folder = data_dir / "autosave"
    write_autosave(folder / "aaaa.json", template_document(), None, "new one")
    newer_file = tmp_path / "newer.py"
    write_autosave(folder / "bbbb.json", template_document(), newer_file, "newer.py")
    newer_file.write_text("saved after the autosave")
    os.utime(newer_file, (time.time() + 60, time.time() + 60))
    ask = Answer("discard")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window = make_window()
    assert not window.offer_recovery()
    assert [call[1] for call in ask.calls] == ["new one"]  # the stale one goes silently
    assert not find_orphans(folder)


def test_an_autosave_of_a_live_session_is_left_alone(data_dir):
    folder = data_dir / "autosave"
    write_autosave(folder / "live.json", template_document(), None, "live")
    lock = QLockFile(str(folder / "live.lock"))
    assert lock.tryLock(0)
    try:
        assert not find_orphans(folder)
    finally:
        lock.unlock()
    assert [e.title for e in find_orphans(folder)] == ["live"]
