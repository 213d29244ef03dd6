"""Keeping job processes from outliving a cook.

A scheduler may start jobs any way it likes, even detached ones. The cook host and its
parents (CLI, GUI) become *subreapers* on Linux, so orphaned descendants re-attach to
them instead of init, and `kill_tree` can find and end every one of them.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import time

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux); harmless elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(entry)
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _stat_fields(pid: str) -> list[str]:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except OSError:
        return []
    # the command name may hold spaces and parentheses: parse after the last ')'
    return stat[stat.rfind(")") + 2:].split()


def in_session(sid: int) -> list[int]:
    """Living processes of session `sid` (the cook host makes its own session, and its
    jobs stay in it unless they call setsid themselves)."""
    if not os.path.isdir("/proc"):
        return []
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(entry)
            if len(fields) > 3 and fields[3] == str(sid) and fields[0] not in "ZX":
                out.append(int(entry))
    return out


COOK_TAG = "SCHEDSTUDIO_COOK_TAG"  # set in a cook host's environment; its jobs inherit it


def tagged(tag: str) -> list[int]:
    """Living processes whose environment holds ``COOK_TAG=tag``: what one cook host
    started, even jobs that left its session and were adopted elsewhere."""
    if not os.path.isdir("/proc") or not tag:
        return []
    needle = f"{COOK_TAG}={tag}".encode()
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read()
        except OSError:
            continue
        if needle in environ.split(b"\0") and _alive(int(entry)):
            out.append(int(entry))
    return out


def end_processes(victims: list[int], grace_s: float = 0.5) -> list[int]:
    """TERM, then KILL after `grace_s`, each of `victims`; reap those that are ours."""
    for victim in victims:
        kill_pid(victim, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    alive = victims
    while alive and time.monotonic() < deadline:
        reap_adopted(alive)
        alive = [v for v in alive if _alive(v)]
        if alive:
            time.sleep(0.02)
    for victim in alive:
        kill_pid(victim, signal.SIGKILL)
    reap_adopted(victims)
    return victims


def end_session(sid: int, grace_s: float = 0.5, tag: str = "") -> list[int]:
    """End every process of session `sid` and, given a cook `tag`, every process
    tagged with it; returns their pids."""
    victims = in_session(sid)
    victims += [pid for pid in tagged(tag) if pid not in victims]
    return end_processes(victims, grace_s)


def reap_adopted(pids: list[int]) -> None:
    """Collect the exit status of those of `pids` that became our children."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def descendants(pid: int) -> list[int]:
    """Every living descendant of `pid` (Linux /proc); empty where /proc is missing."""
    if not os.path.isdir("/proc"):
        return []
    tree = _children_map()
    out, stack = [], list(tree.get(pid, []))
    while stack:
        child = stack.pop()
        if _alive(child):  # a zombie has ended already; it only waits to be reaped
            out.append(child)
        stack.extend(tree.get(child, []))
    return out


def kill_pid(pid: int, sig: int = signal.SIGTERM) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def reap() -> None:
    """Collect exit statuses of adopted orphans so they do not linger as zombies."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_tree(pid: int, include_self: bool = False, grace_s: float = 1.0) -> list[int]:
    """TERM, then KILL after `grace_s`, every descendant of `pid`; returns their pids."""
    victims = descendants(pid)
    if include_self:
        victims.append(pid)
    for victim in victims:
        kill_pid(victim, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    alive = victims
    while alive and time.monotonic() < deadline:
        if pid == os.getpid():
            reap()
        alive = [v for v in alive if _alive(v)]
        if alive:
            time.sleep(0.02)
    for victim in alive:
        kill_pid(victim, signal.SIGKILL)
    if pid == os.getpid():
        time.sleep(0.01)
        reap()
    return victims


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False
