"""Ending process trees: descendants, sessions, and processes found by their cook tag."""
from __future__ import annotations

import os
import subprocess
import sys

from scheduler_studio.engine.processes import (COOK_TAG, become_subreaper, descendants, end_session,
                                               in_session, kill_pid, kill_tree, tagged)

# a child that starts a grandchild (which sleeps) and prints its pid, then sleeps too
PARENT = ("import subprocess, sys, time\n"
          "kid = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
          "print(kid.pid, flush=True)\n"
          "time.sleep(60)\n")


def _tree(**popen):
    proc = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True,
                            **popen)
    grandchild = int(proc.stdout.readline())
    return proc, grandchild


def _gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_kill_tree_ends_children_and_grandchildren():
    proc, grandchild = _tree()
    assert set(descendants(proc.pid)) == {grandchild}
    assert grandchild in descendants(os.getpid())
    killed = kill_tree(proc.pid, include_self=True, grace_s=2)
    assert set(killed) == {proc.pid, grandchild}
    proc.wait(10)
    assert _gone(grandchild)
    proc.stdout.close()


def test_end_session_ends_a_whole_session():
    proc, grandchild = _tree(start_new_session=True)
    assert set(in_session(proc.pid)) == {proc.pid, grandchild}
    assert set(end_session(proc.pid, grace_s=2)) == {proc.pid, grandchild}
    proc.wait(10)
    assert _gone(grandchild)
    proc.stdout.close()


def test_processes_carrying_a_cook_tag_are_found_and_ended():
    env = dict(os.environ, **{COOK_TAG: "tag-under-test"})
    proc, grandchild = _tree(start_new_session=True, env=env)
    assert set(tagged("tag-under-test")) == {proc.pid, grandchild}
    assert tagged("another-tag") == [] and tagged("") == []
    # a session that holds none of them still ends them through the tag
    assert set(end_session(999_999_999, grace_s=2, tag="tag-under-test")) == {proc.pid, grandchild}
    proc.wait(10)
    assert _gone(grandchild)
    proc.stdout.close()


def test_kill_pid_of_a_process_that_is_gone():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    kill_pid(proc.pid)  # no error


def test_become_subreaper_on_linux():
    assert become_subreaper() is sys.platform.startswith("linux")


def test_an_exited_child_not_yet_reaped_is_not_counted_as_running():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # exited, still a zombie
    assert _gone(child.pid)
    assert child.pid not in descendants(os.getpid())
    child.wait()
