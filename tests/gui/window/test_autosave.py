"""Autosave every few seconds; the autosaves of windows that died are offered when their
file is opened (or at a bare start), judged by content, and deleted only when the user
discarded them or their edits live on."""
from __future__ import annotations

import json
import os
import time
from dataclasses import replace

from filelock import FileLock
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from scheduler_studio.engine.codegen import FrozenMap, render, save_module
from scheduler_studio.gui.window import fields, prompts
from scheduler_studio.gui.window.autosave import WindowIdentity, find_orphans, write_autosave
from scheduler_studio.gui.window.recovery_dialog import RecoveryDialog
from scheduler_studio.gui.window.templates import template_document
from tests.gui.window.conftest import Answer, focus, type_text

ON_TICK = fields.callback_field("onTick")


def edited(note: str, doc=None):
    """The template (or ``doc``) with ``note`` added to onTick."""
    doc = doc or template_document()
    bodies = dict(doc.bodies)
    bodies["onTick"] = bodies["onTick"] + note
    return replace(doc, bodies=FrozenMap(bodies))


def added_lines(diff: str) -> list[str]:
    return [line[1:].strip() for line in diff.splitlines()
            if line.startswith("+") and not line.startswith("+++")]


def module_on_disk(tmp_path, name="farm.py"):
    path = tmp_path / name
    save_module(path, render(template_document())[0])
    return path


def dead_autosave(data_dir, key, doc, source, title="farm.py", number=1, pid=4242):
    """What a window that was killed leaves: its autosave and a lock nobody holds."""
    path = data_dir / "autosave" / f"{key}.json"
    write_autosave(path, doc, source, title, WindowIdentity(pid, number, time.time() - 600))
    path.with_suffix(".lock").write_text("")
    return path


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
    assert data["window"]["pid"] == os.getpid()
    assert path.stat().st_mode & 0o777 == 0o600  # unsaved code is the user's alone
    assert not find_orphans(data_dir / "autosave")  # ours: locked while we live

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: (str(tmp_path / "saved.py"), ""))
    window.actions["file/save"].trigger()
    assert not path.exists()


def test_a_dead_window_is_offered_and_recovered(make_window, qtbot, tmp_path, data_dir,
                                                monkeypatch):
    module = module_on_disk(tmp_path)
    orphan = dead_autosave(data_dir, "dead0001", edited("\n# after the crash\nif broken syntax"),
                           module)
    ask = Answer("recover")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window = make_window()
    assert window.offer_recovery()
    [(_parent, offer)] = ask.calls
    assert offer.title == "farm.py" and offer.source == str(module)
    assert "window 1 of process 4242" in offer.window
    assert added_lines(offer.diff) == ["# after the crash", "if broken syntax"]
    assert f"--- {module} (on disk)" in offer.diff
    editor = window.editor_for(ON_TICK)
    assert editor.text().endswith("# after the crash\nif broken syntax")
    model = window.document_model
    assert model.path() == module and model.is_modified()
    assert model.modified_fields() == {ON_TICK}  # compared with the file on disk
    # the orphan went only once this window's own autosave held the edits
    assert window.autosave.path().exists() and not orphan.exists()
    qtbot.waitUntil(lambda: any(p.is_syntax for p in editor.problems()), timeout=10000)


def test_a_touched_file_does_not_hide_the_edits(make_window, tmp_path, data_dir, monkeypatch):
    """touch, git checkout, rsync: a newer mtime is not a newer content."""
    module = module_on_disk(tmp_path)
    orphan = dead_autosave(data_dir, "dead0002", edited("\n# mine"), module)
    later = time.time() + 60
    os.utime(module, (later, later))
    ask = Answer("later")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window = make_window(path=module)
    assert not window.offer_recovery()
    assert len(ask.calls) == 1
    assert orphan.exists()  # Not Now keeps it for the next time
    assert not window.offer_recovery() and len(ask.calls) == 2


def test_an_autosave_holding_what_the_file_holds_is_removed_silently(make_window, tmp_path,
                                                                      data_dir, monkeypatch):
    module = module_on_disk(tmp_path)
    same = dead_autosave(data_dir, "same0001", template_document(), module)
    ask = Answer("recover")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    assert not make_window(path=module).offer_recovery()
    assert ask.calls == [] and not same.exists()


