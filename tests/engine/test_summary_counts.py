"""The summary's ``callbacks`` counts every call the cook made into the scheduler, the
ones its base class answered too (onStartCook, onStopCook, onStop of a module that
defines only onSchedule), as the event stream and the window's trace show them; and its
``outputs`` say so when the cook's temporary folder is gone."""
from __future__ import annotations

import json
from collections import Counter

from scheduler_studio.engine.cli import main
from tests.engine.cookkit import gen, write_graph

SMALL = '''\
import pdg
from pdg.scheduler import PyScheduler


class Small(PyScheduler):
    def onSchedule(self, work_item):
        path = self.workingDir(True) + "/" + work_item.name + ".txt"
        open(path, "w").close()
        work_item.addOutputFile(path, "file/text")
        return pdg.scheduleResult.CookSucceeded


def registerTypes(type_registry):
    type_registry.registerScheduler(Small, name="small")
'''


def _setup(tmp_path):
    module = tmp_path / "small.py"
    module.write_text(SMALL, encoding="utf-8")
    write_graph(tmp_path, [gen("render", 3)], name="three")
    return module, str(tmp_path / "three.json")


def test_callbacks_counts_agree_with_the_event_stream(tmp_path, capsys):
    module, graph = _setup(tmp_path)
    assert main(["cook", str(module), "--graph", graph, "--events",
                 "--workdir", str(tmp_path / "w")]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()
              if line.startswith("{")]
    called = Counter(e["name"] for e in events if e["type"] == "callback")
    summary, = [e["summary"] for e in events if e["type"] == "cook_finished"]
    assert summary["callbacks"] == dict(called)
    for inherited in ("onStartCook", "onStopCook", "onStop"):
        assert summary["callbacks"][inherited] == 1, inherited
    assert summary["callbacks"]["onSchedule"] == 3


def test_outputs_in_a_removed_temp_folder_say_so(tmp_path, capsys, monkeypatch):
    module, graph = _setup(tmp_path)
    monkeypatch.delenv("HIP", raising=False)
    assert main(["cook", str(module), "--graph", graph]) == 0
    out = capsys.readouterr().out
    line, = [line for line in out.splitlines() if line.startswith("  outputs:")]
    assert line.startswith("  outputs: 3 file(s)")
    assert "working folder removed (use --keep" in line
    assert main(["cook", str(module), "--graph", graph, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert len(summary["outputs"]) == 3
    assert any("--keep" in note for note in summary["notes"])


def test_kept_or_given_folders_need_no_such_note(tmp_path, capsys):
    module, graph = _setup(tmp_path)
    assert main(["cook", str(module), "--graph", graph, "--workdir", str(tmp_path / "w")]) == 0
    out = capsys.readouterr().out
    assert "  outputs: 3 file(s)\n" in out and "--keep" not in out
