"""The window's stderr: Qt's "This plugin does not support propagateSizeHints()"
(the offscreen and xcb platform plugins print it for every window shown, and it means
nothing to a user) is dropped; every other Qt message still gets through."""
from __future__ import annotations

import os
import subprocess
import sys

NOISE = "This plugin does not support propagateSizeHints()"


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_a_window_run_does_not_flood_stderr(tmp_path):
    png = tmp_path / "shot.png"
    done = _run("import sys; from scheduler_studio.gui.launcher import main; "
                "sys.exit(main(sys.argv[1:]))", "--screenshot", str(png))
    assert done.returncode == 0, done.stderr
    assert png.is_file()
    assert NOISE not in done.stderr


def test_other_qt_messages_still_reach_stderr():
    done = _run("from scheduler_studio.gui.app import _application\n"
                "from PySide6.QtCore import qWarning\n"
                "app = _application()\n"
                f"qWarning({NOISE!r})\n"
                "qWarning('something that matters')\n")
    assert done.returncode == 0, done.stderr
    assert "something that matters" in done.stderr
    assert NOISE not in done.stderr
