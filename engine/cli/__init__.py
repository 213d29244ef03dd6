"""``schedstudio``: the command line. Thin: parse, call the engine, report."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Optional

from .commands import COMMANDS, add_subcommands


def version() -> str:
    """The installed package's version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("scheduler-studio")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def build_parser(window_options: str = "") -> argparse.ArgumentParser:
    """The commands' parser; `window_options`: the window's options, for --help."""
    parser = argparse.ArgumentParser(
        prog="schedstudio",
        usage="schedstudio [FILE.py] [window options]\n       schedstudio COMMAND ...",
        description="Write, test-cook and export custom PDG schedulers. "
                    "With no command, opens the editor window.",
        epilog=window_options, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    add_subcommands(parser)
    return parser


def window_options() -> str:
    """The window's own options as --help lists them (its parser lives with the GUI)."""
    try:
        from scheduler_studio.gui.app import build_parser as window_parser  # argparse only: no Qt loaded
    except ImportError:
        return ""
    help_text = window_parser().format_help()
    start = help_text.find("positional arguments:")
    lines = (help_text[start:] if start >= 0 else help_text).splitlines()[1:]
    kept = [line for line in lines if "-h, --help" not in line and line.strip() != "options:"]
    return "the window (schedstudio [FILE.py] [options]):\n" + "\n".join(kept).strip("\n")


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help", "--version"):
        extra = window_options() if argv[0] != "--version" else ""
        try:
            build_parser(extra).parse_args(argv[:1])
        except SystemExit as exit_:
            return int(exit_.code or 0)
    if not argv or argv[0] not in COMMANDS:
        from scheduler_studio.gui.app import main as gui_main  # the window: `schedstudio [FILE.py] [options]`
        return gui_main(argv)
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `schedstudio graphs | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
