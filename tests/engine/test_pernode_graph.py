"""The `pernode` sample graph: one command line per node, items told apart only by
PDG_ITEM_ID and their data file; a scheduler that runs the wrong item's work is seen."""
from __future__ import annotations

import os

from scheduler_studio.engine.cook.events import ItemState
from tests.engine.cookkit import LOCAL, cook, recorder_variant

ONE_COMMAND_PER_NODE = """
    def applicationBin(self, name, work_item):
        return PyScheduler.applicationBin(self, name, work_item)

    def onStartCook(self, static, cook_set):
        self.node_commands = {}
        return Recorder.onStartCook(self, static, cook_set)

    def onSchedule(self, work_item):
        # as farms that send one command per TOP node: the first item's command line,
        # PDG_ITEM_ID (or not, with WRONG_ID) the only thing that varies
        import subprocess, sys
        command = self.node_commands.setdefault(
            work_item.node.name, self.expandCommandTokens(work_item.command, work_item))
        self.createJobDirsAndSerializeWorkItems(work_item)
        env = self.addCommonJobEnvVars(dict(os.environ), work_item)
        if WRONG_ID:
            first = work_item.node.workItems[0]
            env["PDG_ITEM_ID"] = str(first.id)
        code = subprocess.call(command, shell=True, env=env, cwd=self.workingDir(True),
                               stdout=subprocess.DEVNULL)
        return pdg.scheduleResult.CookSucceeded if code == 0 else pdg.scheduleResult.CookFailed
"""


def _module(tmp_path, wrong_id):
    module = recorder_variant(tmp_path, ONE_COMMAND_PER_NODE)
    module.write_text(f"WRONG_ID = {wrong_id}\n" + module.read_text())
    return module


def test_the_local_template_cooks_pernode(tmp_path):
    done = cook(LOCAL, "pernode", tmp_path)
    assert done.summary["status"] == "succeeded", \
        (done.summary["errors"], done.summary.get("failed_items"), done.summary.get("warnings"))
    assert done.items["succeeded"] == 41
    render = tmp_path / "work" / "render"
    assert sorted(os.listdir(render)) == [f"frame.{f:04d}.txt" for f in range(1, 21)]
    assert "frame 7" in (tmp_path / "work" / "denoise" / "frame.0007.txt").read_text()


def test_one_command_per_node_with_the_item_id_varied_cooks_every_item(tmp_path):
    done = cook(_module(tmp_path, False), "pernode", tmp_path)
    assert done.summary["status"] == "succeeded", done.summary["errors"]
    assert done.items["succeeded"] == 41


def test_a_scheduler_that_runs_the_first_items_work_for_all_is_caught(tmp_path):
    done = cook(_module(tmp_path, True), "pernode", tmp_path)
    assert done.summary["status"] == "failed"
    failed = [e for e in done.of_type(ItemState) if e.state == "CookedFail"]
    render = [e for e in failed if e.id <= 20]  # the render items come first
    assert len(render) == 19  # every render item but the first, whose work was done 20 times
    assert all("did not do this item's work" in e.cause for e in render)
    assert list(done.states().values()).count("CookedSuccess") >= 1
