"""Saving never leaves a half-written module, never loses the previous one, and never
changes what the file is: links, mode, owner, group, ACLs and attributes stay."""
from __future__ import annotations

import errno
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from scheduler_studio.engine.codegen import SaveError, save_module
from scheduler_studio.engine.codegen.backups import BackupStore, default_store

ROOT = Path(__file__).resolve().parents[3]


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "sched.py")


def _versions(path, store=None):
    return [b.read() for b in (store or default_store()).versions(path)]


# -- writing and the previous versions -----------------------------------------------------

def test_first_save_writes_the_file(tmp_path):
    target = tmp_path / "sched.py"
    save_module(target, "x = 'é'\n")
    assert target.read_text(encoding="utf-8") == "x = 'é'\n"
    assert _leftovers(tmp_path) == []
    assert _versions(target) == []


def test_bytes_are_written_as_they_are(tmp_path):
    target = tmp_path / "sched.py"
    data = "# -*- coding: latin-1 -*-\nx = 'café'\n".encode("latin-1")
    save_module(target, data)
    assert target.read_bytes() == data


def test_previous_versions_go_to_the_backup_folder_not_beside_the_file(tmp_path,
                                                                        studio_data_dir):
    target = tmp_path / "sched.py"
    save_module(target, "one = 1\n")
    save_module(target, "two = 2\n")
    report = save_module(str(target), "three = 3\n")
    assert target.read_text() == "three = 3\n"
    assert _leftovers(tmp_path) == []  # no sched.py.bak in pdg/types or a git folder
    assert _versions(target) == [b"two = 2\n", b"one = 1\n"]
    assert report.backup is not None and studio_data_dir in report.backup.parents
    assert report.backup.stat().st_mode & 0o777 == 0o600  # the module may be private


def test_keep_bak_also_leaves_the_previous_version_beside_the_file(tmp_path):
    target = tmp_path / "sched.py"
    save_module(target, "one = 1\n", keep_bak=True)
    save_module(target, "two = 2\n", keep_bak=True)
    assert (tmp_path / "sched.py.bak").read_text() == "one = 1\n"
    assert _leftovers(tmp_path) == ["sched.py.bak"]


