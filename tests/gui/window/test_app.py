"""``schedstudio --screenshot``: the window rendered offscreen to a PNG, in-process."""
from __future__ import annotations

from PySide6.QtGui import QImage

from scheduler_studio.gui.launcher import main as cli_main
from scheduler_studio.gui import app
from scheduler_studio.gui.window.screenshot import find_page


def test_screenshot_of_a_tab_at_a_size(tmp_path, qapp):
    png = tmp_path / "shot.png"
    assert cli_main(["--screenshot", str(png), "--tab", "file paths", "--size", "900x640",
                     "--theme", "light"]) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (900, 640)


def test_screenshot_of_an_opened_module(tmp_path, qapp):
    module = tmp_path / "mine.py"
    from scheduler_studio.engine.codegen import render
    from scheduler_studio.gui.window.templates import template_document
    module.write_text(render(template_document())[0])
    png = tmp_path / "open.png"
    assert app.main(["--screenshot", str(png), "--open", str(module), "--tab", "Parameters"]) == 0
    assert not QImage(str(png)).isNull()


def test_unknown_tab_is_an_error(tmp_path, qapp, capsys):
    assert app.main(["--screenshot", str(tmp_path / "x.png"), "--tab", "nope"]) == 2
    assert "Scheduling" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_tab_names_are_forgiving():
    assert find_page("init") == "Initialization and Cleanup"
    assert find_page("Shared-Server") == "Shared Server"
    assert find_page("s") is None  # Scheduling or Shared Server: ambiguous


def test_initial_document_reports_a_broken_file(tmp_path):
    broken = tmp_path / "b.py"
    broken.write_text("def (:\n")
    document, path, error, raw = app._initial_document(broken)
    assert document is None and path == broken and "line 1" in error
    assert raw.text == "def (:\n"  # shown whole, to be fixed (test_raw_module)
    assert app._initial_document(tmp_path / "missing.py")[2].startswith("Could not read")


def test_screenshot_after_a_cook_shows_the_panel_with_the_finished_cook(tmp_path, qapp,
                                                                        monkeypatch):
    seen = {}
    from scheduler_studio.gui.cook import screenshot as cook_shot
    real = cook_shot.cook_then_screenshot

    def spy(window, graph, png, **kwargs):
        ok = real(window, graph, png, **kwargs)
        panel = window.cook_panel
        seen.update(graph=panel.graph(), visible=panel.isVisible(),
                    succeeded=sum(1 for i in panel.state.items.values()
                                  if i.state == "CookedSuccess"),
                    finished=not panel.is_cooking())
        return ok

    monkeypatch.setattr(cook_shot, "cook_then_screenshot", spy)
    png = tmp_path / "cooked.png"
    assert cli_main(["--cook", "frames", "--screenshot", str(png), "--size", "1280x800"]) == 0
    assert seen["graph"] == "frames" and seen["visible"] and seen["finished"]
    assert seen["succeeded"] == 41  # every dot of the frames graph turned green
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)


def test_the_cook_panel_docks_right_after_the_first_paint(qtbot, make_window):
    from scheduler_studio.gui.cook.panel import CookPanel
    from scheduler_studio.gui.window.first_paint import after_first_paint

    window = make_window(show=False)
    after_first_paint(window, lambda: app.dock_cook_panel(window))
    assert window.findChild(CookPanel) is None  # nothing before the editor shows
    window.show()
    qtbot.waitUntil(lambda: window.panel("cook") is not None, timeout=5000)
    panel = window.panel("cook")
    assert window.cook_panel is panel
    assert app.dock_cook_panel(window) is panel  # docking twice keeps one panel
    assert window.findChildren(CookPanel) == [panel]
    assert panel.isVisible() and panel.graph() == "frames"


def test_a_screenshot_run_in_process_leaves_no_settings_folder_behind(tmp_path, qapp, qtbot):
    """What the closed window had queued (breakpoints saved on a zero timer) ran while
    its temporary settings folder was there; later it would make the folder again."""
    import tempfile
    from pathlib import Path

    def shot_folders():
        return set(Path(tempfile.gettempdir()).glob("schedstudio-shot-*"))
    before = shot_folders()
    assert cli_main(["--cook", "frames", "--screenshot", str(tmp_path / "shot.png"),
                     "--size", "900x640"]) == 0   # the cook panel made the breakpoint book
    qtbot.wait(50)  # the event loop runs on, as in a test session
    assert shot_folders() - before == set()
