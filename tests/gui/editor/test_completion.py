"""jedi completion and call tips: off the GUI thread, with the scheduler module as context."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from scheduler_studio.gui.editor.completion import (CompletionProvider, annotate_parameters,
                                                    studio_sys_path)

CTRL = Qt.KeyboardModifier.ControlModifier
MODULE_HEAD = (
    "import pdg\n"
    "from pdg.scheduler import PyScheduler\n"
    "\n"
    "\n"
    "class LocalScheduler(PyScheduler):\n"
    "    def onSchedule(self, work_item):\n"
)
BODY_OFFSET = MODULE_HEAD.count("\n")


def scheduler_context(editor, indent: int | None = 8):
    """What the host gives: the module with this editor's body, and where the body starts."""
    def context():
        body = editor.text() or "pass"
        module = MODULE_HEAD + "".join(" " * 8 + line + "\n" for line in body.split("\n"))
        module += "\n\ndef registerTypes(type_registry):\n    pass\n"
        return (module, BODY_OFFSET) if indent is None else (module, BODY_OFFSET, indent)
    return context


@pytest.fixture
def body_editor(make_editor, provider):
    editor = make_editor("")
    editor.set_completion_provider(provider, scheduler_context(editor))
    return editor


def test_annotate_parameters_only_touches_def_headers():
    source = ("def onSchedule(self, work_item):\n"
              "    work_item.x\n"
              "def f(work_item=None, other=work_item): pass\n")
    out = annotate_parameters(source, {"work_item": "pdg.WorkItem"})
    lines = out.splitlines()
    assert lines[0] == 'def onSchedule(self, work_item: "pdg.WorkItem"):'
    assert lines[1] == "    work_item.x"
    assert lines[2] == 'def f(work_item: "pdg.WorkItem"=None, other=work_item): pass'
    assert annotate_parameters(source, {"work_item": "X"}, skip_line=1).splitlines()[0] == lines[0].replace(
        ': "pdg.WorkItem"', "")


def test_provider_runs_jedi_off_the_gui_thread(provider, qtbot, monkeypatch):
    threads = []
    original = provider._completions
    monkeypatch.setattr(provider, "_completions",
                        lambda *a: threads.append(threading.current_thread()) or original(*a))
    module = MODULE_HEAD + "        work_item.\n"
    with qtbot.waitSignal(provider.sig_completions_ready, timeout=20000) as blocker:
        request_id = provider.complete(module, BODY_OFFSET + 1, 18)
    got_id, items = blocker.args
    assert got_id == request_id
    assert {"addOutputFile", "attribValue", "name", "index"} <= {c.name for c in items}
    assert not any(c.name.startswith("_") for c in items)
    assert threads and threads[0] is not threading.main_thread()


def test_newer_request_makes_older_stale(provider, qtbot):
    module = MODULE_HEAD + "        work_item.\n"
    seen = []
    provider.sig_completions_ready.connect(lambda rid, items: seen.append(rid))
    first = provider.complete(module, BODY_OFFSET + 1, 18)
    second = provider.complete(module, BODY_OFFSET + 1, 18)
    assert provider.wait_for_done(20000)
    qtbot.waitUntil(lambda: second in seen, timeout=5000)
    assert first not in seen


def test_typing_dot_shows_work_item_members_and_enter_inserts(body_editor, qtbot):
    editor = body_editor
    qtbot.keyClicks(editor, "work_item.")
    qtbot.waitUntil(editor.autoCActive, timeout=20000)
    qtbot.keyClicks(editor, "addO")
    assert bytes(editor.autoCCurrentText()).decode() == "addOutputFile"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "work_item.addOutputFile"
    assert not editor.autoCActive()


def test_tab_accepts_and_self_knows_the_base_class(body_editor, qtbot):
    editor = body_editor
    qtbot.keyClicks(editor, "self.workItemRes")
    qtbot.waitUntil(editor.autoCActive, timeout=20000)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.text() == "self.workItemResultServerAddr"


def test_call_tip_after_open_paren(body_editor, qtbot):
    editor = body_editor
    qtbot.keyClicks(editor, "work_item.addOutputFile(")
    qtbot.waitUntil(editor.callTipActive, timeout=20000)
    assert editor.call_tip_text().startswith("addOutputFile(path: str")
    qtbot.keyClicks(editor, ")")
    assert not editor.callTipActive()


def test_ctrl_space_completes_on_demand(body_editor, qtbot):
    editor = body_editor
    qtbot.keyClicks(editor, "work_item.attr")  # after a dot every letter asks
    qtbot.waitUntil(editor.autoCActive, timeout=20000)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.autoCActive()
    qtbot.keyClick(editor, Qt.Key.Key_Space, CTRL)
    qtbot.waitUntil(editor.autoCActive, timeout=20000)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "work_item.attribValue"


def test_indent_of_the_body_is_inferred_when_not_given(make_editor, provider, qtbot):
    editor = make_editor("x = 1\n")
    editor.set_completion_provider(provider, scheduler_context(editor, indent=None))
    editor.gotoPos(editor.textLength())
    qtbot.keyClicks(editor, "work_item.add")
    qtbot.waitUntil(editor.autoCActive, timeout=20000)
    assert bytes(editor.autoCCurrentText()).decode() == "addOutputFile"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)


def test_stale_result_is_dropped_when_text_changed(body_editor, provider, qtbot):
    editor = body_editor
    editor.set_text("work_item.")
    editor.gotoPos(editor.textLength())
    with qtbot.waitSignal(provider.sig_completions_ready, timeout=20000) as blocker:
        editor.request_completion()
        qtbot.keyClicks(editor, " ")  # the text changes before jedi answers
    assert blocker.args[1]  # jedi did answer with names…
    assert not editor.autoCActive()  # …but the editor dropped them


def test_no_auto_completion_inside_strings_and_comments(body_editor, provider, qtbot):
    editor = body_editor
    qtbot.keyClicks(editor, "# work_item.")
    qtbot.keyClicks(editor, "x")
    assert not editor._completer._timer.isActive()
    editor.set_text("")
    qtbot.keyClicks(editor, "s = 'work_item.")
    assert not editor._completer._timer.isActive()
    assert provider.wait_for_done(20000)


def test_read_only_editor_never_completes(body_editor, provider):
    editor = body_editor
    editor.set_text("work_item.")
    editor.set_read_only(True)
    editor._completer.on_char_added(ord("."))
    assert not editor._completer._timer.isActive()


def test_private_names_only_after_underscore(provider, qtbot):
    module = MODULE_HEAD + "        work_item.__cl\n"
    with qtbot.waitSignal(provider.sig_completions_ready, timeout=20000) as blocker:
        provider.complete(module, BODY_OFFSET + 1, 22)
    assert "__class__" in {c.name for c in blocker.args[1]}


def test_the_real_emulated_pdg_completes_work_item(qtbot):
    """The provider as the app builds it: on engine's COMPAT_DIR."""
    from scheduler_studio.engine.compatpath import COMPAT_DIR

    if not (COMPAT_DIR / "pdg" / "__init__.py").is_file():
        pytest.skip("the emulated pdg package is not there yet")
    real = CompletionProvider(sys_path_extra=studio_sys_path())
    try:
        module = MODULE_HEAD + "        work_item.\n"
        with qtbot.waitSignal(real.sig_completions_ready, timeout=30000) as blocker:
            real.complete(module, BODY_OFFSET + 1, 18)
        assert "addOutputFile" in {c.name for c in blocker.args[1]}
    finally:
        real.shutdown()
