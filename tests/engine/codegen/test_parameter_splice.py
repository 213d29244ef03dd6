"""Editing one parameter of a hand-written ``json.dumps`` templateBody changes
only the text of the values that changed, where they are (their quotes, the
entry's wrapping and spacing kept); a key the entry lacks is added after its
last one, in the entry's own layout. The edits are made as the Parameters tab
makes them: new ``Parameter`` rows given to ``with_fields(parameters=...)``."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_studio.engine.codegen import (Parameter, SchedulerEditError, encode_module,
                                             parse, render)

from . import variants as V
from .strategies import text as any_text

HEAD = '''import json

from pdg.scheduler import PyScheduler


class MixScheduler(PyScheduler):
    @classmethod
    def templateName(cls):
        return "mix"

    @classmethod
    def templateBody(cls):
        return json.dumps({
            "name": "mix",
            "parameters": [
'''
TAIL = '''            ],
        })


def registerTypes(type_registry):
    type_registry.registerScheduler(MixScheduler, label="Mix")
'''


def module(entries: str, *, crlf: bool = False, tabs: bool = False) -> bytes:
    text = HEAD + entries + TAIL
    if tabs:
        text = V.tabs(text)
    if crlf:
        text = V.crlf(text)
    return text.encode("utf-8")


def edit(raw: bytes, index: int, **changes):
    """Parse, change one parameter's fields as the Parameters tab does, render:
    (the new bytes, the edited document)."""
    doc = parse(raw, "mix.py")
    parms = list(doc.parameters)
    old = parms[index]
    fields = {"name": old.name, "label": old.label, "type": old.type,
              "default": old.default, "tags": old.tags}
    fields.update(changes)
    parms[index] = Parameter(**fields)
    edited = doc.with_fields(parameters=tuple(parms))
    text, line_map = render(edited)
    out = encode_module(edited, text)
    assert len(line_map) == len(text.splitlines())
    back = parse(out, "mix.py")
    assert back.parameters == edited.parameters
    assert back.working_dir == edited.working_dir
    return out, edited


def only_change(raw: bytes, out: bytes, old: bytes, new: bytes) -> None:
    """``out`` is ``raw`` with the one occurrence of ``old`` written ``new``."""
    assert raw.count(old) == 1, old
    assert out == raw.replace(old, new)


WRAPPED = ('                {"name": "mix_queue", "label": "Queue",\n'
           '                 "type": "String", "size": 1, "value": "main"},\n'
           '                {"name": "mix_n", "label": "N", "type": "Integer", "size": 1, '
           '"value": 3},\n')


# -- the trial's case, and each key edited in place -------------------------------
def test_renaming_a_hand_wrapped_entry_changes_only_its_name():
    raw = module(WRAPPED)
    out, _ = edit(raw, 0, name="mix_pool")
    only_change(raw, out, b'"mix_queue"', b'"mix_pool"')


@pytest.mark.parametrize("changes, old, new", [
    ({"label": "Pool"}, b'"Queue"', b'"Pool"'),
    ({"default": "night"}, b'"main"', b'"night"'),
    ({"default": 'say "hi"'}, b'"main"', b'"say \\"hi\\""'),
    ({"label": "Queue\tname"}, b'"Queue"', b'"Queue\\tname"'),
])
def test_one_value_of_a_wrapped_entry_is_replaced_in_place(changes, old, new):
    raw = module(WRAPPED)
    out, _ = edit(raw, 0, **changes)
    only_change(raw, out, old, new)


def test_a_type_change_rewrites_the_type_and_the_value_it_cannot_hold():
    raw = module(WRAPPED)
    out, _ = edit(raw, 0, type="Integer", default=0)
    assert out == raw.replace(b'"type": "String", "size": 1, "value": "main"',
                              b'"type": "Integer", "size": 1, "value": 0')


def test_a_value_the_old_text_still_holds_is_left_as_written():
    """Integer 3 becomes a Float 3.0: the text ``3`` says that already."""
    raw = module(WRAPPED)
    out, _ = edit(raw, 1, type="Float", default=3.0)
    only_change(raw, out, b'"type": "Integer"', b'"type": "Float"')


def test_numbers_and_toggles_keep_their_spelling():
    raw = module('                {"name": "n", "type": "Integer", "value": -4},\n'
                 '                {"name": "f", "type": "Float", "value": 0.5},\n'
                 '                {"name": "on", "type": "Toggle", "value": True},\n'
                 '                {"name": "off", "type": "Toggle", "value": 0, "size": 1},\n')
    only_change(raw, edit(raw, 0, default=12)[0], b"-4", b"12")
    only_change(raw, edit(raw, 1, default=-2.25)[0], b"0.5", b"-2.25")
    only_change(raw, edit(raw, 2, default=False)[0], b"True", b"False")
    only_change(raw, edit(raw, 3, default=True)[0], b'"value": 0,', b'"value": 1,')


def test_a_key_said_twice_has_its_last_value_edited():
    raw = module('                {"name": "a", "label": "X", "type": "str", "label": "Y"},\n')
    assert parse(raw).parameters[0].label == "Y"
    only_change(raw, edit(raw, 0, label="Z")[0], b'"Y"', b'"Z"')
    only_change(raw, edit(raw, 0, name="b")[0], b'"a"', b'"b"')  # "str" stays "str"


def test_tags_are_replaced_as_a_list():
    raw = module('                {"name": "a", "type": "String", "tag": ["x"]},\n')
    only_change(raw, edit(raw, 0, tags=("y", "z"))[0], b'["x"]', b'["y", "z"]')
    only_change(raw, edit(raw, 0, tags=())[0], b'["x"]', b"[]")


def test_the_canonical_layout_is_edited_in_place_too():
    raw = module('                {\n'
                 '                    "name": "mix_queue",\n'
                 '                    "label": "Queue",\n'
                 '                    "type": "String",\n'
                 '                    "size": 1,\n'
                 '                    "value": "main",\n'
                 '                },\n')
    only_change(raw, edit(raw, 0, name="mix_pool")[0], b'"mix_queue"', b'"mix_pool"')


def test_the_working_directory_is_edited_in_place():
    raw = module('                {"name": "pdg_workingdir", "label": "Working Directory",\n'
                 '                 "type": "String", "size": 1, "value": "$HIP"},\n'
                 + WRAPPED)
    doc = parse(raw, "mix.py")
    assert doc.working_dir == "$HIP"
    edited = doc.with_fields(working_dir="$JOB/work")
    out = encode_module(edited, render(edited)[0])
    only_change(raw, out, b'"$HIP"', b'"$JOB/work"')


# -- the file's own spelling: CRLF, tabs, comments, single quotes ------------------
def test_crlf_and_tabs_are_kept():
    raw = module(WRAPPED, crlf=True, tabs=True)
    assert b"\r\n\t\t\t\t{" in raw
    out, _ = edit(raw, 0, name="mix_pool", label="Pool")
    assert out == raw.replace(b'"mix_queue", "label": "Queue"',
                              b'"mix_pool", "label": "Pool"')


def test_comments_inside_the_list_are_kept():
    raw = module('                # the queue the farm takes jobs from\n'
                 '                {"name": "mix_queue",  # internal name\n'
                 '                 "label": "Queue",  # shown on the node\n'
                 '                 "type": "String", "size": 1, "value": "main"},  # end\n'
                 '                # how many at once\n'
                 '                {"name": "mix_n", "label": "N", "type": "Integer", '
                 '"size": 1, "value": 3},\n')
    out, _ = edit(raw, 0, name="mix_pool", default="night")
    assert out == raw.replace(b'"mix_queue"', b'"mix_pool"').replace(b'"main"', b'"night"')


def test_single_quotes_stay_single():
    raw = module("                {'name': 'mix_queue', 'label': 'Queue',\n"
                 "                 'type': 'String', 'size': 1, 'value': 'main'},\n")
    only_change(raw, edit(raw, 0, name="mix_pool")[0], b"'mix_queue'", b"'mix_pool'")
    only_change(raw, edit(raw, 0, label="It's")[0], b"'Queue'", b"'It\\'s'")
    only_change(raw, edit(raw, 0, default='a "b"')[0], b"'main'", b"'a \"b\"'")


def test_each_value_keeps_its_own_quotes():
    raw = module("""                {'name': 'mix_queue', 'label': "Queue", 'type': 'String',\n"""
                 """                 'value': '''main'''},\n""")
    only_change(raw, edit(raw, 0, label="Pool")[0], b'"Queue"', b'"Pool"')
    only_change(raw, edit(raw, 0, default="x")[0], b"'''main'''", b"'x'")


def test_a_one_line_list_is_edited_in_place():
    raw = ('import json\n\nfrom pdg.scheduler import PyScheduler\n\n\n'
           'class MixScheduler(PyScheduler):\n'
           '    @classmethod\n    def templateName(cls):\n        return "mix"\n\n'
           '    @classmethod\n    def templateBody(cls):\n'
           '        return json.dumps({"name": "mix", "parameters": [{"name": "a", '
           '"type": "String"}, {"name": "b", "type": "Integer", "value": 2}]})\n').encode()
    only_change(raw, edit(raw, 1, default=5)[0], b'"value": 2', b'"value": 5')
    out, _ = edit(raw, 0, name="c", label="c")
    only_change(raw, out, b'"name": "a"', b'"name": "c"')


# -- a key the entry lacks: added in the entry's own layout ------------------------
def test_a_missing_label_is_added_after_the_last_key_of_a_one_line_entry():
    """Without a label, the label is the name: renamed, it keeps its label."""
    raw = module('                {"name": "mix_queue", "type": "String", "value": "main"},\n'
                 '                {"name": "b", "type": "Integer"},\n')
    out, _ = edit(raw, 0, name="mix_pool")
    assert out == raw.replace(
        b'{"name": "mix_queue", "type": "String", "value": "main"}',
        b'{"name": "mix_pool", "type": "String", "value": "main", "label": "mix_queue"}')


def test_a_missing_key_of_a_wrapped_entry_goes_on_its_last_row():
    raw = module(WRAPPED)
    out, _ = edit(raw, 0, tags=("farm",))
    only_change(raw, out, b'"value": "main"},', b'"value": "main", "tag": ["farm"]},')


def test_a_missing_key_of_an_entry_with_a_key_a_row_gets_a_row():
    raw = module('                {\n'
                 '                    "name": "mix_queue",\n'
                 '                    "type": "String",\n'
                 '                    "value": "main",  # the default\n'
                 '                },\n', crlf=True)
    out, _ = edit(raw, 0, label="Queue", tags=("a",))
    only_change(raw, out, b'"value": "main",  # the default\r\n',
                b'"value": "main",  # the default\r\n'
                b'                    "label": "Queue",\r\n'
                b'                    "tag": ["a"],\r\n')


def test_a_missing_key_without_trailing_comma_or_on_the_closing_row():
    raw = module('                {\n'
                 '                    "name": "a",\n'
                 '                    "type": "String"\n'
                 '                },\n'
                 '                {"name": "b",\n'
                 '                 "type": "Integer"},\n', tabs=True)
    out, _ = edit(raw, 0, label="A")
    only_change(raw, out, b'\t\t\t\t\t"type": "String"\n',
                b'\t\t\t\t\t"type": "String",\n\t\t\t\t\t"label": "A"\n')
    out, _ = edit(raw, 1, default=7)
    only_change(raw, out, b'"type": "Integer"}',
                b'"type": "Integer",\n' + b" " * 17 + b'"value": 7}')


# -- the list's other edits keep working beside in-place ones ----------------------
def test_a_rename_beside_an_added_parameter():
    raw = module(WRAPPED)
    doc = parse(raw, "mix.py")
    parms = (replace(doc.parameters[0], name="mix_pool"), doc.parameters[1],
             Parameter("extra", "Extra", "Toggle", True))
    edited = doc.with_fields(parameters=parms)
    out = encode_module(edited, render(edited)[0])
    assert parse(out).parameters == parms
    before, after = raw.split(b"\n"), out.split(b"\n")
    assert after[15] == before[15].replace(b"mix_queue", b"mix_pool")
    assert after[:15] == before[:15] and after[16:18] == before[16:18]
    added = len(after) - len(before)
    assert b'"name": "extra"' in b"".join(after[18:18 + added])
    assert after[18 + added:] == before[18:]


def test_a_rename_and_a_removal_together():
    raw = module(WRAPPED + '                {"name": "gone", "type": "String"},\n')
    doc = parse(raw, "mix.py")
    parms = (doc.parameters[0], replace(doc.parameters[1], name="mix_count"))
    edited = doc.with_fields(parameters=parms)
    out = encode_module(edited, render(edited)[0])
    assert out == raw.replace(b'"mix_n"', b'"mix_count"').replace(
        b'                {"name": "gone", "type": "String"},\n', b"")


def test_a_dict_call_entry_is_not_read_so_the_parameters_are_read_only():
    raw = module('                dict(name="a", label="A", type="String", size=1, value=""),\n')
    doc = parse(raw, "mix.py")
    assert doc.parameters == () and "parameters" in doc.read_only()
    with pytest.raises(SchedulerEditError):
        render(doc.with_fields(parameters=(Parameter("b", "B", "String", ""),)))
    assert encode_module(doc, render(doc)[0]) == raw


# -- any value, any corpus module: only the value's own text changes ----------------
def _values(ptype):
    return {"String": any_text, "Integer": st.integers(-10**9, 10**9),
            "Float": st.floats(allow_nan=False, allow_infinity=False),
            "Toggle": st.booleans()}[ptype]


DUMPS = [p for p in V.CORPUS
         if (lambda d: d.origin.template is not None and d.origin.template.kind == "dumps"
             and d.parameters)(parse(p.read_bytes(), str(p)))]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(DUMPS), st.sampled_from([[], ["crlf"], ["tabs"], ["comments"]]),
       st.data())
def test_any_value_edit_changes_only_that_value(path, names, data):
    raw = V.make(path, names)
    doc = parse(raw, str(path))
    index = data.draw(st.integers(0, len(doc.parameters) - 1))
    parm = doc.parameters[index]
    key = data.draw(st.sampled_from(["name", "label", "default"]))
    value = data.draw(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)
                      if key == "name" else _values(parm.type) if key == "default"
                      else any_text)
    changed = replace(parm, **{key: value})
    parms = doc.parameters[:index] + (changed,) + doc.parameters[index + 1:]
    if len({p.name for p in parms}) < len(parms):
        return
    edited = doc.with_fields(parameters=parms)
    text, line_map = render(edited)
    out = encode_module(edited, text)
    back = parse(out, str(path))
    assert back.parameters == parms
    assert len(line_map) == len(text.splitlines())
    # one piece of the file changed, inside the entry
    before, after = raw.decode("utf-8"), out.decode("utf-8")
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    if before == after:
        assert changed == parm
        return
    origin = doc.origin
    file_rows = origin.file.rows
    at = origin.template.working_dir_at
    element = origin.template.elements[index + (at is not None and at <= index)]
    offsets = [0]
    for row, ending in zip(file_rows, origin.file.ends):
        offsets.append(offsets[-1] + len(row) + len(ending))
    first = offsets[element.row] + element.col
    last = offsets[element.end_row] + element.end_col
    assert first <= start and len(before) - end <= last


def test_an_entry_that_must_be_written_anew_keeps_its_own_layout(monkeypatch):
    """Were the old text unable to hold the edit, the entry is written where it
    stands: a one-line entry as one line, a wrapped one at its indentation;
    the comma and comment after it stay."""
    from scheduler_studio.engine.codegen import splice
    monkeypatch.setattr(splice, "_entry_edits", lambda pairs, parm: None)
    raw = module(WRAPPED.replace('"value": 3},', '"value": 3},  # count'), crlf=True)
    out, _ = edit(raw, 1, name="mix_count")
    only_change(raw, out, b'{"name": "mix_n", "label": "N", "type": "Integer", "size": 1, '
                b'"value": 3}', b'{"name": "mix_count", "label": "N", "type": "Integer", '
                b'"size": 1, "value": 3}')
    out, _ = edit(raw, 0, name="mix_pool")
    only_change(raw, out, b'{"name": "mix_queue", "label": "Queue",\r\n'
                b'                 "type": "String", "size": 1, "value": "main"}',
                b'{\r\n' + b''.join(b" " * 17 + line + b",\r\n" for line in (
                    b'"name": "mix_pool"', b'"label": "Queue"', b'"type": "String"',
                    b'"size": 1', b'"value": "main"')) + b" " * 16 + b"}")
