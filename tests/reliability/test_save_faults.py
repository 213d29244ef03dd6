"""Save under faults: concurrent saves (threads and processes), a crash at every step
between write and rename, a full disk, and targets that may not be written. Whatever
happens, the module on disk is one complete version and the previous one survives in
the studio's backups; a hard-linked module (written in place) keeps a complete copy of
the new version beside it until the write is done."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from scheduler_studio.engine.codegen import SaveError, save_module
from scheduler_studio.engine.codegen.backups import default_store
from tests.reliability.support import (
    PYTHON, ROOT, LineReader, as_unprivileged, env_with_project, wait_for)

_VERSION = re.compile(r"\A# version (\S+) lines (\d+)\n((?:x = '\1'\n)*)# end \1\n\Z")


def version_text(name: str, lines: int = 400) -> str:
    """A module that says which version it is and can prove it is complete."""
    return f"# version {name} lines {lines}\n" + f"x = '{name}'\n" * lines + f"# end {name}\n"


def version_of(text: str) -> str:
    """The version a file holds; fails the test when it is not one complete version."""
    match = _VERSION.match(text)
    assert match, f"not one complete version: {text[:60]!r}...{text[-40:]!r} ({len(text)} chars)"
    name, lines, body = match.groups()
    assert body.count("\n") == int(lines), f"version {name} is truncated"
    return name


def leftovers(folder: Path, name: str = "sched.py") -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != name)


def kept_versions(target: Path) -> list[str]:
    """The versions the backups hold, newest first (each must be complete)."""
    return [version_of(b.read().decode("utf-8")) for b in default_store().versions(target)]


# -- concurrent saves -------------------------------------------------------------------

def test_concurrent_saves_from_threads_leave_one_complete_version(tmp_path):
    target = tmp_path / "sched.py"
    save_module(target, version_text("start"))
    errors: list[BaseException] = []
    torn: list[str] = []
    saved: set[str] = {"start"}
    stop = threading.Event()

    def writer(n: int) -> None:
        for i in range(25):
            name = f"t{n}-{i}"
            saved.add(name)
            try:
                save_module(target, version_text(name, 200 + 37 * n + i))
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)

    def reader() -> None:
        # a reader (Houdini, an IDE) must only ever see complete versions
        while not stop.is_set():
            try:
                text = target.read_text(encoding="utf-8")
            except FileNotFoundError:
                torn.append("the file was missing")
                continue
            if not _VERSION.match(text):
                torn.append(text[:40])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    stop.set()
    watcher.join(10)
    assert errors == [], f"{len(errors)} saves failed, first: {errors[0]!r}" if errors else ""
    assert torn == []
    final = version_of(target.read_text(encoding="utf-8"))
    backups = kept_versions(target)
    assert final in saved and 0 < len(backups) <= 10
    assert set(backups) <= saved and final not in backups
    assert leftovers(tmp_path) == []


_SAVER = """
import sys
from scheduler_studio.engine.codegen import save_module
target, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(count):
    name = "%s-%d" % (who, i)
    save_module(target, "# version %s lines %d\\n" % (name, 300 + i)
                + ("x = '%s'\\n" % name) * (300 + i) + "# end %s\\n" % name)
"""


def test_concurrent_saves_from_processes_leave_one_complete_version(tmp_path):
    target = tmp_path / "sched.py"
    save_module(target, version_text("start"))
    procs = [subprocess.Popen([PYTHON, "-c", _SAVER, str(target), f"p{n}", "40"], cwd=ROOT,
                              env=env_with_project(), stderr=subprocess.PIPE, text=True)
             for n in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    final = version_of(target.read_text(encoding="utf-8"))
    backups = kept_versions(target)
    assert re.fullmatch(r"p\d-\d+", final) and final not in backups
    assert len(backups) == 10 and all(re.fullmatch(r"p\d-\d+", b) for b in backups)
    assert leftovers(tmp_path) == []


# -- a crash between write and rename -----------------------------------------------------

_CRASHER = """
import os, sys
from pathlib import Path
import scheduler_studio.engine.codegen.save as save
from scheduler_studio.engine.codegen.backups import BackupStore
target, point = sys.argv[1], sys.argv[2]
real_replace, real_write, real_add = os.replace, os.write, BackupStore.add

def block():
    real_write(1, b"at the point\\n")
    sys.stdin.read()                      # until the test kills us

