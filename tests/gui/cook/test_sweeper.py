"""The end-of-cook sweep runs off the GUI thread, and the end is still reported last."""
from __future__ import annotations

import subprocess
import sys
import threading

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer

from scheduler_studio.gui.cook import sweeper
from scheduler_studio.gui.cook.host_process import CookHostProcess


def test_a_slow_sweep_leaves_the_event_loop_running(qtbot, monkeypatch):
    real, threads, ticked = sweeper.end_session, [], threading.Event()

    def slow_end_session(*args, **kwargs):
        threads.append(threading.current_thread())
        ticked.clear()           # a slow machine: the sweep goes on until the GUI ...
        threads.append(ticked.wait(10.0))   # ... thread has run a timer meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(sweeper, "end_session", slow_end_session)
    host, output = CookHostProcess(), []
    host.sig_output.connect(output.extend)
    timer = QTimer(interval=20)
    timer.timeout.connect(ticked.set)
    timer.start()
    # the host leaves a sleeper behind in its session: the sweep must end it
    script = ("import subprocess, sys; subprocess.Popen([sys.executable, '-c', "
              "'import time; time.sleep(60)']); print('{\"v\":1,\"type\":\"log\","
              "\"level\":\"info\",\"source\":\"t\",\"message\":\"hi\"}', flush=True)")
    with qtbot.waitSignal(host.sig_finished, timeout=30_000) as blocker:
        host.start([sys.executable, "-c", script])
    timer.stop()
    assert blocker.args == ["exited", 0]
    assert threads[0] is not threading.main_thread() and threads[1] is True
    assert any("ended 1 process(es) left by the cook host" in line for line in output)
    assert not host.is_running()


def test_a_host_that_never_started_ends_at_once(qtbot, tmp_path):
    host = CookHostProcess()
    with qtbot.waitSignal(host.sig_finished, timeout=5000) as blocker:
        host.start([str(tmp_path / "no-such-program")])
    assert blocker.args[0] == "failed_to_start"
    with qtbot.waitSignal(host.sig_finished, timeout=5000):   # and it can start again
        host.start([sys.executable, "-c", "pass"])




class _Owner(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.done_with: list = []

    def done(self, victims: list) -> None:
        self.done_with.append(victims)


def test_the_owner_deleted_while_the_sweep_hands_its_result_over(qtbot):
    # the sweep's thread is inside `emit` (a direct slot holds it there) when the GUI
    # thread deletes the owner: the carrier must outlive that, and the owner's `done`
    # must not be called
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                               start_new_session=True)
    owner, errors = _Owner(), []
    go, in_emit, deleted, out_of_emit = (threading.Event() for _ in range(4))
    carrier = sweeper.sweep(owner, sleeper.pid, "", lambda _victims: not go.wait(10),
                            owner.done)
    gone = []
    carrier.destroyed.connect(lambda *_: gone.append(True))

    def inside_emit(_victims) -> None:
        in_emit.set()
        if not deleted.wait(10):
            errors.append("the owner was not deleted meanwhile")
        elif gone or not shiboken6.isValid(carrier):
            errors.append("the carrier was deleted while its thread was inside emit")
        out_of_emit.set()
    carrier.sig_done.connect(inside_emit, Qt.ConnectionType.DirectConnection)
    go.set()
    assert in_emit.wait(10)
    shiboken6.delete(owner)
    deleted.set()
    assert out_of_emit.wait(10)
    assert errors == []
    # released on the GUI thread, after a queued call to `done` would have run
    qtbot.waitUntil(lambda: bool(gone), timeout=10_000)
    assert sleeper.wait(10) != 0 and owner.done_with == [] and sweeper.pending() == 0