def test_keep_bak_of_a_hard_linked_file_is_a_copy_of_the_old_version(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("one = 1\n")
    os.link(target, tmp_path / "other.py")
    save_module(target, "two = 2\n", keep_bak=True)
    assert (tmp_path / "sched.py.bak").read_text() == "one = 1\n"
    assert (tmp_path / "other.py").read_text() == "two = 2\n"


def test_the_backup_folder_keeps_the_last_few_versions_with_their_times(tmp_path):
    store = BackupStore(tmp_path / "backups", keep=3)
    target = tmp_path / "sched.py"
    save_module(target, "v0\n", backups=store)
    for number in range(1, 6):
        os.utime(target, (1_000_000 * number, 1_000_000 * number))
        save_module(target, f"v{number}\n", backups=store)
    kept = store.versions(target)
    assert [b.read() for b in kept] == [b"v4\n", b"v3\n", b"v2\n"]
    assert [b.modified for b in kept] == [5_000_000, 4_000_000, 3_000_000]  # when each was saved
    # replacing bytes kept already (a save retried, a restored version) repeats nothing
    target.write_text("v4\n")
    save_module(target, "v6\n", backups=store)
    assert [b.read() for b in store.versions(target)] == [b"v4\n", b"v3\n", b"v2\n"]


def test_a_full_backup_folder_does_not_stop_the_save(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("old\n")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    report = save_module(target, "new\n", backups=BackupStore(blocked))
    assert target.read_text() == "new\n"
    assert report.backup is None
    assert "previous version was not kept" in report.warnings[0]


# -- the file stays what it was ---------------------------------------------------------------

def test_save_keeps_the_file_mode(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("old\n")
    target.chmod(0o640)
    save_module(target, "new\n")
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        save_module(tmp_path / "sched.py", "x = 1\n")
    finally:
        os.umask(old)
    assert (tmp_path / "sched.py").stat().st_mode & 0o777 == mode


def test_saving_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path):
    project = tmp_path / "project"
    types = tmp_path / "houdini" / "pdg" / "types"
    project.mkdir()
    types.mkdir(parents=True)
    real = project / "farm.py"
    real.write_text("old\n")
    link = types / "farm.py"
    link.symlink_to(os.path.relpath(real, types))
    report = save_module(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == os.path.relpath(real, types)
    assert real.read_text() == "new\n"
    assert report.path == real
    assert sorted(p.name for p in types.iterdir()) == ["farm.py"]
    assert sorted(p.name for p in project.iterdir()) == ["farm.py"]
    assert _versions(link) == _versions(real) == [b"old\n"]  # keyed by the resolved path


def test_a_hard_linked_file_stays_one_file(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("old\n")
    other = tmp_path / "other-name.py"
    os.link(target, other)
    inode = target.stat().st_ino
    report = save_module(target, "new\n")
    assert other.read_text() == "new\n"
    assert target.stat().st_ino == inode and target.stat().st_nlink == 2
    assert report.in_place == "it has other hard links"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-name.py", "sched.py"]
    assert _versions(target) == [b"old\n"]


def test_a_hard_linked_file_that_shrinks_and_grows_is_exact(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("a much longer old text\n" * 50)
    os.link(target, tmp_path / "other.py")
    save_module(target, "short\n")
    assert (tmp_path / "other.py").read_text() == "short\n"
    save_module(target, "long\n" * 500)
    assert (tmp_path / "other.py").read_text() == "long\n" * 500


def _acl(*entries: tuple[int, int, int]) -> bytes:
    """A POSIX ACL as the kernel stores it in ``system.posix_acl_access``."""
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries)


_NOBODY = 0xFFFFFFFF
_USER_OBJ, _USER, _GROUP_OBJ, _MASK, _OTHER = 0x01, 0x02, 0x04, 0x10, 0x20
ACL = _acl((_USER_OBJ, 6, _NOBODY), (_USER, 6, 4321), (_GROUP_OBJ, 4, _NOBODY),
           (_MASK, 6, _NOBODY), (_OTHER, 4, _NOBODY))


def _settable_ids() -> tuple[int, int]:
    """An owner and group other than ours that this process may give a file."""
    if os.geteuid() == 0:
        return 4321, 4322
    others = [g for g in os.getgroups() if g != os.getegid()]
    if not others:
        pytest.skip("needs root or a second group to give a file another group")
    return os.geteuid(), others[0]


def test_owner_group_mode_acl_and_xattrs_are_kept(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("old\n")
    uid, gid = _settable_ids()
    os.chown(target, uid, gid)
    target.chmod(0o664)
    os.setxattr(target, "system.posix_acl_access", ACL)
    os.setxattr(target, "user.studio.note", b"keep me")
    before = target.stat()
    save_module(target, "new\n")
    after = target.stat()
    assert target.read_text() == "new\n"
    assert (after.st_uid, after.st_gid) == (uid, gid)
    assert after.st_mode == before.st_mode
    assert os.getxattr(target, "system.posix_acl_access") == ACL
    assert os.getxattr(target, "user.studio.note") == b"keep me"
    assert _leftovers(tmp_path) == []


def test_a_default_acl_of_the_folder_is_not_added_to_an_existing_file(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.setxattr(folder, "system.posix_acl_default", ACL)
    target = folder / "sched.py"
    target.write_text("old\n")
    os.removexattr(target, "system.posix_acl_access")
    target.chmod(0o644)
    save_module(target, "new\n")
    assert "system.posix_acl_access" not in os.listxattr(target)
    assert target.stat().st_mode & 0o777 == 0o644
    save_module(folder / "new.py", "x = 1\n")  # a new file takes the folder's ACL
    assert os.getxattr(folder / "new.py", "system.posix_acl_access") == ACL


_UNPRIVILEGED = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,"
                 "-dac_read_search,-fowner,-chown", "--"]


def test_a_file_owned_by_someone_else_keeps_its_owner(tmp_path):
    """A group-writable module of another artist: a new file would be the saver's."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make a file of another owner")
    folder = Path(tempfile.mkdtemp(prefix="schedstudio-owner-"))
    try:
        folder.chmod(0o777)
        target = folder / "sched.py"
        target.write_text("old\n")
        os.chown(target, 4321, 4321)
        target.chmod(0o666)
        script = ("import sys\nfrom scheduler_studio.engine.codegen import save_module\n"
                  "print(save_module(sys.argv[1], 'new\\n').in_place)\n")
        done = subprocess.run(_UNPRIVILEGED + [sys.executable, "-c", script, str(target)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr
        assert "owner or group" in done.stdout
        assert target.read_text() == "new\n"
        assert (target.stat().st_uid, target.stat().st_gid) == (4321, 4321)
        assert sorted(p.name for p in folder.iterdir()) == ["sched.py"]
    finally:
        shutil.rmtree(folder)


# -- failures leave everything as it was -----------------------------------------------------

def _prepared(tmp_path):
    target = tmp_path / "sched.py"
    target.write_text("current\n")
    return target


def _intact(tmp_path):
    assert (tmp_path / "sched.py").read_text() == "current\n"
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
    _intact(tmp_path)


def test_a_failed_in_place_write_puts_the_old_bytes_back(tmp_path, monkeypatch):
    target = _prepared(tmp_path)
    os.link(target, tmp_path / "other.py")
    real_ftruncate = os.ftruncate
    calls = []

    def failing_once(fd, size):
        calls.append(size)
        if len(calls) == 1:
            raise OSError(errno.EIO, "I/O error")
        return real_ftruncate(fd, size)

    monkeypatch.setattr(os, "ftruncate", failing_once)
    with pytest.raises(SaveError, match="I/O error.*was not changed"):
        save_module(target, "new and longer\n")
    monkeypatch.undo()
    assert target.read_text() == (tmp_path / "other.py").read_text() == "current\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.py", "sched.py"]


def test_unwritable_folder_is_reported(tmp_path, monkeypatch):
    target = _prepared(tmp_path)
    real_open = os.open

    def refused(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)
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
        "from scheduler_studio.engine.codegen import SaveError, save_module\n"
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
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


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
