"""Saving never leaves a half-written module or loses the previous one."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from engine.codegen import SaveError, save_module


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir()
                  if p.name not in ("sched.py", "sched.py.bak"))


def test_first_save_writes_the_file(tmp_path):
    target = tmp_path / "sched.py"
    save_module(target, "x = 'é'\n")
    assert target.read_text(encoding="utf-8") == "x = 'é'\n"
    assert not (tmp_path / "sched.py.bak").exists()
    assert _leftovers(tmp_path) == []


def test_save_keeps_the_previous_version(tmp_path):
    target = tmp_path / "sched.py"
    save_module(target, "one = 1\n")
    save_module(target, "two = 2\n")
    save_module(str(target), "three = 3\n")
    assert target.read_text() == "three = 3\n"
    assert (tmp_path / "sched.py.bak").read_text() == "two = 2\n"
    assert _leftovers(tmp_path) == []


def test_save_keeps_the_file_mode(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("old\n")
    target.chmod(0o640)
    save_module(target, "new\n")
    assert target.stat().st_mode & 0o777 == 0o640


def _prepared(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("current\n")
    (tmp_path / "sched.py.bak").write_text("older\n")
    return target


def _intact(tmp_path):
    assert (tmp_path / "sched.py").read_text() == "current\n"
    assert (tmp_path / "sched.py.bak").read_text() == "older\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("function", ["write", "fsync"])
def test_full_disk_leaves_everything_intact(tmp_path, monkeypatch, function):
    target = _prepared(tmp_path)

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, function, full)
    with pytest.raises(SaveError, match="disk is full"):
        save_module(target, "new\n" * 1000)
    monkeypatch.undo()
    _intact(tmp_path)


def test_failure_at_the_final_rename_leaves_everything_intact(tmp_path, monkeypatch):
    target = _prepared(tmp_path)
    real_replace = os.replace

    def failing(src, dst):
        if str(dst) == str(target):
            raise OSError(errno.EIO, "I/O error")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(SaveError, match="I/O error"):
        save_module(target, "new\n")
    monkeypatch.undo()
    assert target.read_text() == "current\n"
    assert _leftovers(tmp_path) == []


def test_unwritable_folder_is_reported(tmp_path, monkeypatch):
    target = _prepared(tmp_path)

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refused)
    with pytest.raises(SaveError, match="not writable"):
        save_module(target, "new\n")
    monkeypatch.undo()
    _intact(tmp_path)


def _save_as_unprivileged(target):
    """Save from a child process that must obey file permissions.

    Root ignores permission bits through CAP_DAC_OVERRIDE; `setpriv` (util-linux)
    drops that capability for the child, so the read-only folder really refuses it.
    """
    script = (
        "import sys\n"
        "from engine.codegen import SaveError, save_module\n"
        "try:\n"
        "    save_module(sys.argv[1], 'new\\n')\n"
        "except SaveError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(3)\n"
    )
    command = [sys.executable, "-c", script, str(target)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command = ["setpriv", "--inh-caps=-all",
                   "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"] + command
    root = Path(__file__).resolve().parents[3]
    return subprocess.run(command, cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(root)})


def test_read_only_folder_for_real():
    folder = Path(tempfile.mkdtemp(prefix="schedstudio-ro-"))
    try:
        target = _prepared(folder)
        folder.chmod(0o555)
        result = _save_as_unprivileged(target)
        assert result.returncode == 3, result.stderr
        assert "not writable" in result.stdout
        folder.chmod(0o755)
        _intact(folder)
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_missing_folder_is_reported(tmp_path):
    with pytest.raises(SaveError, match="could not save"):
        save_module(tmp_path / "nowhere" / "sched.py", "x = 1\n")
