"""The cook host's options are one table (`engine.cook.options.HOST_OPTIONS`): every one
written by `host_command` reads back the same through the host's parser, and the CLI's
``cook`` offers those it shares."""
from __future__ import annotations

import argparse
import os

import pytest
from hypothesis import given, settings, strategies as st

from scheduler_studio.engine.cli import build_parser as cli_parser
from scheduler_studio.engine.cook.options import (HOST_OPTIONS, LIST, ON_OFF, PARMS, SWITCH,
                                                  CookOptions, cook_options, option_values,
                                                  positive_int, seconds)
from scheduler_studio.engine.cookhost import build_parser as host_parser
from scheduler_studio.engine.hostclient import host_command

# not words argparse would take for a flag ("-x"), nor a name a name=value cannot hold
text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"),
               max_size=12).filter(lambda t: not t.startswith("-"))
names = text.filter(lambda t: t and "=" not in t)
folder = st.sampled_from(["/tmp/a", "/tmp/b c", "/srv/stand ins", "/x/y.json"])


def value_of(option):
    """Any value host_command may be given for `option`."""
    if option.kind == SWITCH:
        return st.booleans()
    if option.kind == ON_OFF:
        return st.booleans()
    if option.kind == PARMS:
        return st.dictionaries(names, st.text(max_size=8), max_size=3)
    if option.kind == LIST:
        return st.lists(folder if option.path else text, max_size=3)
    if option.type is seconds:  # above zero: zero or less is a usage error
        value = st.floats(allow_nan=False, allow_infinity=False, min_value=0,
                          exclude_min=True, max_value=1e6)
    elif option.type is positive_int:
        value = st.integers(min_value=1, max_value=10**9)
    else:
        value = folder if option.path else text
    return value if option.required else st.one_of(st.none(), value)


every_option = st.fixed_dictionaries({o.name: value_of(o) for o in HOST_OPTIONS})


def parsed(cmd: list[str]) -> dict:
    module_at = cmd.index("scheduler_studio.engine.cookhost") + 1
    args = host_parser().parse_args(cmd[module_at:])
    assert args.module == os.path.abspath("m.py")
    return option_values(args)


@settings(max_examples=200, deadline=None)
@given(every_option)
def test_every_option_round_trips_through_the_host_parser(values):
    assert parsed(host_command("m.py", **values)) == values


@pytest.mark.parametrize("option", HOST_OPTIONS, ids=lambda o: o.name)
def test_each_option_alone_round_trips(option):
    sample = {SWITCH: True, ON_OFF: False, PARMS: {"a": "1=2", "b": ""},
              LIST: ["/tmp/x", "/tmp/y"]}.get(option.kind)
    if sample is None:
        sample = {seconds: 2.5, positive_int: 7}.get(option.type, "/tmp/some thing")
    values = {"graph": "frames", option.name: sample}
    got = parsed(host_command("m.py", **values))
    assert got[option.name] == sample
    defaults = {o.name: (list(o.default) if o.kind == LIST else o.default)
                for o in HOST_OPTIONS}
    assert got == {**defaults, **values}


def test_relative_paths_are_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got = parsed(host_command(os.path.abspath("m.py"), "frames", standins=["s"],
                              parms_file="p.json", source="src.py"))
    assert got["standins"] == [str(tmp_path / "s")]
    assert got["parms_file"] == str(tmp_path / "p.json")
    assert got["source"] == str(tmp_path / "src.py")


def test_a_cook_options_object_is_written_the_same_as_its_keywords():
    options = CookOptions(static=True, workdir="/tmp/w", tick_period=0.25, max_items=3,
                          timeout_s=9.0, parameters={"p": "v"}, result_server_auth=False)
    by_object = host_command("m.py", "frames", options)
    by_keywords = host_command("m.py", "frames", static=True, workdir="/tmp/w",
                               tick_period=0.25, max_items=3, timeout=9.0, parms={"p": "v"},
                               result_server_auth=False)
    assert by_object == by_keywords
    assert cook_options(parsed(by_object)) == options
    # keywords win over the object's
    assert parsed(host_command("m.py", "frames", options, max_items=5))["max_items"] == 5


def test_an_unknown_option_is_refused():
    with pytest.raises(TypeError, match="not a cook host option: colour"):
        host_command("m.py", "frames", colour="red")


def _cook_parser() -> argparse.ArgumentParser:
    subs = next(a for a in cli_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return subs.choices["cook"]


def test_the_cli_cook_offers_every_shared_option_and_passes_it_on():
    cook = _cook_parser()
    flags = {s for action in cook._actions for s in action.option_strings}
    for option in HOST_OPTIONS:
        assert (option.flag in flags) == option.cli, option.flag
    args = cook.parse_args(["m.py", "--graph", "frames", "--static", "--type", "t",
                            "--parm", "a=1", "--stub", "*", "--result-server-auth", "off",
                            "--max-items", "4", "--json"])
    values = option_values(args, cli_only=True)
    assert parsed(host_command("m.py", **values)) | values == parsed(
        host_command("m.py", **values))
    assert values["type_name"] == "t" and values["parms"] == {"a": "1"}
    assert values["stubs"] == ["*"] and values["result_server_auth"] is False
