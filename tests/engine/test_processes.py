"""Ending process trees: descendants, sessions, and processes found by their cook tag."""
from __future__ import annotations

import os
import subprocess
import sys

from scheduler_studio.engine.processes import (COOK_TAG, become_subreaper, descendants, end_now,
                                               end_session, in_session, kill_pid, kill_tree,
                                               tagged)

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


# on SIGTERM, starts a sleeper in a session of its own (a farm runner handing its job
# on), says its pid and exits: what ends the cook must look again after ending it
HANDS_ON = ("import os, signal, subprocess, sys, time\n"
            "def hand_on(*_):\n"
            "    kid = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'],\n"
            "                           start_new_session=True)\n"
            "    print(kid.pid, flush=True)\n"
            "    os._exit(0)\n"
            "signal.signal(signal.SIGTERM, hand_on)\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n")
# Takes SIGTERM without ending (it says so): only a SIGKILL ends it. Its exit status is
# not asked: in a full run another test's reaper may collect it first (Popen then
# reports 0), so what it printed before its output closed says how it ended.
DEAF = ("import signal, time\n"
        "signal.signal(signal.SIGTERM, lambda *_: print('ignored TERM', flush=True))\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    time.sleep(60)\n")


def _killed(deaf, after_term: bool = True) -> bool:
    """The deaf process ended (only a SIGKILL ends it); `after_term`: it had taken a
    SIGTERM and lived on first (with no grace, the KILL may come before it says so)."""
    said = deaf.stdout.read()          # until its output closes: it ended
    deaf.stdout.close()
    deaf.wait(10)
    return ("ignored TERM" in said or not after_term) and _gone(deaf.pid)


def test_end_now_ends_the_session_the_tagged_and_what_they_start_while_ending():
    env = dict(os.environ, **{COOK_TAG: "tag-end-now"})
    session, in_it = _tree(start_new_session=True)
    spared = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                              start_new_session=True, env=env)
    runner = subprocess.Popen([sys.executable, "-c", HANDS_ON], stdout=subprocess.PIPE,
                              text=True, start_new_session=True, env=env)
    deaf = subprocess.Popen([sys.executable, "-c", DEAF], stdout=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    assert runner.stdout.readline() == deaf.stdout.readline() == "ready\n"
    # a grace long enough for the runner to start its sleeper on the busiest machine
    ended = end_now(session.pid, "tag-end-now", bound_s=30.0, grace_s=1.0, spare=[spared.pid])
    handed_on = int(runner.stdout.readline())
    assert {session.pid, in_it, runner.pid, deaf.pid, handed_on} <= set(ended)
    assert spared.pid not in ended and spared.poll() is None
    for proc in (session, runner):
        proc.wait(10)
        proc.stdout.close()
    assert _gone(in_it) and _gone(handed_on)
    assert _killed(deaf)   # it ignored SIGTERM: killed after the grace
    assert tagged("tag-end-now") == [spared.pid]
    spared.kill()
    spared.wait()


def test_end_now_with_no_time_still_kills_what_it_finds():
    env = dict(os.environ, **{COOK_TAG: "tag-end-now-0"})
    deaf = subprocess.Popen([sys.executable, "-c", DEAF], stdout=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    assert deaf.stdout.readline() == "ready\n"
    assert end_now(999_999_999, "tag-end-now-0", bound_s=0.0) == [deaf.pid]
    assert _killed(deaf, after_term=False)
