"""A module holding several scheduler classes: the header's chooser picks the class the
fields edit (unsaved edits kept), the cook cooks it, the choice comes back with the
file, and Save writes the whole module."""
from __future__ import annotations

from PySide6.QtCore import Qt

from scheduler_studio.engine.codegen import parse
from scheduler_studio.gui.window import fields
from tests.gui.cook.conftest import cook, editor_window_with_panel
from tests.gui.window.conftest import focus, type_text

ON_SCHEDULE = fields.callback_field("onSchedule")
ON_TICK = fields.callback_field("onTick")
CTRL = Qt.KeyboardModifier.ControlModifier

FARM = (b"# Farm schedulers: a base and its GPU flavour.\r\n"
        b"import pdg\r\n"
        b"from pdg.scheduler import PyScheduler\r\n"
        b"\r\n"
        b"\r\n"
        b"class FarmScheduler(PyScheduler):\r\n"
        b"\tdef onSchedule(self, work_item):\r\n"
        b"\t\t# the base cooks every item\r\n"
        b"\t\treturn pdg.scheduleResult.CookSucceeded\r\n"
        b"\r\n"
        b"\tdef onTick(self):\r\n"
        b"\t\treturn pdg.tickResult.SchedulerReady\r\n"
        b"\r\n"
        b"\r\n"
        b"def _between():\r\n"
        b"\treturn 1  # a helper between the classes\r\n"
        b"\r\n"
        b"\r\n"
        b"class FarmGPUScheduler(FarmScheduler):\r\n"
        b"\tdef onSchedule(self, work_item):\r\n"
        b"\t\treturn pdg.scheduleResult.CookFailed\r\n"
        b"\r\n"
        b"\r\n"
        b"def registerTypes(type_registry):\r\n"
        b"\ttype_registry.registerScheduler(FarmGPUScheduler, name='farmgpu')\r\n"
        b"\ttype_registry.registerScheduler(FarmScheduler, name='farm')\r\n")


def _open(make_window, tmp_path, data=FARM):
    path = tmp_path / "farm.py"
    path.write_bytes(data)
    window = make_window()
    window.files.open_file(path)
    return window, path


def _choose(qtbot, window, name: str) -> None:
    """Pick `name` in the chooser with the keyboard, as a user does."""
    chooser = window.header.class_chooser
    focus(chooser)
    names = [chooser.itemText(i) for i in range(chooser.count())]
    steps = names.index(name) - chooser.currentIndex()
    key = Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up
    for _ in range(abs(steps)):
        qtbot.keyClick(chooser, key)
    qtbot.waitUntil(lambda: window.header.edits["class_name"].text() == name)


def _body(window, field) -> str:
    return window.editor_for(field).text()


def test_the_chooser_lists_the_classes_and_shows_the_one_edited(make_window, qtbot, tmp_path):
    window, _ = _open(make_window, tmp_path)
    chooser = window.header.class_chooser
    assert chooser.isVisible()
    assert [chooser.itemText(i) for i in range(chooser.count())] == \
        ["FarmGPUScheduler", "FarmScheduler"]
    assert chooser.currentText() == "FarmGPUScheduler"
    assert window.header.edits["class_name"].text() == "FarmGPUScheduler"
    assert "CookFailed" in _body(window, ON_SCHEDULE)


def test_choosing_a_class_shows_its_fields_and_an_unedited_save_keeps_every_byte(
        make_window, qtbot, tmp_path):
    window, path = _open(make_window, tmp_path)
    _choose(qtbot, window, "FarmScheduler")
    assert window.header.edits["type_name"].text() == "farm"
    assert "# the base cooks every item" in _body(window, ON_SCHEDULE)
    assert "SchedulerReady" in _body(window, ON_TICK)
    assert not window.isWindowModified()
    window.document_model.mark_disk_differs()      # make Save write
    qtbot.keyClick(window.editor_for(ON_SCHEDULE), Qt.Key.Key_S, CTRL)
    assert path.read_bytes() == FARM


