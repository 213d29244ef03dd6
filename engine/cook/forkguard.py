"""Only the cook host's own process cooks, whatever ``os.fork()`` the module calls.

A module that forks while it is imported would otherwise run the whole cook twice,
interleaved on one event stream. Once `install`ed (the cook host does it):

* before any fork the event stream is flushed, and a forked child never writes to it
  (nor to the call board), so no event is lost or sent twice;
* a forked child that comes back into the engine (returns from the import or from a
  callback) ends there and then: `only_the_host`;
* a fork during the import is a load error naming the line: `check_import`.

Nothing happens until `install`: in-process cooks (tests, benchmarks) are untouched.
``subprocess`` does not go through ``os.fork`` handlers, so jobs started that way are
not forks here.
"""
from __future__ import annotations

import os
import traceback
from typing import Any, Optional

_host_pid: Optional[int] = None
_forks: list[Optional[int]] = []  # per fork in the host: the module's line, when known
_module_file = ""


def install(emitter: Any) -> None:
    """Guard this process (the cook host); `emitter` is its `NdjsonEmitter`."""
    global _host_pid
    if _host_pid is not None:
        return
    _host_pid = os.getpid()
    os.register_at_fork(before=emitter.flush, after_in_parent=_note_fork,
                        after_in_child=emitter.detach)


def watch_module(file: str) -> None:
    """The module file forks are blamed on (its deepest frame names the line)."""
    global _module_file
    _module_file = os.path.abspath(file)
    _forks.clear()


def _note_fork() -> None:
    if os.getpid() != _host_pid:
        return  # a fork in a child of ours
    line = None
    for frame in traceback.extract_stack():
        if _module_file and os.path.abspath(frame.filename) == _module_file:
            line = frame.lineno
    _forks.append(line)


def only_the_host() -> None:
    """End this process at once if it is a fork of the cook host, not the host."""
    if _host_pid is not None and os.getpid() != _host_pid:
        os._exit(0)


def check_import() -> Optional[tuple[Optional[int], str]]:
    """After the module was imported: (line, message) if it forked meanwhile."""
    only_the_host()
    if not _forks:
        return None
    line = _forks[0]
    _forks.clear()
    return line, ("the module called os.fork() while it was imported: only the cook "
                  "host's own process may cook (the forked copy was ended); start jobs "
                  "from callbacks, with subprocess")
