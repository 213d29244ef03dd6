"""A cook in which a callback raised is not a succeeded cook, even when every item
cooked: some schedulers raise on every item (a missing helper) and still get their
items done."""
from __future__ import annotations

import json

from scheduler_studio.engine.cli import main
from tests.engine.cookkit import cook, gen, recorder_variant, write_graph

RAISES_IN_GET_LOG_URI = """
    def getLogURI(self, work_item):
        raise RuntimeError("log helper missing")
"""


def test_every_item_cooked_but_a_callback_raised_is_a_failed_cook(tmp_path):
    module = recorder_variant(tmp_path, RAISES_IN_GET_LOG_URI)
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path)
    assert done.items["succeeded"] == 3
    assert done.summary["status"] == "failed"
    assert {e["callback"] for e in done.summary["errors"]} == {"getLogURI"}
    assert "log helper missing" in done.summary["errors"][0]["message"]


def test_the_cli_exits_1_for_it(tmp_path, capsys):
    module = recorder_variant(tmp_path, RAISES_IN_GET_LOG_URI)
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps({"name": "g", "nodes": [gen("gen", 2)]}), encoding="utf-8")
    code = main(["cook", str(module), "--graph", str(graph), "--json",
                 "--workdir", str(tmp_path / "work")])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["status"], summary["items"]["succeeded"]) == (1, "failed", 2)
