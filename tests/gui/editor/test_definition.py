"""Go to definition: F12, Ctrl+click and the context menu, as a user uses them."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from scheduler_studio.gui.editor.completion import CompletionProvider, studio_sys_path

CTRL = Qt.KeyboardModifier.ControlModifier
MODULE = (
    "import pdg\n"                                    # 1
    "from pdg.scheduler import PyScheduler\n"         # 2
    "\n"                                              # 3
    "RETRIES = 3\n"                                   # 4
    "\n"                                              # 5
    "\n"                                              # 6
    "def helper(item):\n"                             # 7
    "    return item.name\n"                          # 8
    "\n"                                              # 9
    "\n"                                              # 10
    "class S(PyScheduler):\n"                         # 11
    "    def _submit(self, work_item):\n"             # 12
    "        return RETRIES\n"                        # 13
    "\n"                                              # 14
    "    def onSchedule(self, work_item):\n"          # 15
    "        helper(work_item)\n"                     # 16
    "        self._submit(work_item)\n"               # 17
    "        work_item.addOutputFile('x')\n"          # 18
)


@pytest.fixture(scope="module")
def real_provider():
    prov = CompletionProvider(sys_path_extra=studio_sys_path())
    yield prov
    prov.shutdown()


@pytest.fixture
def module_editor(make_editor, real_provider):
    editor = make_editor(MODULE, size=(800, 500))
    editor.set_completion_provider(real_provider)  # its text is the whole module
    return editor


def _caret_at(editor, line: int, word: str) -> None:
    text = MODULE.split("\n")[line - 1]
    editor.go_to_line(line, text.index(word) + 1)


def _caret(editor) -> tuple[int, int]:
    pos = editor.currentPos()
    return editor.lineFromPosition(pos) + 1, editor.column(pos)


def test_f12_on_a_helper_function_goes_to_its_def(module_editor, qtbot):
    editor = module_editor
    _caret_at(editor, 16, "helper")
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: _caret(editor) == (7, 4), timeout=30000)


def test_f12_on_a_method_and_a_constant(module_editor, qtbot):
    editor = module_editor
    _caret_at(editor, 17, "_submit")
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: _caret(editor) == (12, 8), timeout=30000)
    _caret_at(editor, 13, "RETRIES")
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: _caret(editor) == (4, 0), timeout=30000)


def test_ctrl_click_goes_to_the_definition(module_editor, qtbot):
    editor = module_editor
    text = MODULE.split("\n")[15]
    pos = editor.positionFromLine(15) + text.index("helper") + 2
    point = QPoint(editor.pointXFromPosition(pos), editor.pointYFromPosition(pos) + 3)
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, CTRL, point)
    qtbot.waitUntil(lambda: _caret(editor) == (7, 4), timeout=30000)


def test_a_pdg_name_shows_its_signature(module_editor, qtbot):
    editor = module_editor
    _caret_at(editor, 18, "addOutputFile")
    qtbot.keyClick(editor, Qt.Key.Key_F12)
    qtbot.waitUntil(editor.callTipActive, timeout=30000)
    assert editor.call_tip_text().startswith("addOutputFile(")
    assert _caret(editor)[0] == 18  # stays


def test_the_context_menu_offers_go_to_definition(module_editor, qtbot):
    editor = module_editor
    _caret_at(editor, 16, "helper")
    menu = editor.context_menu()
    action = next(a for a in menu.actions() if a.text().replace("&", "") == "Go to Definition")
    assert action.isEnabled() and action.shortcut().toString() == "F12"
    assert {a.text().replace("&", "") for a in menu.actions()} >= {"Undo", "Copy", "Paste"}
    action.trigger()
    qtbot.waitUntil(lambda: _caret(editor) == (7, 4), timeout=30000)
    menu.deleteLater()


def test_a_name_in_another_part_of_the_module_is_signalled(make_editor, real_provider, qtbot):
    body = "helper(work_item)"
    editor = make_editor(body)
    start = MODULE.split("\n").index("        helper(work_item)")

    def context():
        lines = MODULE.split("\n")
        return "\n".join(lines[:start] + ["        " + editor.text()] + lines[start + 1:]), start, 8

    editor.set_completion_provider(real_provider, context)
    editor.go_to_line(1, 2)
    with qtbot.waitSignal(editor.sig_definition_elsewhere, timeout=30000) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_F12)
    assert blocker.args == [7, 4]
