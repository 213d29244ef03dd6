"""The fakefarm the studio ships, as schedulers really call it: through a shell, with
its job folder named only in the job's environment, into a working folder the user
picked, with no cache folder to keep its wrapper in, and with no temp folder at all.
The cook says when it ran, leaves nothing of it behind and always ends in a summary."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from scheduler_studio.engine.cli.hostrun import HostRun
from scheduler_studio.engine.hostclient import host_command
from scheduler_studio.engine.sandbox import TOOLS_DIR_ENV

from .support import TEMPLATES, check_sample, cook

FARM = TEMPLATES / "farm_cli.py"
SHIPPED_NOTE = "the farm tool 'fakefarm' the cook ran is the tiny local farm"
# the template's commands, each run by a shell (so the tool's parent is the shell)
SUBMIT = ("sh -c 'n=$1 l=$2 c=$3; shift 3; {env}fakefarm submit --name \"$n\" --log \"$l\" "
          "--cwd \"$c\" -- \"$@\"; exit $?' sh {{name}} {{log}} {{cwd}} {{command}}")
STATUS = "sh -c '{env}fakefarm status \"$@\"; exit $?' sh {{jobids}}"


def parms(env: str = "") -> dict:
    return {"poll_interval": 0.1, "submit_command": SUBMIT.format(env=env),
            "status_command": STATUS.format(env=env)}


@pytest.fixture
def pipx_user(monkeypatch, tmp_path):
    """No fakefarm of the user's anywhere: the shipped one runs; temp files in a
    folder of the test's."""
    monkeypatch.setenv("PATH", os.defpath)
    monkeypatch.delenv("FAKEFARM_ROOT", raising=False)
    monkeypatch.delenv(TOOLS_DIR_ENV, raising=False)
    monkeypatch.delenv("HIP", raising=False)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    return temp


def leftovers(*folders: Path) -> list[str]:
    return sorted(str(p) for folder in folders for p in folder.rglob("*")
                  if "fakefarm" in p.name or "schedstudio" in p.name)


def test_fakefarm_run_through_a_shell_is_noted_and_leaves_nothing(tmp_path, pipx_user):
    work = tmp_path / "work"   # a working folder the user picked
    result = cook(FARM, "transfer", work, parms=parms())
    check_sample(result, "transfer")
    assert any(SHIPPED_NOTE in note for note in result.summary["notes"])
    assert not (work / "fakefarm-jobs").exists()     # its jobs were not put in there
    assert leftovers(work, pipx_user) == []          # no marker, no jobs folder


def test_fakefarm_given_its_root_only_in_the_job_environment_is_noted(tmp_path, pipx_user):
    root = tmp_path / "farm"
    result = cook(FARM, "transfer", tmp_path / "work",
                  parms=parms(env=f"env FAKEFARM_ROOT={root} "))
    check_sample(result, "transfer")
    assert any(SHIPPED_NOTE in note for note in result.summary["notes"])
    assert sorted(p.name for p in root.iterdir()) == ["1", "2", "3", "4"]  # it used it
    assert leftovers(root, pipx_user) == []


def test_with_no_cache_folder_the_wrapper_goes_with_the_cook(tmp_path, pipx_user,
                                                            monkeypatch):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the studio's data folder would be")
    monkeypatch.setenv("SCHEDSTUDIO_DATA_DIR", str(not_a_folder))
    result = cook(FARM, "transfer", tmp_path / "work", parms=parms())
    assert sorted(pipx_user.iterdir()) == []         # the fallback folder went too
    check_sample(result, "transfer")
    assert any(SHIPPED_NOTE in note for note in result.summary["notes"])


def test_with_no_folder_for_the_tools_the_cook_still_ends_in_a_summary_that_says_why(
        tmp_path, pipx_user, monkeypatch):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the studio's data folder would be")
    monkeypatch.setenv("SCHEDSTUDIO_DATA_DIR", str(not_a_folder))
    gone = tmp_path / "gone"     # the caller's scratch folder, deleted under the host
    run = HostRun(host_command(str(FARM), "transfer", workdir=str(tmp_path / "work"),
                               scratch=str(gone), timeout=60,
                               parms={k: str(v) for k, v in parms().items()}))
    run.wait(60)
    assert run.summary is not None, run.bad_lines  # (the host said why on stderr)
    [warning] = [w for w in run.summary["warnings"] if "(fakefarm)" in w]
    assert warning.startswith("the farm tools Scheduler Studio ships (fakefarm) are "
                                       "not available to this cook: cannot write a folder "
                                       f"for them in {gone}: ")
    # and the cook ran without them: the template says its tool is missing
    assert run.summary["status"] == "failed"
    said = run.summary["warnings"] + [e["message"] for e in run.summary["errors"]]
    assert any("the farm tool 'fakefarm' is not on PATH" in w for w in said), said
