"""Keeping job processes from outliving a cook.

A scheduler may start jobs any way it likes, even detached ones (``setsid``, a double
fork, a cleaned environment). Four nets catch them, read through psutil:

* the cook host and its parents (CLI, GUI) are *subreapers* on Linux: orphaned
  descendants re-attach to them instead of init, so `kill_tree` finds every one;
* the cook host is its own session and process group (`in_session`);
* every process the host starts inherits ``COOK_TAG`` in its environment (`tagged`);
* a caller whose host died finds the orphans that re-attached to it (`adopted_since`).

The host also dies with its parent (`die_with_parent`), so a caller killed outright
takes its cook along.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from typing import Iterable, Optional

import psutil

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_GONE = (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)

COOK_TAG = "SCHEDSTUDIO_COOK_TAG"  # set in a cook host's environment; its jobs inherit it
PARENT_PID_ENV = "SCHEDSTUDIO_HOST_PARENT"  # set by a caller: the host dies with it


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux); harmless elsewhere."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(parent_pid: int, sig: int = signal.SIGTERM) -> bool:
    """Have the kernel send `sig` to this process when its parent ends (Linux), and
    send it now if the parent `parent_pid` is already gone (we were re-parented
    before the request took effect). False where it cannot be arranged."""
    armed = _prctl(_PR_SET_PDEATHSIG, int(sig))
    if armed and os.getppid() != parent_pid:
        os.kill(os.getpid(), sig)
    return armed


def _living(procs: Iterable[psutil.Process]) -> list[int]:
    out = []
    for proc in procs:
        try:
            if proc.status() not in _GONE:
                out.append(proc.pid)
        except psutil.Error:
            pass
    return out


def _alive(pid: int) -> bool:
    """Running (a zombie has ended already; it only waits to be reaped)."""
    try:
        return psutil.Process(pid).status() not in _GONE
    except psutil.Error:
        return False


def _others() -> Iterable[psutil.Process]:
    me = os.getpid()
    return (proc for proc in psutil.process_iter() if proc.pid != me)


def in_session(sid: int) -> list[int]:
    """Living processes of session `sid` (the cook host makes its own session, and its
    jobs stay in it unless they call setsid themselves)."""
    out = []
    for proc in _others():
        try:
            if os.getsid(proc.pid) == sid and proc.status() not in _GONE:
                out.append(proc.pid)
        except (OSError, psutil.Error):
            pass
    return out


def tagged(tag: str) -> list[int]:
    """Living processes whose environment holds ``COOK_TAG=tag``: what one cook host
    started, even jobs that left its session and were adopted elsewhere."""
    if not tag:
        return []
    out, blank = [], []
    for proc in _others():
        found = _has_tag(proc, tag)
        if found is None:
            blank.append(proc)
        elif found:
            out.append(proc.pid)
    if blank:
        # an empty environment may be a process in the middle of exec (its new one is
        # not readable yet): look once more
        time.sleep(0.005)
        out += [proc.pid for proc in blank if _has_tag(proc, tag)]
    return out


def _has_tag(proc: psutil.Process, tag: str) -> Optional[bool]:
    """Whether living `proc` carries `tag`; None when its environment reads empty."""
    try:
        environ = proc.environ()
        if not environ:
            return None
        return environ.get(COOK_TAG) == tag and proc.status() not in _GONE
    except psutil.Error:
        return False


def descendants(pid: int) -> list[int]:
    """Every living descendant of `pid`; empty when `pid` is gone."""
    try:
        return _living(psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return []


def adopted_since(started: float, known: Iterable[int] = ()) -> list[int]:
    """Living descendants of this process started at or after `started` (a psutil
    ``create_time``: its clock is not ``time.time()``'s) that are not among `known`:
    with this process a subreaper, the jobs of a cook host that died re-attach here,
    whatever environment or session they took."""
    skip = set(known)
    out = []
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return []
    for proc in children:
        try:
            if proc.pid not in skip and proc.create_time() >= started \
                    and proc.status() not in _GONE:
                out.append(proc.pid)
        except psutil.Error:
            pass
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


def end_session(sid: int, grace_s: float = 0.5, tag: str = "",
                also: Optional[Iterable[int]] = None) -> list[int]:
    """End every process of session `sid`, every process tagged with the cook `tag`
    and the pids in `also`; returns their pids."""
    victims = in_session(sid)
    for pid in [*tagged(tag), *(also or ())]:
        if pid not in victims and pid != os.getpid():
            victims.append(pid)
    return end_processes(victims, grace_s)


def end_now(sid: int, tag: str = "", bound_s: float = 0.5, grace_s: float = 0.2,
            spare: Iterable[int] = ()) -> list[int]:
    """`end_session`, for a caller that cannot wait for a thread (an app quitting: a
    daemon thread dies with the interpreter): TERM, KILL after at most `grace_s`, then
    look again for what started meanwhile, while `bound_s` lasts; returns the pids.
    The bound holds but for one look (a read of /proc, some milliseconds); what appears
    after it is missed. `spare`: pids left alone (a host its QProcess kills and reaps:
    reaping it here would take its exit status from Qt)."""
    deadline = time.monotonic() + bound_s
    victims: list[int] = []
    skip = {os.getpid(), *spare}
    while True:
        found = [pid for pid in dict.fromkeys([*in_session(sid), *tagged(tag)])
                 if pid not in victims and pid not in skip]
        if not found:
            break
        victims += found
        end_processes(found, max(0.0, min(grace_s, deadline - time.monotonic())))
        if time.monotonic() >= deadline:
            break
    return victims


def reap_adopted(pids: list[int]) -> None:
    """Collect the exit status of those of `pids` that became our children."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


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
    """TERM, then KILL after `grace_s`, every descendant of `pid`; returns their pids.
    Looks again afterwards: a job may have forked while it was being ended."""
    victims: list[int] = []
    for _ in range(3):
        found = [v for v in descendants(pid) if v not in victims]
        if include_self and not victims:
            found.append(pid)
        if not found:
            break
        victims += found
        _end_and_reap(found, pid, grace_s)
    return victims


def _end_and_reap(victims: list[int], parent: int, grace_s: float) -> None:
    for victim in victims:
        kill_pid(victim, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    alive = victims
    while alive and time.monotonic() < deadline:
        if parent == os.getpid():
            reap()
        alive = [v for v in alive if _alive(v)]
        if alive:
            time.sleep(0.02)
    for victim in alive:
        kill_pid(victim, signal.SIGKILL)
    if parent == os.getpid():
        time.sleep(0.01)
        reap()
