"""The checker process: its protocol in-process, and a dead checker started again."""
from __future__ import annotations

import io
import json

from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.doc_codec import document_to_json
from scheduler_studio.gui.window.lint_server import Server
from scheduler_studio.gui.window.templates import template_document
from tests.gui.window.conftest import wait_checked


def _answers(requests):
    out = io.StringIO()
    lines = [json.dumps({"v": 1, **r}) + "\n" for r in requests]
    assert Server(out).run(lines) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_quick_and_full_answers():
    doc = template_document()
    answers = _answers([
        {"kind": "quick", "version": 3, "field": "callback:onTick", "text": "if x\n"},
        {"kind": "full", "version": 4, "document": document_to_json(doc)},
        {"kind": "nonsense"},
    ])
    quick = next(a for a in answers if a["kind"] == "quick")
    assert quick["version"] == 3 and quick["problem"][1] == 1  # line 1
    full = next(a for a in answers if a["kind"] == "full")
    assert full["version"] == 4 and full["problems"] == []
    assert "class LocalScheduler" in full["text"]
    assert len(full["line_map"]) == full["text"].count("\n")


def test_a_broken_request_is_answered_not_fatal():
    answers = _answers([{"kind": "full", "version": 1, "document": {"bodies": {"nope": "x"}}},
                        {"kind": "quick", "version": 2, "field": "prelude", "text": "import os"}])
    assert {a["kind"] for a in answers} == {"full", "quick"}
    assert "error" in next(a for a in answers if a["kind"] == "full")


def test_a_killed_checker_is_started_again_on_the_next_edit(window, qtbot):
    wait_checked(qtbot, window)
    process = window.lint._process
    assert process is not None
    with qtbot.waitSignal(process.finished, timeout=5000):
        process.kill()
    assert window.lint.is_idle()
    editor = window.editor_for(fields.callback_field("onTick"))
    window.document_model.set_value(fields.callback_field("onTick"), "if broken\n")
    qtbot.waitUntil(lambda: any(p.is_syntax for p in editor.problems()), timeout=10000)
    assert window.lint._process is not None and window.lint._process is not process


def test_an_answer_over_the_cap_is_dropped_and_the_checks_go_on(make_window, qtbot,
                                                                   monkeypatch, caplog):
    from scheduler_studio.gui.window import lint_worker

    # every full answer (the whole rendered module) is over this; quick ones are not
    monkeypatch.setattr(lint_worker, "MAX_ANSWER_BYTES", 600)
    window = make_window()
    wait_checked(qtbot, window)               # not busy for ever: the full check ended
    assert "dropped" in caplog.text
    editor = window.editor_for(fields.callback_field("onTick"))
    window.document_model.set_value(fields.callback_field("onTick"), "if broken\n")
    qtbot.waitUntil(lambda: any(p.is_syntax for p in editor.problems()), timeout=10000)
    wait_checked(qtbot, window)
