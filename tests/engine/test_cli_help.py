"""`schedstudio --help` lists the window's options beside the commands; `--version`."""
from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

from scheduler_studio.engine.cli import main


def test_help_lists_the_commands_and_the_window_options(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("cook", "graphs", "check", "new", "export"):
        assert f"    {command} " in out
    for option in ("--open FILE.py", "--screenshot PNG", "--tab NAME", "--size WxH",
                   "--cook GRAPH", "--theme NAME", "--version"):
        assert option in out, option
    assert "schedstudio [FILE.py]" in out


def test_version_prints_the_installed_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"schedstudio {version('scheduler-studio')}"


def test_help_loads_no_qt():
    code = ("import sys, contextlib, io\n"
            "from scheduler_studio.engine.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['--help'])\n"
            "print(any(m.split('.')[0] == 'PySide6' for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
