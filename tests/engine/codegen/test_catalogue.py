"""The callback catalogue: layout, lookups and default bodies."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.catalogue import CALLBACKS, TABS, by_name, for_tab

LAYOUT = {
    "Scheduling": [("Schedule", "onSchedule", ("work_item",)),
                   ("Schedule Static", "onScheduleStatic",
                    ("dependencies", "dependents", "ready_items")),
                   ("Submit As Job", "submitAsJob", ("graph_file", "node_path")),
                   ("Tick", "onTick", ())],
    "File Paths": [("Working Directory", "workingDir", ("local",)),
                   ("Localize Path", "localizePath", ("deferred_path",)),
                   ("Application Binary", "applicationBin", ("name", "work_item"))],
    "Initialization and Cleanup": [("Start", "onStart", ()), ("Stop", "onStop", ()),
                                   ("Start Cook", "onStartCook", ("static", "cook_set")),
                                   ("Stop Cook", "onStopCook", ("cancel",))],
    "Shared Server": [("End Shared Server", "endSharedServer", ("sharedserver_name",)),
                      ("Result Server Address", "workItemResultServerAddr", ()),
                      ("Transfer File", "onTransferFile", ("file_path",))],
    "Logging": [("Log URI", "getLogURI", ("work_item",)),
                ("Status URI", "getStatusURI", ("work_item",))],
}
SEED = Path("/work/shared/seed/pythonscheduler.txt")


def test_tabs_and_sections_in_node_order():
    assert TABS == tuple(LAYOUT)
    for tab, sections in LAYOUT.items():
        assert [(c.section, c.name, c.args) for c in for_tab(tab)] == sections
    assert sum(len(for_tab(t)) for t in TABS) == 16


def test_callbacks_off_the_tabs():
    assert [(c.name, c.args) for c in for_tab(None)] == [
        ("onCancelWorkItems", ("work_items", "node")),
        ("onAcceptWorkItem", ("work_item",))]


def test_lookup_by_name_and_alias():
    assert by_name("transferFile") is by_name("onTransferFile")
    assert by_name("onSchedule").tab == "Scheduling"
    assert by_name("nothing") is None
    assert len({c.name for c in CALLBACKS}) == len(CALLBACKS)


def test_signature_line():
    assert by_name("onStartCook").signature() == \
        "def onStartCook(self, static, cook_set):"
    assert by_name("onTick").signature() == "def onTick(self):"
    assert by_name("onSchedule").signature(("item",)) == \
        "def onSchedule(self, item):"


@pytest.mark.parametrize("callback", CALLBACKS, ids=lambda c: c.name)
def test_default_body_is_a_valid_method(callback):
    source = callback.signature() + "\n" + "\n".join(
        "    " + line for line in callback.default_body.split("\n"))
    ast.parse(source)
    assert callback.help and callback.label and callback.returns


def test_help_is_written_in_our_own_words():
    if not SEED.exists():
        pytest.skip("seed node description not available")
    words = re.findall(r"\w+", SEED.read_text().lower())
    seed_phrases = {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
    for callback in CALLBACKS:
        help_words = re.findall(r"\w+", callback.help.lower())
        for i in range(len(help_words) - 5):
            assert " ".join(help_words[i:i + 6]) not in seed_phrases, callback.name


def test_default_prelude_imports_what_bodies_use():
    imported = {alias.name for stmt in ast.parse(catalogue.DEFAULT_PRELUDE).body
                for alias in stmt.names}
    modules = {"os", "pathlib", "subprocess", "time", "sys", "shutil",
               "threading", "json"}
    used = set()
    for callback in CALLBACKS:
        tree = ast.parse(callback.signature() + "\n" + "\n".join(
            "    " + line for line in callback.default_body.split("\n")))
        used |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert used & modules == imported


def test_engine_never_imports_qt():
    code = ("import sys, scheduler_studio.engine.catalogue, scheduler_studio.engine.codegen, scheduler_studio.engine.check; "
            "sys.exit('PySide6' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
