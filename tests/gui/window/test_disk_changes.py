"""Another program changes the open file: the window asks, and never drops unsaved edits."""
from __future__ import annotations

from dataclasses import replace

from scheduler_studio.engine.codegen import render, save_module
from scheduler_studio.gui.window import fields, prompts
from scheduler_studio.gui.window.templates import template_document
from tests.gui.window.conftest import Answer, focus, type_text

ON_TICK = fields.callback_field("onTick")


def _saved_module(tmp_path, label="On Disk"):
    path = tmp_path / "watched.py"
    doc = replace(template_document(), label=label)
    save_module(path, render(doc)[0])
    return path, doc


def _change_on_disk(path, label):
    doc = replace(template_document(), label=label)
    save_module(path, render(doc)[0])  # an IDE's atomic save: a rename over the file
    return doc


def test_unmodified_document_reloads_when_the_user_says_so(make_window, qtbot, tmp_path,
                                                           monkeypatch):
    path, doc = _saved_module(tmp_path)
    window = make_window(doc, path)
    ask = Answer("reload")
    monkeypatch.setattr(prompts, "ask_reload", ask)
    changed = _change_on_disk(path, "Changed Elsewhere")
    qtbot.waitUntil(lambda: bool(ask.calls), timeout=5000)
    assert ask.calls[0][2] is False  # no unsaved edits to lose
    assert window.document_model.document() == changed
    assert window.header.edits["label"].text() == "Changed Elsewhere"
    assert not window.document_model.is_modified()


def test_keep_mine_keeps_unsaved_edits_and_marks_the_document_modified(make_window, qtbot,
                                                                       tmp_path, monkeypatch):
    path, doc = _saved_module(tmp_path)
    window = make_window(doc, path)
    editor = window.editor_for(ON_TICK)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\n# mine, not saved yet")
    ask = Answer("keep")
    monkeypatch.setattr(prompts, "ask_reload", ask)
    _change_on_disk(path, "Changed Elsewhere")
    qtbot.waitUntil(lambda: bool(ask.calls), timeout=5000)
    assert ask.calls[0][2] is True  # the question says edits are at stake
    assert editor.text().endswith("# mine, not saved yet")
    assert window.header.edits["label"].text() == "On Disk"
    assert window.document_model.is_modified()


def test_our_own_save_is_not_an_outside_change(make_window, qtbot, tmp_path, monkeypatch):
    path, doc = _saved_module(tmp_path)
    window = make_window(doc, path)
    ask = Answer("keep")
    monkeypatch.setattr(prompts, "ask_reload", ask)
    editor = window.editor_for(ON_TICK)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\n# saved by us")
    assert window.files.save()
    window.files.watcher.check_now()
    assert not ask.calls
    # A later outside change is still noticed: the watch survived our rename.
    _change_on_disk(path, "Later")
    qtbot.waitUntil(lambda: bool(ask.calls), timeout=5000)
    assert len(ask.calls) == 1
