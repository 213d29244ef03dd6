"""Hand-written modules in the shapes real farm schedulers use: opening
them loses nothing, and each kind of edit changes only its own lines."""
from __future__ import annotations

import difflib

import pytest

from scheduler_studio.engine.codegen import (Parameter, SchedulerEditError, SchedulerEncodingError,
                                             SchedulerParseError, as_utf8, encode_module, parse,
                                             render)

from .conftest import MODULES_DIR


def _open(name: str, data: bytes | None = None):
    path = MODULES_DIR / name
    raw = path.read_bytes() if data is None else data
    return parse(raw, str(path)), raw


def _hunks(before: str, after: str):
    """(first, last) 0-based rows of ``before`` that each change touches
    (a pure insertion: the row it goes before, twice)."""
    a, b = before.splitlines(True), after.splitlines(True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i1, max(i1, i2 - 1)) for tag, i1, i2, _, _ in matcher.get_opcodes()
            if tag != "equal"]


def _inside(hunks, first: int, last: int) -> bool:
    return bool(hunks) and all(first <= i1 and i2 <= last + 1 for i1, i2 in hunks)


def test_a_scheduler_deriving_from_houdinis_local_scheduler_opens():
    doc, raw = _open("hda_local_subclass.py")
    assert doc.class_name == "TweakedLocal"
    assert set(doc.bodies) == {"onSchedule", "onStartCook"}
    assert encode_module(doc, render(doc)[0]) == raw


def test_a_module_with_no_scheduler_still_says_so():
    with pytest.raises(SchedulerParseError, match="LocalScheduler"):
        parse("class Helper(object):\n    pass\n")


@pytest.mark.parametrize("name, callback", [
    ("farm_mixins.py", "onTick"),            # mixin-first class, decorators, constants
    ("licensed_rush_like.py", "onSchedule"),  # helpers between callbacks, licence header
    ("hda_local_subclass.py", "onStartCook"),  # tabs, no registerTypes
    ("mixin_aliases.py", "onSchedule"),      # aliases, a module constant for the type
])
def test_editing_one_callback_changes_only_that_method(name, callback):
    doc, raw = _open(name)
    method = doc.origin.methods[callback]
    edited = doc.with_body(callback, doc.bodies[callback] + "\nprint('one more line')")
    text = render(edited)[0]
    hunks = _hunks(render(doc)[0], text)
    assert _inside(hunks, method.first, method.last)
    assert parse(text).bodies[callback].endswith("print('one more line')")


def test_a_tab_indented_file_stays_tab_indented():
    doc, _ = _open("hda_local_subclass.py")
    edited = doc.with_body("onStartCook", "if static:\n    self.count = 1\nreturn True")
    text = render(edited)[0]
    assert "\t\tif static:\n\t\t\tself.count = 1\n\t\treturn True\n" in text
    assert doc.indent_unit() == "\t"


def test_a_crlf_file_gets_crlf_lines():
    doc, raw = _open("licensed_rush_like.py",
                     (MODULES_DIR / "licensed_rush_like.py").read_bytes().replace(b"\n", b"\r\n"))
    edited = doc.with_body("onStop", "log.info('bye')\nreturn True")
    data = encode_module(edited, render(edited)[0])
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"    def onStop(self):\r\n        log.info('bye')\r\n        return True\r\n" in data


def test_filling_a_callback_adds_one_method_beside_the_others():
    doc, _ = _open("licensed_rush_like.py")
    text = render(doc.with_body("onStop", "return True"))[0]
    added = [line for tag, line in _diff_lines(render(doc)[0], text) if tag == "+"]
    assert added == ["    def onStop(self):", "        return True", ""] or \
        added == ["", "    def onStop(self):", "        return True"]
    assert not [line for tag, line in _diff_lines(render(doc)[0], text) if tag == "-"]


def _diff_lines(before, after):
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line[:1] in "+-":
            yield line[0], line[2:]


def test_emptying_a_callback_removes_exactly_its_method():
    doc, _ = _open("licensed_rush_like.py")
    before = render(doc)[0]
    text = render(doc.with_body("onTick", ""))[0]
    removed = [line for tag, line in _diff_lines(before, text) if tag == "-"]
    assert removed == ["    def onTick(self):", "        # nothing to poll in this miniature",
                       "        return pdg.tickResult.SchedulerReady", ""]
    assert not [line for tag, line in _diff_lines(before, text) if tag == "+"]


def test_renaming_type_and_label_changes_only_their_literals():
    doc, _ = _open("licensed_rush_like.py")
    before = render(doc)[0]
    text = render(doc.with_fields(type_name="nightly", label="Nightly Farm"))[0]
    changed = list(_diff_lines(before, text))
    assert [line for tag, line in changed if tag == "+"] == [
        "        return 'nightly'", "            'name': 'nightly',",
        "    type_registry.registerScheduler(FarmScheduler, label='Nightly Farm')"]