def test_unsaved_edits_are_kept_across_a_choice_and_saved_whole(make_window, qtbot, tmp_path):
    window, path = _open(make_window, tmp_path)
    editor = window.editor_for(ON_SCHEDULE)                 # FarmGPUScheduler's
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "  # gpu edit")
    qtbot.waitUntil(lambda: window.document_model.value(ON_SCHEDULE).endswith("# gpu edit"))
    _choose(qtbot, window, "FarmScheduler")
    assert window.isWindowModified()                        # the edit is still unsaved
    assert "# the base cooks every item" in _body(window, ON_SCHEDULE)
    editor = window.editor_for(ON_SCHEDULE)                 # now FarmScheduler's
    focus(editor)
    editor.documentEnd()
    type_text(qtbot, editor, "  # base edit")
    qtbot.waitUntil(lambda: window.document_model.value(ON_SCHEDULE).endswith("# base edit"))
    _choose(qtbot, window, "FarmGPUScheduler")
    assert _body(window, ON_SCHEDULE).endswith("CookFailed  # gpu edit")
    qtbot.keyClick(window.editor_for(ON_SCHEDULE), Qt.Key.Key_S, CTRL)
    assert not window.isWindowModified()
    assert path.read_bytes() == FARM.replace(
        b"\t\treturn pdg.scheduleResult.CookSucceeded\r\n",
        b"\t\treturn pdg.scheduleResult.CookSucceeded  # base edit\r\n").replace(
        b"\t\treturn pdg.scheduleResult.CookFailed\r\n",
        b"\t\treturn pdg.scheduleResult.CookFailed  # gpu edit\r\n")


def test_the_choice_comes_back_when_the_file_is_opened_again(make_window, qtbot, tmp_path):
    window, path = _open(make_window, tmp_path)
    _choose(qtbot, window, "FarmScheduler")
    again = make_window()
    again.files.open_file(path)
    assert again.header.class_chooser.currentText() == "FarmScheduler"
    assert again.header.edits["class_name"].text() == "FarmScheduler"
    assert "# the base cooks every item" in _body(again, ON_SCHEDULE)


def test_one_class_shows_no_chooser(make_window, qtbot, tmp_path):
    single = FARM[:FARM.index(b"class FarmGPUScheduler")] + \
        b"def registerTypes(type_registry):\r\n" \
        b"\ttype_registry.registerScheduler(FarmScheduler, name='farm')\r\n"
    window, _ = _open(make_window, tmp_path, single)
    assert not window.header.class_chooser.isVisible()
    assert not window.header.class_chooser_label.isVisible()
    template = make_window()
    assert not template.header.class_chooser.isVisible()


def test_the_cook_uses_the_chosen_class(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "farm.py"
    path.write_bytes(FARM)
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  parse(FARM, str(path)), path=path, theme="light",
                                  size=(1280, 900)) as (window, panel):
        assert cook(qtbot, panel, "static") == "failed"      # FarmGPUScheduler fails items
        assert panel.state.summary["scheduler"] == "farmgpu"
        _choose(qtbot, window, "FarmScheduler")
        assert cook(qtbot, panel, "static") == "succeeded"
        assert panel.state.summary["scheduler"] == "farm"


def test_an_autosave_of_a_chosen_class_comes_back_on_that_class():
    from scheduler_studio.engine.codegen import encode_module, render
    from scheduler_studio.gui.window.doc_codec import document_from_json, document_to_json

    doc = parse(FARM, "farm.py", class_name="FarmScheduler").with_body("onTick", "return 1")
    back = document_from_json(document_to_json(doc))
    assert back.origin.chosen_class == "FarmScheduler" and back == doc
    assert encode_module(back, render(back)[0]) == encode_module(doc, render(doc)[0])


