"""The window half of `make soak`: 20 back-to-back cooks from one editor window.

Each cook runs in its own cook host, started by the docked test-cook panel exactly as a
user's Cook button would; this process (the window) is sampled after each cook.
"""
from __future__ import annotations

import gc
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "resources" / "templates" / "local.py"


def soak_window(cooks: int, graph: str, report) -> bool:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from scheduler_studio.engine.codegen import parse
    from scheduler_studio.gui.cook.attach import attach_cook_panel
    from scheduler_studio.gui.main_window import MainWindow
    from tests.bench.soak import open_fds, rss_mb

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="schedstudio-soak-window-") as tmp:
        settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
        document = parse(LOCAL.read_text(), str(LOCAL))
        window = MainWindow(document, None, settings=settings, data_dir=Path(tmp) / "data")
        panel = attach_cook_panel(window)
        window.show()
        panel.set_graph(graph)
        samples, ok = [], True
        for number in range(1, cooks + 1):
            outcome: list[str] = []
            loop = QEventLoop()
            panel.sig_cook_finished.connect(lambda status: (outcome.append(status), loop.quit()))
            started = time.perf_counter()
            if not panel.cook(False):
                print(f"  window cook {number}: the panel refused to start a cook")
                return False
            QTimer.singleShot(600_000, loop.quit)  # a stuck cook ends the soak, not the machine
            loop.exec()
            panel.sig_cook_finished.disconnect()
            app.processEvents()
            gc.collect()
            samples.append((rss_mb(), open_fds()))
            status = outcome[0] if outcome else "no end"
            print(f"  window cook {number:2}: {status} in {time.perf_counter() - started:.1f} s, "
                  f"{samples[-1][0]:.1f} MB, {samples[-1][1]} fds", flush=True)
            ok = ok and status == "succeeded"
        panel.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
    return report("editor window", samples) and ok