def test_a_parameter_added_to_a_commented_json_dumps_keeps_the_comments():
    doc, _ = _open("licensed_rush_like.py")
    before = render(doc)[0]
    parms = doc.parameters + (Parameter("farm_pool", "Pool", "String", "gpu"),)
    text = render(doc.with_fields(parameters=parms))[0]
    assert "# where the farm reads its job files" in text
    assert "# how many tasks may run at once" in text
    added = [line for tag, line in _diff_lines(before, text) if tag == "+"]
    assert added[0].strip() == "{" and "'name': 'farm_pool'," in added[1]
    assert not [line for tag, line in _diff_lines(before, text) if tag == "-"]
    assert parse(text).parameters == parms


def test_a_template_body_built_by_code_is_read_only():
    doc, raw = _open("computed_template.py")
    assert {"parameters", "working_dir"} <= doc.read_only()
    assert "built by code" in doc.read_only_note()
    with pytest.raises(SchedulerEditError, match="built by code"):
        render(doc.with_fields(parameters=(Parameter("x", "X", "String", ""),)))
    edited = doc.with_body("onSchedule", "return pdg.scheduleResult.Deferred")
    assert "for n, l, t, v in _PARMS]" in render(edited)[0]


def test_nothing_is_injected_that_the_file_lacked():
    doc, raw = _open("hda_local_subclass.py")
    text = render(doc.with_body("onSchedule", "return LocalScheduler.onSchedule(self, "
                                              "work_item)"))[0]
    for absent in ("def registerTypes", "templateBody", "import json", "import pdg",
                   "Scheduler Studio"):
        assert absent not in text
    assert text.count('"""') == raw.decode().count('"""')  # no docstring added


def test_a_parameter_for_a_file_without_template_body_adds_one_that_loads():
    doc, _ = _open("hda_local_subclass.py")
    parms = (Parameter("tweak_level", "Level", "Integer", 3),)
    text = render(doc.with_fields(parameters=parms))[0]
    assert text.count("def templateBody(cls):") == 1 and "import json" not in text
    assert parse(text).parameters == parms


def test_module_code_after_register_types_is_kept():
    doc, raw = _open("licensed_rush_like.py")
    assert "if __name__ == '__main__':" in doc.trailer
    text = render(doc.with_body("onStart", "return False"))[0]
    assert text.endswith("    print('this module is loaded by Houdini, not run')\n")


def test_the_class_statement_of_a_file_is_its_own():
    doc, _ = _open("licensed_rush_like.py")
    assert "use_callback_server" in doc.read_only()
    with pytest.raises(SchedulerEditError, match="--normalise"):
        render(doc.with_fields(use_callback_server=False))


LATIN1 = ("# -*- coding: latin-1 -*-\nimport pdg\nfrom pdg.scheduler import PyScheduler\n\n\n"
          "class Cafe(PyScheduler):\n    def onSchedule(self, work_item):\n"
          "        print('caf\u00e9')\n        return pdg.scheduleResult.Succeeded\n")


def test_a_latin1_module_is_read_and_written_in_latin1():
    raw = LATIN1.encode("latin-1")
    doc = parse(raw)
    assert "caf\u00e9" in doc.bodies["onSchedule"]
    edited = doc.with_body("onSchedule", "print('cr\u00e8me br\u00fbl\u00e9e')\nreturn None")
    data = encode_module(edited, render(edited)[0])
    assert "cr\u00e8me br\u00fbl\u00e9e".encode("latin-1") in data
    assert data.startswith(b"# -*- coding: latin-1 -*-\n")


def test_text_latin1_cannot_hold_is_an_error_naming_the_line_then_converts():
    doc = parse(LATIN1.encode("latin-1"))
    edited = doc.with_body("onSchedule", "print('\u2603 snow')\nreturn None")
    with pytest.raises(SchedulerEncodingError) as caught:
        encode_module(edited, render(edited)[0])
    assert caught.value.line == 8 and caught.value.char == "\u2603"
    converted = as_utf8(edited)
    data = encode_module(converted, render(converted)[0])
    assert data.startswith(b"# -*- coding: utf-8 -*-\n")
    assert "\u2603 snow".encode("utf-8") in data
    assert parse(data).bodies["onSchedule"] == edited.bodies["onSchedule"]


def test_a_bom_is_kept():
    raw = b"\xef\xbb\xbf" + (MODULES_DIR / "mixin_aliases.py").read_bytes()
    doc = parse(raw)
    edited = doc.with_body("onSchedule", "return pdg.scheduleResult.Failed")
    assert encode_module(edited, render(edited)[0]).startswith(b"\xef\xbb\xbf")


def test_an_unknown_coding_cookie_is_a_clear_error():
    with pytest.raises(SchedulerParseError, match="no encoding Python knows"):
        parse(b"# coding: klingon\nimport pdg\n")