if point == "write":                      # half the new text is written
    def write(fd, data):
        if fd > 2:
            real_write(fd, bytes(data[:len(data) // 2]))
            block()
        return real_write(fd, data)
    os.write = write
elif point == "fsync":                    # written, not flushed to disk
    os.fsync = lambda fd: block()
elif point == "backup":                   # the previous version kept, the module not replaced
    def add(self, *args):
        made = real_add(self, *args)
        block()
    BackupStore.add = add
elif point == "rename":                   # about to rename over the module
    def replace(src, dst):
        if str(dst) == target:
            block()
        return real_replace(src, dst)
    os.replace = replace
elif point == "dirsync":                  # renamed, the folder not yet synced
    save._sync_dir = lambda folder: block()
elif point == "in-place":                 # a hard-linked module half overwritten
    os.link(target, target + ".link")
    def write(fd, data):
        if os.path.samefile("/proc/self/fd/%d" % fd, target):
            real_write(fd, bytes(data[:len(data) // 2]))
            block()
        return real_write(fd, data)
    os.write = write
save.save_module(target, "# version new lines 2\\nx = 'new'\\nx = 'new'\\n# end new\\n")
"""

# what the module and the newest backup hold after a crash at each point
_AFTER_CRASH = {"write": ("current", "older"), "fsync": ("current", "older"),
                "backup": ("current", "current"), "rename": ("current", "current"),
                "dirsync": ("new", "current")}


def _crash_at(target: Path, point: str) -> None:
    child = subprocess.Popen([PYTHON, "-c", _CRASHER, str(target), point], cwd=ROOT,
                             env=env_with_project(), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = LineReader(child.stdout)
    try:
        wait_for(lambda: "at the point" in out.text() or child.poll() is not None,
                 60, "the save reaching the crash point")
        assert child.poll() is None, child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(30)
        out.join()
        child.stdin.close()
        child.stderr.close()


def _two_versions(target: Path) -> None:
    save_module(target, version_text("older", 2000))
    save_module(target, version_text("current", 3000))
    assert kept_versions(target) == ["older"]


@pytest.mark.parametrize("point", list(_AFTER_CRASH))
def test_a_crash_at_any_step_keeps_the_previous_version(tmp_path, point):
    target = tmp_path / "sched.py"
    _two_versions(target)
    _crash_at(target, point)
    module, backup = _AFTER_CRASH[point]
    assert version_of(target.read_text()) == module
    assert kept_versions(target)[0] == backup
    # what a crash leaves is only hidden scraps the next save does not trip over
    assert all(name.startswith(".sched.py") for name in leftovers(tmp_path))
    save_module(target, version_text("after"))
    assert version_of(target.read_text()) == "after"
    assert kept_versions(target)[0] == module


def test_a_crash_while_writing_a_hard_linked_module_in_place_leaves_both_versions(tmp_path):
    target = tmp_path / "sched.py"
    _two_versions(target)
    _crash_at(target, "in-place")
    assert (tmp_path / "sched.py.link").samefile(target)  # still one file
    assert kept_versions(target)[0] == "current"        # the previous version is kept
    [copy] = [p for p in tmp_path.iterdir() if p.name.startswith(".sched.py.")]
    assert version_of(copy.read_text()) == "new"         # and the new one, complete
    save_module(target, version_text("after"))
    assert version_of((tmp_path / "sched.py.link").read_text()) == "after"


# -- a full disk ------------------------------------------------------------------------------

@pytest.mark.parametrize("linked", [False, True], ids=["renamed", "in-place"])
def test_a_full_disk_refuses_the_save_and_keeps_the_module(small_disk, linked):
    target = small_disk.path / "sched.py"
    target.write_text(version_text("current", 10))
    if linked:
        os.link(target, small_disk.path / "other.py")
    small_disk.fill()
    with pytest.raises(SaveError, match="the disk is full.*was not changed"):
        save_module(target, version_text("new", 20000))
    assert version_of(target.read_text()) == "current"
    assert sorted(p.name for p in small_disk.path.iterdir()) == sorted(
        ["sched.py", "hog.bin"] + (["other.py"] if linked else []))
    (small_disk.path / "hog.bin").unlink()
    save_module(target, version_text("new", 20000))
    assert version_of(target.read_text()) == "new"
    assert kept_versions(target)[0] == "current"


# -- targets that may not be written ---------------------------------------------------------

_UNPRIVILEGED_SAVE = """
import sys
from scheduler_studio.engine.codegen import SaveError, save_module
from scheduler_studio.engine.codegen.backups import default_store
try:
    save_module(sys.argv[1], "# version new lines 0\\n# end new\\n")
except SaveError as exc:
    print(exc)
    sys.exit(3)
"""


def _save_unprivileged(target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(as_unprivileged([PYTHON, "-c", _UNPRIVILEGED_SAVE, str(target)]),
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=env_with_project())


@pytest.fixture
def shared_folder():
    """A folder outside the test's tmp path (which an unprivileged process cannot
    reach), removed afterwards whatever its mode."""
    folder = Path(tempfile.mkdtemp(prefix="schedstudio-reliability-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def _prepare(folder: Path) -> Path:
    target = folder / "sched.py"
    target.write_text(version_text("current"))
    return target


def _intact(folder: Path) -> None:
    assert version_of((folder / "sched.py").read_text()) == "current"
    assert leftovers(folder) == []


@pytest.mark.parametrize("what", ["folder", "file", "both"])
def test_read_only_targets_are_refused_and_left_intact(shared_folder, what):
    target = _prepare(shared_folder)
    if what in ("file", "both"):
        target.chmod(0o444)
    if what in ("folder", "both"):
        shared_folder.chmod(0o555)
    result = _save_unprivileged(target)
    shared_folder.chmod(0o755)
    assert result.returncode == 3, result.stderr
    reason = "the file is read-only" if what != "folder" else "not writable"
    assert reason in result.stdout and "was not changed" in result.stdout
    _intact(shared_folder)
    assert target.stat().st_mode & 0o777 == (0o444 if what != "folder" else 0o644)


def test_target_or_backup_that_is_a_folder_is_refused(tmp_path):
    folder_target = tmp_path / "pkg.py"
    folder_target.mkdir()
    (folder_target / "keep.txt").write_text("keep")
    with pytest.raises(SaveError, match="could not save"):
        save_module(folder_target, version_text("new"))
    assert (folder_target / "keep.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg.py"]

    target = tmp_path / "sched.py"
    target.write_text(version_text("current"))
    (tmp_path / "sched.py.bak").mkdir()  # only written when asked for
    with pytest.raises(SaveError, match="could not save"):
        save_module(target, version_text("new"), keep_bak=True)
    assert version_of(target.read_text()) == "current"
    assert leftovers(tmp_path) == ["pkg.py", "sched.py.bak"]