def test_an_autosave_of_a_chosen_class_holding_what_the_file_holds_is_not_offered(tmp_path):
    from scheduler_studio.gui.window.recovery import disk_state, same_content

    path = tmp_path / "farm.py"
    path.write_bytes(FARM)
    doc = parse(FARM, str(path), class_name="FarmScheduler")
    assert same_content(doc, disk_state(path, "FarmScheduler").document)
    assert not same_content(doc, disk_state(path).document)


def test_each_class_keeps_its_own_breakpoints(qtbot, tmp_path, monkeypatch):
    """`onSchedule` of one class is not `onSchedule` of the other: a breakpoint set in
    one does not show in the other, and each comes back with the file and its class."""
    path = tmp_path / "farm.py"
    path.write_bytes(FARM)

    def lines(window):
        qtbot.wait(20)                 # what the window does in the turns after a choice
        return [b.line for b in window.editor_for(ON_SCHEDULE).breakpoints.breakpoints()]

    def toggle(window, line):
        from tests.gui.cook.test_debugger import _click_margin
        _click_margin(qtbot, window.editor_for(ON_SCHEDULE), line)

    with editor_window_with_panel(qtbot, tmp_path, monkeypatch, parse(FARM, str(path)),
                                  path=path, theme="light", size=(1280, 900)) as (window, _):
        toggle(window, 1)                                   # FarmGPUScheduler's line 1
        assert lines(window) == [1]
        _choose(qtbot, window, "FarmScheduler")
        assert lines(window) == []
        toggle(window, 2)
        assert lines(window) == [2]
        _choose(qtbot, window, "FarmGPUScheduler")
        assert lines(window) == [1]
        _choose(qtbot, window, "FarmScheduler")
        assert lines(window) == [2]
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  parse(FARM, str(path), class_name="FarmScheduler"),
                                  path=path, theme="light", size=(1280, 900)) as (again, _):
        assert lines(again) == [2]
        _choose(qtbot, again, "FarmGPUScheduler")
        assert lines(again) == [1]


def test_without_register_types_the_cook_cooks_the_class_the_window_shows(qtbot, tmp_path,
                                                                         monkeypatch):
    """Left to the module, the cook would take the subclass (the one class nothing derives
    from) while the window shows the base, the first defined: the window names its class."""
    base_and_sub = FARM[:FARM.index(b"def registerTypes")]
    path = tmp_path / "farm.py"
    path.write_bytes(base_and_sub)
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  parse(base_and_sub, str(path)), path=path, theme="light",
                                  size=(1280, 900)) as (window, panel):
        assert window.header.edits["class_name"].text() == "FarmScheduler"
        assert cook(qtbot, panel, "static") == "succeeded"      # the base's onSchedule
        _choose(qtbot, window, "FarmGPUScheduler")
        assert cook(qtbot, panel, "static") == "failed"         # the subclass's


def test_submit_as_job_submits_the_chosen_class(qtbot, tmp_path, monkeypatch):
    each_submits = FARM.replace(
        b"\tdef onTick(self):\r\n",
        b"\tdef submitAsJob(self, graph_file, node_path):\r\n"
        b"\t\treturn ('', 'job-of-the-base')\r\n\r\n\tdef onTick(self):\r\n").replace(
        b"class FarmGPUScheduler(FarmScheduler):\r\n",
        b"class FarmGPUScheduler(FarmScheduler):\r\n"
        b"\tdef submitAsJob(self, graph_file, node_path):\r\n"
        b"\t\treturn ('', 'job-of-the-gpu')\r\n\r\n")
    path = tmp_path / "farm.py"
    path.write_bytes(each_submits)
    with editor_window_with_panel(qtbot, tmp_path, monkeypatch,
                                  parse(each_submits, str(path)), path=path, theme="light",
                                  size=(1280, 900)) as (window, panel):
        for name, job in (("FarmGPUScheduler", "job-of-the-gpu"),
                          ("FarmScheduler", "job-of-the-base")):
            _choose(qtbot, window, name)
            qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: job in panel.submit.message_text(), timeout=30_000)
            qtbot.waitUntil(lambda: not panel.session.is_submitting(), timeout=10_000)
