"""Completion offers pdg's public API and the user's own members, nothing of the emulation's."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from scheduler_studio.gui.editor.completion import CompletionProvider, studio_sys_path

HEAD = (
    "import pdg\n"
    "from pdg.scheduler import PyScheduler\n"
    "from pdg.job.callbackserver import CallbackServerMixin\n"
    "\n"
    "\n"
    "class LogMixin:\n"
    "    def _flog(self, text):\n"
    "        print(text)\n"
    "\n"
    "\n"
    "class FarmScheduler(LogMixin, CallbackServerMixin, PyScheduler):\n"
    "    def _submit(self, work_item):\n"
    "        return 1\n"
    "\n"
    "    def onSchedule(self, work_item):\n"
)
OFFSET = HEAD.count("\n")
EMULATION_ONLY = {"_pdg_state", "_override", "_set_attrib", "_report", "_job_dirs"}


@pytest.fixture(scope="module")
def real_provider():
    prov = CompletionProvider(sys_path_extra=studio_sys_path())
    yield prov
    prov.shutdown()


def _names(qtbot, provider, body_line: str) -> set[str]:
    module = HEAD + "        " + body_line + "\n"
    with qtbot.waitSignal(provider.sig_completions_ready, timeout=30000) as blocker:
        provider.complete(module, OFFSET + 1, 8 + len(body_line))
    return {c.name for c in blocker.args[1]}


def test_self_offers_the_public_api_not_the_emulations_internals(real_provider, qtbot):
    names = _names(qtbot, real_provider, "self.")
    assert {"onWorkItemSucceeded", "workingDir", "workItemResultServerAddr"} <= names
    assert not names & EMULATION_ONLY
    under = _names(qtbot, real_provider, "self._")
    assert {"_flog", "_submit"} <= under  # the user's own
    assert not under & EMULATION_ONLY, under & EMULATION_ONLY
    assert "_verboseLog" in under  # Houdini documents it for subclasses


def test_work_item_offers_no_names_pdg_lacks(real_provider, qtbot):
    names = _names(qtbot, real_provider, "work_item.")
    assert {"addOutputFile", "attribValue", "name", "id"} <= names
    assert not names & {"attributes_json", "attributes_plain"}
    assert not {n for n in _names(qtbot, real_provider, "work_item._") if not n.startswith("__")}


def test_underscore_after_self_dot_narrows_the_open_list(make_editor, real_provider, qtbot):
    editor = make_editor("")

    def context():
        return HEAD + "".join("        " + line + "\n" for line in editor.text().split("\n")), OFFSET, 8

    editor.set_completion_provider(real_provider, context)
    qtbot.keyClicks(editor, "self.")
    qtbot.waitUntil(editor.autoCActive, timeout=30000)
    qtbot.keyClicks(editor, "_")
    qtbot.waitUntil(lambda: editor.autoCActive()
                    and bytes(editor.autoCCurrentText()).decode().startswith("_"), timeout=30000)
    qtbot.keyClicks(editor, "fl")
    assert bytes(editor.autoCCurrentText()).decode() == "_flog"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "self._flog"
    assert real_provider.wait_for_done(30000)
