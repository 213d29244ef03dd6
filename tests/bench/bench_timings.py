"""Timings that used to be assertions in `make test` (issue 17), measured here instead:
a shared 2-core machine makes wall-clock limits in the suite flaky, and a figure in a
table says more than a pass. Row names are stable; each target is the old limit.

(a) 20 code editors made and filled; (b) the result server against hostile clients:
a billion-laughs body, a real call beside 10 slow clients, stop with a slow client
connected, a silent client (0.3 s I/O timeout) and a trickling one (0.5 s deadline)
cut off; (c) parse failures on pathological input, a 5,000-member module, the loader
fuzz's hostile files; (d) the cook panel's longest GUI stall while cancelling a hung
callback, and while killing a host that ignores terminate.
"""
from __future__ import annotations

import os
import socket
import sys
import time
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _row(name: str, value: float, unit: str, target: str, baseline=None, note="") -> dict:
    ratio = value / baseline if baseline else None
    return {"name": name, "value": value, "unit": unit, "baseline": baseline,
            "ratio": ratio, "target": target, "note": note}


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([sys.argv[0]])


def _wait(predicate, timeout_s: float) -> bool:
    from PySide6.QtWidgets import QApplication
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


# -- (a) editors ------------------------------------------------------------------------
def _editors() -> list[dict]:
    _app()
    from scheduler_studio.gui.editor import CodeEditor
    CodeEditor().deleteLater()  # the first one pays the imports and the font lookup
    started = time.perf_counter()
    editors = [CodeEditor() for _ in range(20)]
    for editor in editors:
        editor.set_text("def onSchedule(self, work_item):\n    return None\n")
    elapsed = time.perf_counter() - started
    for editor in editors:
        editor.deleteLater()
    return [_row("20 editors made and filled", elapsed * 1000, "ms", "< 300 ms")]


# -- (b) the result server --------------------------------------------------------------
def _result_server() -> list[dict]:
    from tests.engine.test_resultserver_hardening import BILLION_LAUGHS, _post_authed
    from tests.engine.test_resultserver_support import (Recorder, open_partial_request,
                                                        running_server, server_threads,
                                                        wait_until)
    rows = []
    rec = Recorder()
    with running_server(rec) as server:
        started = time.perf_counter()
        _post_authed(server, BILLION_LAUGHS)
        rows.append(_row("result server: billion laughs refused",
                         (time.perf_counter() - started) * 1000, "ms", "< 1000 ms"))
        slow = [open_partial_request(server.port) for _ in range(10)]
        try:
            started = time.perf_counter()
            with xmlrpc.client.ServerProxy("http://" + server.address) as proxy:
                proxy.start_cook(1, "j")
            rows.append(_row("result server: a real call beside 10 slow clients",
                             (time.perf_counter() - started) * 1000, "ms", "< 500 ms",
                             note="a stalled accept backlog would cost a 1 s SYN retry"))
        finally:
            for sock in slow:
                sock.close()
    with running_server(Recorder()) as server:
        slow = open_partial_request(server.port)
        wait_until(lambda: len(server_threads()) == 2)
        started = time.perf_counter()
        server.stop()
        rows.append(_row("result server: stop with a slow client connected",
                         (time.perf_counter() - started) * 1000, "ms", "< 1000 ms"))
        slow.close()
    with running_server(Recorder(), io_timeout_s=0.3) as server:
        with open_partial_request(server.port) as silent:
            silent.settimeout(10)
            started = time.perf_counter()
            silent.recv(100)
            rows.append(_row("result server: silent client cut off (0.3 s I/O timeout)",
                             (time.perf_counter() - started) * 1000, "ms", "< 1500 ms"))
    with running_server(Recorder(), io_timeout_s=0.5) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
            started = time.perf_counter()
            try:
                for _ in range(200):
                    sock.sendall(b"X")
                    time.sleep(0.05)
            except OSError:
                pass
            rows.append(_row("result server: trickling client cut off (0.5 s deadline)",
                             (time.perf_counter() - started) * 1000, "ms", "< 2000 ms"))
    return rows


# -- (c) parsing hostile input ----------------------------------------------------------
def _parsing() -> list[dict]:
    from scheduler_studio.engine.codegen import SchedulerParseError, parse
    from tests.engine.codegen.test_errors import MODULE
    from tests.reliability.test_loader_fuzz import HOSTILE, _clear_check, _clear_parse
    sources = ["(" * 100_000, "-" * 100_000 + "1", "x = " + "[" * 50_000,
               "print " + "a" * 1_000_000, "'" * 300_000, "\t \t" * 100_000 + "x",
               "except " + "a," * 200_000, "def f(:\n" * 50_000]
    worst = 0.0
    for source in sources:
        started = time.perf_counter()
        try:
            parse(source)
        except SchedulerParseError:
            pass
        worst = max(worst, time.perf_counter() - started)
    members = "".join(f"    def helper{i}(self):\n        return {i}\n\n" for i in range(5_000))
    started = time.perf_counter()
    parse(MODULE + "    def onTick(self):\n        return 1\n" + members)
    large = time.perf_counter() - started
    slowest = 0.0
    for name, data in HOSTILE.items():
        started = time.perf_counter()
        _clear_parse(data, name)
        _clear_check(data, name)
        slowest = max(slowest, time.perf_counter() - started)
    return [_row("parse: slowest of 8 pathological inputs refused", worst, "s", "< 10 s"),
            _row("parse: a module with 5,000 extra members", large, "s", "< 10 s"),
            _row("loader fuzz: slowest hostile file parsed and checked", slowest, "s",
                 "< 10 s")]


# -- (d) the cook panel while cancelling -------------------------------------------------
def _cancel_stalls() -> list[dict]:
    _app()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow

    from scheduler_studio.gui.cook.panel import CookPanel
    from tests.bench.bench_cook_panel import _Heartbeat
    from tests.gui.cook.test_cancel import HANG, STUBBORN
    from tests.gui.cook.conftest import document_module

    rows = []
    for name, body, grace_ms in (("cancel a hung callback", HANG, None),
                                 ("kill a host that ignores terminate", STUBBORN, 800)):
        text, line_map = document_module(onSchedule=body)
        window = QMainWindow()
        panel = CookPanel(lambda: (text, line_map), window)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
        window.resize(1100, 800)
        window.show()
        try:
            if grace_ms:
                panel.host.set_kill_grace_ms(grace_ms)
            panel.set_graph("frames")
            panel.cook_button.click()
            _wait(lambda: any(e.slow for e in panel.trace_model.entries()), 30)
            finished = []
            panel.sig_cook_finished.connect(finished.append)
            heartbeat = _Heartbeat()
            panel.cancel_button.click()
            _wait(lambda: bool(finished), 30)
            stall = heartbeat.stop()
            rows.append(_row(f"cook panel: {name}: longest GUI stall", stall["stall_ms"],
                             "ms", "< 500 ms", note=f"ended {finished or 'not at all'}; "
                             f"load {os.getloadavg()[0]:.1f}"))
        finally:
            panel.shutdown()
            window.close()
            window.deleteLater()
    return rows


def run() -> list[dict]:
    return _editors() + _result_server() + _parsing() + _cancel_stalls()


if __name__ == "__main__":
    for row in run():
        print(row)
