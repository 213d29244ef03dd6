"""Hypothesis strategies for scheduler documents in their normal form.

Normal form: bodies dedented, text fields without leading/trailing blank
lines, a prelude head (docstring, __future__) separated from the rest by
one blank line, and no text that render writes itself.
"""
from __future__ import annotations

import ast
import keyword

from hypothesis import strategies as st

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.codegen import FrozenMap, Parameter, SchedulerDocument
from scheduler_studio.engine.codegen.lines import flush_leading_comments, py_string

# Any character Python source can hold in a string or comment.
chars = st.characters(blacklist_categories=("Cs",),
                      blacklist_characters="\n\r\x00")
text = st.text(chars, max_size=12)
identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda s: not keyword.iskeyword(s) and s not in ("self", "pdg", "json"))


def _triple(quote):
    line = st.text(st.characters(blacklist_categories=("Cs",),
                                 blacklist_characters="\n\r\x00\\\"'"),
                   max_size=8)
    return st.lists(line, max_size=4).map(
        lambda lines: f"s = {quote}" + "\n".join(lines) + quote)


comment = text.map(lambda t: "#" + t)
statement = st.one_of(
    text.map(lambda t: f"value = {py_string(t)}"),
    st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                          blacklist_characters='"\\\u2028\u2029\x85'),
            max_size=8).map(lambda t: f'raw = "{t}"'),
    comment,
    st.just(""),
    st.sampled_from(["   ", "\t", "x = 1   ", "pass", "return None",
                     "y = (1,\n2,\n        3)", "z = 1 + \\\n    2",
                     "if True:\n\tw = 1\nelse:\n\tw = 2",
                     "if True:\n    a = 1\n    # inner comment\n    b = 2",
                     "def helper(arg):\n    '''Nested.'''\n    return arg",
                     "f = f'{1 + 1}'", "t = '''a'''  # '''"]),
    _triple('"""'), _triple("'''"),
)
body = st.lists(statement, max_size=6).map("\n".join)
# Header members written by hand, which parse cannot lift: render keeps them
# on top when they lead the extra members.
HEADER_MEMBERS = {
    "__init__": "def __init__(self, scheduler, name):\n"
                "    PyScheduler.__init__(self, scheduler, name)\n"
                "    self.jobs = {}",
    "templateName": "@classmethod\ndef templateName(cls):\n    return NAME",
    "templateBody": "@classmethod\ndef templateBody(cls):\n    return build()",
}
_top_members = st.lists(st.sampled_from([
    # attributes: the last two must stay below the members render writes
    "LIMIT: int = 2", "counter = 0", "alias = onTick",
    "classmethod = staticmethod", "", "\n", *HEADER_MEMBERS.values(),
]), max_size=4)
_more_members = st.lists(st.sampled_from([
    "counter = 0", "# a member comment",
    "def helper(self):\n    return 1",
    "@staticmethod\ndef tool(x):\n    '''Doc.'''\n    return x",
    "@property\ndef size(self):\n    return 2",
    "class Inner:\n    pass", "", "    # a deeper comment",
    *HEADER_MEMBERS.values(),
]), max_size=4)
members = st.builds(lambda top, more: "\n".join(top + more).strip("\n"),
                    _top_members, _more_members).filter(
    lambda t: (not t.startswith("#") or "\n" in t)
    and t == flush_leading_comments(t))
prelude_rest = st.lists(st.sampled_from([
    "import os", "import sys as system", "LIMIT = 3", "# a prelude comment",
    "", "def tool():\n    return LIMIT", "class Other(object):\n    pass",
    "from pdg.scheduler import PyScheduler, evaluateParamOr",
]), max_size=4).map(lambda m: "\n".join(m).strip("\n"))
trailer = st.lists(st.sampled_from([
    "AFTER = 1", "# a trailer comment", "",
    'if __name__ == "__main__":\n    print("standalone")',
]), max_size=3).map(lambda m: "\n".join(m).strip("\n"))


@st.composite
def preludes(draw):
    head = []
    if draw(st.booleans()):
        head.append('"""' + draw(text.filter(
            lambda t: '"' not in t and "\\" not in t)) + '"""')
    if draw(st.booleans()):
        head.append("from __future__ import annotations")
    rest = draw(prelude_rest)
    if head and rest:
        return "\n".join(head) + "\n\n" + rest
    return "\n".join(head) or rest


def _value(ptype):
    return {
        "String": text,
        "Integer": st.integers(-10**12, 10**12),
        "Float": st.floats(allow_nan=False, allow_infinity=False),
        "Toggle": st.booleans(),
    }[ptype]


@st.composite
def parameters(draw):
    ptype = draw(st.sampled_from(["String", "Integer", "Float", "Toggle"]))
    name = draw(identifiers.filter(lambda n: n != "pdg_workingdir"))
    return Parameter(name, draw(text), ptype, draw(_value(ptype)),
                     tuple(draw(st.lists(text, max_size=2))))


@st.composite
def callback_args(draw, callback):
    if draw(st.integers(0, 4)) or not callback.args:
        return callback.args
    return tuple(draw(st.lists(identifiers, min_size=len(callback.args),
                               max_size=len(callback.args), unique=True)))


@st.composite
def documents(draw):
    callbacks = draw(st.lists(st.sampled_from(
        [c for c in catalogue.CALLBACKS if c.tab]),
                              unique=True, max_size=6))
    bodies, args, names = {}, {}, {}
    for callback in callbacks:
        bodies[callback.name] = draw(body)
        args[callback.name] = draw(callback_args(callback))
        if callback.aliases and draw(st.booleans()):
            names[callback.name] = callback.aliases[0]
    class_name = "S" + draw(st.from_regex(r"[A-Za-z0-9_]{0,8}", fullmatch=True))
    extra = draw(members)
    # What a header member in extra members says, the fields cannot.
    own = {s.name for s in ast.parse(extra).body
           if isinstance(s, ast.FunctionDef)} & set(HEADER_MEMBERS)
    return SchedulerDocument(
        type_name=(class_name.lower() if "templateName" in own
                   else draw(st.text(chars, min_size=1, max_size=10))),
        label=draw(text),
        class_name=class_name,
        working_dir="" if "templateBody" in own else draw(text),
        parameters=() if "templateBody" in own else tuple(
            draw(st.lists(parameters(), max_size=3))),
        prelude=draw(preludes()),
        extra_members=extra,
        callback_server_local="__init__" in own or draw(st.booleans()),
        init_super="__init__" not in own and draw(st.booleans()),
        bodies=FrozenMap(bodies),
        use_callback_server=draw(st.booleans()),
        method_names=FrozenMap(names),
        trailer=draw(trailer),
        bases=tuple(draw(st.lists(st.sampled_from(
            ["Mixin", "extras.Other", "metaclass=Meta"]), unique=True,
            max_size=2))),
        doc=draw(st.one_of(st.just(""), text, text.map(lambda t: t + "\n  more"))),
        arg_names=FrozenMap(args),
    )
