"""The commands' parser and ``main``: what ``schedstudio COMMAND`` runs (loads every
command's module; the window's start does not come here)."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Optional

from .commands import add_subcommands
from .words import COMMANDS, not_a_command


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
    parser.set_defaults(commands=add_subcommands(parser))
    return parser


def parse_command(argv: list[str]) -> argparse.Namespace:
    """The command's arguments; a word it does not take is that command's usage error
    (argparse leaves those to the top-level parser, whose usage is the window's)."""
    args, extra = build_parser().parse_known_args(argv)
    if extra:
        args.commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Optional[list[str]] = None, window_help: str = "") -> int:
    """Run one command; `window_help`: the window's options for ``--help`` (the
    launcher above both layers passes them: the engine knows nothing of the window)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help", "--version"):
        try:
            build_parser(window_help if argv[0] != "--version" else "").parse_args(argv[:1])
        except SystemExit as exit_:
            return int(exit_.code or 0)
    refused = not_a_command(argv[0]) if argv else None
    if refused:
        print(f"schedstudio: {refused}", file=sys.stderr)
        return 2
    if not argv or argv[0] not in COMMANDS:
        print(f"schedstudio: expected a command ({', '.join(COMMANDS)}); the editor window "
              "opens from the `schedstudio` console script (scheduler_studio.gui.launcher)", file=sys.stderr)
        return 2
    args = parse_command(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `schedstudio graphs | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