def test_discard_deletes_and_other_files_autosaves_wait_for_their_file(make_window, tmp_path,
                                                                       data_dir, monkeypatch):
    module, other = module_on_disk(tmp_path), module_on_disk(tmp_path, "other.py")
    mine = dead_autosave(data_dir, "mine0001", edited("\n# farm edit"), module)
    theirs = dead_autosave(data_dir, "othr0001", edited("\n# other edit"), other, "other.py")
    ask = Answer("discard")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window = make_window(path=module)
    assert not window.offer_recovery()
    assert [offer.title for _w, offer in ask.calls] == ["farm.py"]
    assert not mine.exists() and theirs.exists()


def test_opening_a_file_offers_its_autosave(make_window, tmp_path, data_dir, monkeypatch):
    module = module_on_disk(tmp_path)
    dead_autosave(data_dir, "open0001", edited("\n# edited before the crash"), module)
    ask = Answer("recover")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(module), ""))
    window.actions["file/open"].trigger()
    assert len(ask.calls) == 1
    assert window.editor_for(ON_TICK).text().endswith("# edited before the crash")
    assert window.document_model.path() == module and window.document_model.is_modified()


def test_recent_files_offer_the_autosave_too(make_window, tmp_path, data_dir, monkeypatch):
    module = module_on_disk(tmp_path)
    window = make_window()
    window.recent.add(module)
    dead_autosave(data_dir, "rcnt0001", edited("\n# recent"), module)
    ask = Answer("recover")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window.recent_menu.aboutToShow.emit()
    [action] = [a for a in window.recent_menu.actions() if a.text().endswith("farm.py")]
    action.trigger()
    assert len(ask.calls) == 1
    assert window.editor_for(ON_TICK).text().endswith("# recent")


def test_two_dead_windows_on_one_file_are_two_offers_and_two_windows(make_window, tmp_path,
                                                                     data_dir, monkeypatch):
    module = module_on_disk(tmp_path)
    first = dead_autosave(data_dir, "twoA", edited("\n# from window A"), module, pid=1001)
    second = dead_autosave(data_dir, "twoB", edited("\n# from window B"), module, pid=1002)
    ask = Answer("recover")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    window = make_window(path=module)
    before = set(QApplication.topLevelWidgets())
    assert window.offer_recovery()
    offers = [offer for _w, offer in ask.calls]
    assert len(offers) == 2
    assert {"process 1001" in o.window for o in offers} == {True, False}
    assert [o.in_new_window for o in offers] == [False, True]
    [other] = [w for w in QApplication.topLevelWidgets()
               if w not in before and type(w) is type(window)]
    try:
        texts = {w.editor_for(ON_TICK).text().splitlines()[-1] for w in (window, other)}
        assert texts == {"# from window A", "# from window B"}
        assert not first.exists() and not second.exists()  # each in a window's own autosave
    finally:
        monkeypatch.setattr(prompts, "ask_save_changes", lambda *args: "discard")
        other.close()


def test_an_autosave_of_a_live_window_is_left_alone(data_dir):
    folder = data_dir / "autosave"
    write_autosave(folder / "live.json", template_document(), None, "live")
    lock = FileLock(str(folder / "live.lock"))
    lock.acquire(timeout=0)
    try:
        assert not find_orphans(folder)
    finally:
        lock.release()
    assert [e.title for e in find_orphans(folder)] == ["live"]


def test_the_offer_shows_the_diff_and_recovers(make_window, qtbot, tmp_path, data_dir):
    module = module_on_disk(tmp_path)
    dead_autosave(data_dir, "diff0001", edited("\n# shown in the diff"), module)
    window = make_window(path=module)
    seen = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecoveryDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.diff.toPlainText())
        dialog.findChild(QPushButton, "recovery:recover").click()

    QTimer.singleShot(0, answer)
    assert window.offer_recovery()
    assert added_lines(seen[0]) == ["# shown in the diff"]
    assert f"--- {module} (on disk)" in seen[0]
    assert window.editor_for(ON_TICK).text().endswith("# shown in the diff")


def test_a_failing_autosave_is_said_in_the_status_bar_and_problems(make_window, qtbot,
                                                                   tmp_path):
    blocked = tmp_path / "data-is-a-file"
    blocked.write_text("not a folder")
    window = make_window()
    window._data_dir = blocked  # as if the data folder could not be made
    editor = window.editor_for(ON_TICK)
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "\n# not autosaved")
    assert not window.autosave.save_now()
    label = window.status.autosave
    assert label.isVisible() and "Not a directory" in label.toolTip()
    [problem] = [p for p in window.problems_model.problems() if p.field == fields.AUTOSAVE]
    assert "Autosave failed" in problem.message and "Not a directory" in problem.message
    window._data_dir = tmp_path / "data-ok"
    assert window.autosave.save_now()
    assert not label.isVisible()
    assert not [p for p in window.problems_model.problems() if p.field == fields.AUTOSAVE]
