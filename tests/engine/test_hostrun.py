"""`HostRun` against small fake hosts: the shared framing (`engine.hoststream`) and the
shared stop policy, carried out with a thread and blocking waits."""
from __future__ import annotations

import sys
import textwrap
import threading

from scheduler_studio.engine.cli import hostrun
from scheduler_studio.engine.cli.hostrun import HostRun

EVENT = '{"v":1,"type":"item_added","id":%d,"name":"n_%d","node":"n","index":%d,"state":"Waiting"}'


def _script(body: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(body)]


def test_lines_are_framed_capped_and_the_last_one_kept(monkeypatch):
    monkeypatch.setattr(hostrun, "HOST_RUN_MAX_LINE_BYTES", 1000)
    run = HostRun(_script(f"""
        import sys
        out = sys.stdout.buffer
        out.write(({EVENT!r} % (1, 1, 0) + "\\n").encode())
        out.write(b"x" * 5000 + b"\\n")                       # over the cap
        out.write(b"not json\\r\\n\\r\\n")
        out.write(({EVENT!r} % (2, 2, 1) + "\\r\\n").encode())  # CRLF
        out.write(({EVENT!r} % (3, 3, 2)).encode())           # no newline at the end
    """))
    assert run.wait(60) is None
    assert [e.id for e in run.events] == [1, 2, 3]
    # (a chunk's drops are noted after its lines: the order here is the pipe's)
    assert sorted(run.bad_lines) == ["[a line over 1000 bytes dropped]", "not json"]
    assert run.outcome == "exited" and run.returncode == 0


def _started(body: str) -> HostRun:
    """A fake host once it printed its first line (its SIGTERM handler is set)."""
    said = threading.Event()
    run = HostRun(_script(body), on_raw=lambda _line: said.set())
    assert said.wait(60)
    return run


def test_a_host_that_obeys_terminate_is_cancelled():
    run = _started("""
        import signal, sys, time
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
        print("ready", flush=True)
        time.sleep(60)
    """)
    run.stop(grace_s=20)
    assert run.outcome == "cancelled" and run.returncode == 1


def test_a_host_that_ignores_terminate_is_killed_after_the_grace():
    run = _started("""
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("ready", flush=True)
        time.sleep(60)
    """)
    run.stop(grace_s=0.2)
    assert run.outcome == "killed" and run.returncode == -9
