"""The end-of-cook sweep runs off the GUI thread, and the end is still reported last."""
from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QTimer

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


