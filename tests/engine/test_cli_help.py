"""`schedstudio --help` lists the window's options beside the commands; `--version`;
the console script (`scheduler_studio.gui.launcher`) sends commands to the engine's CLI without Qt."""
from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points, version

from scheduler_studio.engine.cli import main as cli_main
from scheduler_studio.gui.launcher import main


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


def test_the_console_script_is_the_launcher():
    script, = [e for e in entry_points(group="console_scripts") if e.name == "schedstudio"]
    assert script.value == "scheduler_studio.gui.launcher:main"


def _modules_after(code: str) -> list[str]:
    code = ("import sys, contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    {code}\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6'}"
            " | {'gui' for m in sys.modules if m.startswith('scheduler_studio.gui')}))\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()[-1]


def test_help_and_commands_load_no_qt():
    assert _modules_after("from scheduler_studio.gui.launcher import main; main(['--help'])") == "['gui']"
    assert _modules_after("from scheduler_studio.gui.launcher import main; main(['graphs'])") == "['gui']"


def test_the_engine_cli_alone_never_opens_the_window(capsys):
    assert cli_main([]) == 2
    assert "expected a command" in capsys.readouterr().err
    assert cli_main(["--size", "1280x800"]) == 2


def test_a_mistyped_command_is_named_with_the_command_meant(capsys, tmp_path):
    assert main(["chek", str(tmp_path / "farm.py")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("schedstudio: unknown command 'chek' (did you mean 'check'?)"), err
    assert "unrecognized arguments" not in err


def test_a_word_that_is_no_command_nor_file_says_so_without_qt(capsys, tmp_path):
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("schedstudio: unknown command 'frobnicate'"), err
    assert "commands: cook, graphs, check" in err and "FILE.py" in err
    assert main([str(tmp_path / "nosuch.py")]) == 2
    assert f"{tmp_path / 'nosuch.py'}: no such file" in capsys.readouterr().err
    assert _modules_after("from scheduler_studio.gui.launcher import main; "
                          "main(['frobnicate'])") == "['gui']"


def test_the_engine_cli_names_a_mistyped_command_too(capsys):
    assert cli_main(["grpahs"]) == 2
    assert "unknown command 'grpahs' (did you mean 'graphs'?)" in capsys.readouterr().err
