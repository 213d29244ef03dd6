"""How a job ended is said where the user looks: a job killed by a signal or exiting
non-zero fails its item with a reason naming that (``job ended by signal 11
(SIGSEGV)``, ``job exited with status 3``), in the summary (human and ``--json``) and
at the end of the item's log (the window's log pane), with each shipped template.

Each cook runs through `schedstudio cook` (a real cook host process)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from scheduler_studio.engine.cli import main
from tests.engine.cookkit import ROOT, gen, write_graph

TEMPLATES = ROOT / "resources" / "templates"
SEGFAULT = ("{python} -c \"import os, signal, sys; print('before crash'); "
            "sys.stdout.flush(); os.kill(os.getpid(), signal.SIGSEGV)\"")
EXIT_3 = "{python} -c \"import sys; print('about to fail'); sys.exit(3)\""
NODES = [gen("seg", 2, command=SEGFAULT), gen("three", 1, command=EXIT_3)]
SAID = {"seg": "job ended by signal 11 (SIGSEGV)", "three": "job exited with status 3"}
TEMPLATE_PARMS = {
    "local": ["--parm", "max_jobs=2"],
    "farm_cli": ["--parm", "poll_interval=0.05"],
    "dask": ["--parm", "workers=1"],
}


def cook_cli(capsys, tmp_path: Path, module: Path, *extra: str, json_out: bool = True):
    write_graph(tmp_path, NODES)
    code = main(["cook", str(module), "--graph", str(tmp_path / "g.json"),
                 "--workdir", str(tmp_path / "work"), "--timeout", "90",
                 *(["--json"] if json_out else []), *extra])
    return code, capsys.readouterr().out


def job_log(tmp_path: Path, name: str) -> str:
    [path] = (tmp_path / "work").rglob(f"logs/{name}.log")
    return path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("template", sorted(TEMPLATE_PARMS))
def test_a_job_killed_by_a_signal_or_exiting_non_zero_says_so(capsys, tmp_path, template):
    code, out = cook_cli(capsys, tmp_path, TEMPLATES / f"{template}.py",
                         *TEMPLATE_PARMS[template])
    summary = json.loads(out)
    assert code == 1 and summary["items"]["failed"] == 3, summary
    reasons = {item["name"]: item["reason"] for item in summary["failed_items"]}
    for name, reason in reasons.items():
        said = SAID[name.split("_")[0]]
        assert said in reason, reasons
        assert reason.startswith("scheduler reported failure"), reasons
        # the item's log (what the window's log pane shows) ends saying it too
        log = job_log(tmp_path, name)
        assert log.rstrip().splitlines()[-1].endswith(said), log
        assert ("before crash" if name.startswith("seg") else "about to fail") in log


def test_the_human_summary_names_how_the_jobs_ended(capsys, tmp_path):
    code, out = cook_cli(capsys, tmp_path, TEMPLATES / "local.py", json_out=False)
    assert code == 1
    assert "seg_1, seg_2: scheduler reported failure" in out, out
    assert SAID["seg"] in out and SAID["three"] in out, out


def test_a_log_that_says_nothing_leaves_the_reason_plain(capsys, tmp_path):
    """A scheduler that writes no log (or an empty one) keeps the plain reason."""
    module = tmp_path / "quiet.py"
    module.write_text(QUIET, encoding="utf-8")
    code, out = cook_cli(capsys, tmp_path, module)
    summary = json.loads(out)
    assert {item["reason"] for item in summary["failed_items"]} == \
        {"scheduler reported failure"}, summary


QUIET = '''\
import os

import pdg
from pdg.scheduler import PyScheduler


class Quiet(PyScheduler):
    def onSchedule(self, work_item):
        self.onWorkItemFailed(work_item.id, -1)
        return pdg.scheduleResult.Succeeded

    def getLogURI(self, work_item):
        path = os.path.join(self.tempDir(True), work_item.name + ".log")
        open(path, "w").close()
        return "file://" + path


def registerTypes(type_registry):
    type_registry.registerScheduler(Quiet, label="Quiet")
'''


if sys.platform != "linux":  # pragma: no cover
    pytestmark = pytest.mark.skip("signals and the fake farm: Linux")
