"""A module that does not read as a scheduler opens whole, its error marked, to be fixed.

Syntax errors and Python 2 code: the window shows the file's own text (never the
template), says the error and marks its line; Save writes exactly the text as edited;
once it parses, Show Callback View opens it field by field with the edits.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from scheduler_studio.gui import app
from scheduler_studio.gui.window import fields, prompts
from tests.gui.window.conftest import focus, type_text, wait_checked

BROKEN = ("import pdg\n"
          "from pdg.scheduler import PyScheduler\n"
          "\n"
          "class BrokenScheduler(PyScheduler):\n"
          "    def onSchedule(self, work_item):\n"
          "        if work_item.index == 3\n"
          "            return pdg.scheduleResult.Failed\n"
          "        return pdg.scheduleResult.Succeeded\n"
          "\n"
          "def registerTypes(type_registry):\n"
          "    type_registry.registerScheduler(BrokenScheduler, label=\"Broken\")\n")
PY2 = ("import pdg\nfrom pdg.scheduler import PyScheduler\n\n"
       "class OldScheduler(PyScheduler):\n"
       "    def onSchedule(self, work_item):\n"
       "        print \"scheduling\", work_item.name\n"
       "        return pdg.scheduleResult.Succeeded\n")
CTRL = Qt.KeyboardModifier.ControlModifier


class Recorder:
    def __init__(self, answer=None):
        self.answer, self.calls = answer, []

    def __call__(self, *args, **kwargs):
        self.calls.append(args)
        return self.answer


def opened(make_window, path):
    """A window started on ``path`` as `schedstudio FILE.py` starts it."""
    document, shown_path, error, raw = app._initial_document(path)
    window = make_window(document, shown_path, raw=raw)
    return window, error


def test_a_syntax_error_opens_the_file_whole_with_its_line_marked(make_window, qtbot, tmp_path):
    module = tmp_path / "broken.py"
    module.write_text(BROKEN)
    window, error = opened(make_window, module)
    wait_checked(qtbot, window)
    page = window.raw_page
    assert page is not None and page.isVisible()
    assert not window.tabs.isVisible() and not window.header.isVisible()  # no template
    assert page.editor.text() == BROKEN
    assert "line 6" in page.message.text() and "expected ':'" in page.message.text()
    assert [p.line for p in page.editor.problems()] == [6]
    assert window.status.checks.text() == "1 error"  # not "No problems"
    assert [p.message for p in window.problem_store.all_problems()] == \
        ["syntax error: expected ':'"]
    assert not page.show_callbacks.isEnabled() and page.go_to_error.isEnabled()
    assert "broken.py" in window.windowTitle() and not window.isWindowModified()
    assert window.module_text() == BROKEN  # what a cook would read: the file, not a template


def test_python_2_code_says_so_at_its_line(make_window, qtbot, tmp_path):
    module = tmp_path / "old.py"
    module.write_text(PY2)
    window, error = opened(make_window, module)
    wait_checked(qtbot, window)
    assert "Python 2" in window.raw_page.message.text()
    assert [p.line for p in window.raw_page.editor.problems()] == [6]


def test_saving_unedited_keeps_every_byte(make_window, qtbot, tmp_path):
    data = ("# -*- coding: latin-1 -*-\r\n" + BROKEN.replace("\n", "\r\n")
            + "# caf\xe9 \t  \r\n").encode("latin-1")
    module = tmp_path / "crlf.py"
    module.write_bytes(data)
    window, _error = opened(make_window, module)
    wait_checked(qtbot, window)
    assert window.raw_page.editor.text().endswith("# caf\xe9 \t  \r\n")
    assert window.files.write(module)
    assert module.read_bytes() == data


def test_an_edit_is_saved_as_typed_and_the_rest_stays_byte_for_byte(make_window, qtbot,
                                                                    tmp_path):
    data = ("\ufeff" + BROKEN.replace("\n", "\r\n")).encode("utf-8")
    module = tmp_path / "bom.py"
    module.write_bytes(data)
    window, _error = opened(make_window, module)
    wait_checked(qtbot, window)
    editor = window.raw_page.editor
    window.raw_page.show_error()
    focus(editor)
    editor.lineEnd()
    qtbot.keyClicks(editor, "  # fixed?")
    assert window.isWindowModified()
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert not window.isWindowModified()
    expected = data.replace(b"== 3\r\n", b"== 3  # fixed?\r\n", 1)
    assert module.read_bytes() == expected  # BOM, CRLF and the other lines untouched


def test_once_it_parses_the_callback_view_opens_with_the_edits(make_window, qtbot, tmp_path):
    module = tmp_path / "broken.py"
    module.write_text(BROKEN)
    window, _error = opened(make_window, module)
    wait_checked(qtbot, window)
    page = window.raw_page
    editor = page.editor
    page.show_error()
    focus(editor)
    editor.lineEnd()
    qtbot.keyClicks(editor, ":")
    qtbot.waitUntil(lambda: page.show_callbacks.isEnabled(), timeout=5000)
    assert "reads as a scheduler now" in page.message.text()
    assert not editor.problems() and not window.problem_store.all_problems()
    qtbot.mouseClick(page.show_callbacks, Qt.MouseButton.LeftButton)
    assert window.raw_page is None and window.tabs.isVisible()
    assert window.header.edits["class_name"].text() == "BrokenScheduler"
    body = window.editor_for(fields.callback_field("onSchedule")).text()
    assert body.startswith("if work_item.index == 3:")
    assert window.isWindowModified()  # the file still holds the broken text
    window.files.save()
    assert module.read_text() == BROKEN.replace("== 3\n", "== 3:\n")


def test_opening_a_broken_module_from_the_menu_shows_it_not_a_box(window, qtbot, tmp_path,
                                                                   monkeypatch):
    module = tmp_path / "old.py"
    module.write_text(PY2)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(module), "")))
    monkeypatch.setattr(prompts, "ask_save_changes", Recorder("discard"))
    critical = Recorder()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    window.actions["file/open"].trigger()
    assert not critical.calls
    wait_checked(qtbot, window)
    assert window.raw_page.editor.text() == PY2
    assert window.document_model.path() == module
    assert "line 6" in window.status.currentMessage()


def test_a_binary_file_still_says_why_and_keeps_the_document(window, qtbot, tmp_path,
                                                            monkeypatch):
    module = tmp_path / "bin.py"
    module.write_bytes(b"\x00\x01binary")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", Recorder((str(module), "")))
    critical = Recorder()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    window.actions["file/open"].trigger()
    assert len(critical.calls) == 1 and "binary" in str(critical.calls[0])
    assert window.raw_page is None and window.document_model.path() is None


def test_screenshot_of_a_broken_module_shows_it_and_exits_non_zero(tmp_path, qapp, capsys):
    module = tmp_path / "broken.py"
    module.write_text(BROKEN)
    png = tmp_path / "shot.png"
    code = app.main(["--screenshot", str(png), "--open", str(module), "--cook", "frames",
                     "--size", "900x600"])
    assert code == app.EXIT_NOT_OPENED
    err = capsys.readouterr().err
    assert "line 6" in err and "expected ':'" in err and "--cook frames skipped" in err
    assert not QImage(str(png)).isNull()  # the picture of the file, error marked
    assert module.read_text() == BROKEN


def test_screenshot_of_a_binary_module_exits_non_zero_without_a_picture(tmp_path, qapp,
                                                                       capsys):
    module = tmp_path / "bin.py"
    module.write_bytes(b"\x00binary")
    png = tmp_path / "shot.png"
    assert app.main(["--screenshot", str(png), "--open", str(module)]) == app.EXIT_NOT_OPENED
    assert "binary" in capsys.readouterr().err
    assert not png.exists()


def test_edits_of_a_broken_module_are_autosaved_and_recovered_after_a_crash(
        make_window, qtbot, tmp_path, data_dir, monkeypatch):
    import json

    from scheduler_studio.gui.window.autosave import find_orphans
    module = tmp_path / "broken.py"
    module.write_bytes(BROKEN.replace("\n", "\r\n").encode())
    window, _ = opened(make_window, module)
    editor = window.raw_page.editor
    focus(editor)
    editor.documentEnd()
    qtbot.keyClicks(editor, "# typed before the crash")
    assert editor.text().endswith("# typed before the crash")
    assert window.document_model.is_modified()
    window.autosave.set_interval(50)
    path = window.autosave.path()
    qtbot.waitUntil(path.exists, timeout=5000)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["raw_text"].endswith("\r\n# typed before the crash")
    assert saved["source"] == str(module)

    # the window dies (its lock goes with it): a new window on the file is offered it
    window.autosave._lock.release()
    window.autosave._lock = None
    window.autosave._timer.stop()
    window.files.stop()              # dead: it does not see the file saved below either
    monkeypatch.setattr(window.autosave, "shutdown", lambda: None)
    assert [e.path for e in find_orphans(data_dir / "autosave")] == [path]
    ask = Recorder("recover")
    monkeypatch.setattr(prompts, "ask_recover", ask)
    again, _ = opened(make_window, module)
    assert again.offer_recovery()
    (_parent, offer), = ask.calls
    assert "+# typed before the crash" in offer.diff
    page = again.raw_page
    assert page is not None and page.editor.text().endswith("\r\n# typed before the crash")
    assert again.document_model.is_modified()
    assert [p.line for p in page.editor.problems()] == [6]   # still its syntax error
    qtbot.keyClick(page.editor, Qt.Key.Key_S, CTRL)
    assert module.read_bytes() == (BROKEN.replace("\n", "\r\n")
                                   + "# typed before the crash").encode()
