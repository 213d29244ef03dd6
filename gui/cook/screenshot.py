"""Cook offscreen, wait for the end, and render the window with the cook panel to PNG.

`cook_then_screenshot(window, graph, png)` serves ``schedstudio --open FILE.py --cook
GRAPH --screenshot PNG``. Run as a module it builds a small stand-in window around the
panel (``python -m scheduler_studio.gui.cook.screenshot MODULE.py GRAPH PNG``), for visual checks.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow

from scheduler_studio.gui.cook.cook_state import FAILED
from scheduler_studio.gui.cook.panel import CookPanel
from scheduler_studio.gui.window.screenshot import wait_until

COOK_TIMEOUT_S = 120.0  # `schedstudio --cook G --screenshot P --timeout S` (its default)
CANCEL_TIMEOUT_S = 15.0


class CookShot:
    """What `cook_then_screenshot` did: true when the picture was written; `timed_out`
    when the cook ran out of time and was cancelled first (the picture shows it then)."""

    def __init__(self, written: bool, timed_out: bool = False, started: bool = True) -> None:
        self.written, self.timed_out, self.started = written, timed_out, started

    def __bool__(self) -> bool:
        return self.written


def wait_for(condition, timeout_s: float) -> bool:
    """Run the event loop until `condition()` or the timeout (no busy sleeping)."""
    return wait_until(condition, timeout_s)


def cook_then_screenshot(window, graph: str, png, *, static: bool = False,
                         timeout_s: float = COOK_TIMEOUT_S,
                         panel: Optional[CookPanel] = None) -> CookShot:
    """Cook `graph` in `panel`, else the window's registered cook panel (docked by
    `attach_cook_panel` if need be: on the window's cook session, which closing the window
    ends), wait for the end, show the most telling view (the first failed item, else the
    trace) and save `png`. A cook still running after `timeout_s` is cancelled and the
    picture taken all the same (`CookShot.timed_out`). False when the cook could not
    start or the PNG could not be written."""
    window.show()  # first: the panel's dock is sized in the window as laid out
    QApplication.processEvents()
    if panel is None:
        from scheduler_studio.gui.cook.attach import attach_cook_panel
        panel = attach_cook_panel(window)
    panel.show()
    panel.raise_()
    panel.set_graph(graph)
    panel.options.post_mortem.setChecked(False)  # nobody is there to continue a pause
    finished: list[str] = []
    panel.sig_cook_finished.connect(finished.append)
    if not panel.cook(static=static):
        return CookShot(False, started=False)
    timed_out = not wait_for(lambda: finished, timeout_s)
    if timed_out:
        panel.cancel()
        wait_for(lambda: finished, CANCEL_TIMEOUT_S)
    failed = [i for i in panel.state.items.values() if i.category == FAILED]
    if failed:
        panel.dots.select(failed[0].id)
        panel.dots.ensure_visible(failed[0].id)
        panel._on_item_clicked(failed[0].id)
        wait_for(lambda: bool(panel.details.log_text()), 2.0)
    else:
        panel.tabs.setCurrentWidget(panel.trace)
        if panel.trace_model.rowCount():
            panel.trace.select_row(panel.trace_model.rowCount() - 1)
    QApplication.processEvents()
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    return CookShot(window.grab().save(str(png)), timed_out)


def _stand_in_window(module: Path,
                     size: tuple[int, int]) -> tuple[QMainWindow, CookPanel]:
    """A main window stand-in: the module text in the centre, the panel (on a session of
    its own) docked below."""
    from scheduler_studio.gui.editor import CodeEditor

    window = QMainWindow()
    window.setWindowTitle(f"{module.name} — Scheduler Studio")
    editor = CodeEditor(window, theme="dark")
    editor.set_text(module.read_text(encoding="utf-8"))
    editor.set_read_only(True)
    window.setCentralWidget(editor)
    panel = CookPanel(lambda: (module.read_text(encoding="utf-8"), None), window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
    window.resize(*size)
    window.resizeDocks([panel], [int(size[1] * 0.72)], Qt.Orientation.Vertical)
    return window, panel


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scheduler_studio.gui.cook.screenshot")
    parser.add_argument("module", type=Path)
    parser.add_argument("graph")
    parser.add_argument("png", type=Path)
    parser.add_argument("--static", action="store_true")
    parser.add_argument("--size", default="1500x1000")
    parser.add_argument("--theme", default="dark", choices=("dark", "light"))
    args = parser.parse_args(argv)
    from scheduler_studio.gui.editor import theme_palette

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    app.setPalette(theme_palette(args.theme, app.style().standardPalette()))
    width, height = (int(v) for v in args.size.lower().split("x"))
    window, panel = _stand_in_window(args.module, (width, height))
    try:
        ok = cook_then_screenshot(window, args.graph, args.png, static=args.static,
                                  panel=panel)
    finally:
        panel.shutdown()  # the panel's own session: its host ends
    print(f"{'wrote' if ok else 'could not write'} {args.png}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
