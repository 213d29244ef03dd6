"""``schedstudio``: the console script, above both layers.

A command (``cook``, ``graphs``...) or ``--version`` goes to the engine's CLI, which
never loads Qt; anything else (a file, window options) opens the window. It lives in
`gui` because the GUI may import the engine but the engine never imports the GUI, and
the brief's layout has no third package; it imports Qt only for the window.
"""
from __future__ import annotations

import sys
from typing import Optional, Sequence

from scheduler_studio.engine.cli.words import COMMANDS, not_a_command


def cli_main(argv, **kwargs) -> int:
    """The engine's CLI, loaded only for a command (the window's start does not pay it)."""
    from scheduler_studio.engine.cli.entry import main

    return main(argv, **kwargs)


def window_options() -> str:
    """The window's own options as ``--help`` lists them (argparse only: no Qt loaded)."""
    from scheduler_studio.gui.app import build_parser as window_parser

    help_text = window_parser().format_help()
    start = help_text.find("positional arguments:")
    lines = (help_text[start:] if start >= 0 else help_text).splitlines()[1:]
    kept = [line for line in lines if "-h, --help" not in line and line.strip() != "options:"]
    return "the window (schedstudio [FILE.py] [options]):\n" + "\n".join(kept).strip("\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help"):
        return cli_main(argv, window_help=window_options())
    if argv and (argv[0] in COMMANDS or argv[0] == "--version"):
        return cli_main(argv)
    refused = not_a_command(argv[0]) if argv else None
    if refused:  # a mistyped command or a missing file: said here, without starting Qt
        print(f"schedstudio: {refused}", file=sys.stderr)
        return 2
    from scheduler_studio.gui.app import main as window_main  # the window: `schedstudio [FILE.py] [options]`

    return window_main(argv)


if __name__ == "__main__":
    sys.exit(main())
