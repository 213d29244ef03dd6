"""``schedstudio``: the command line. Thin: parse, call the engine, report."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Optional

from .commands import COMMANDS, add_subcommands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="schedstudio",
        description="Write, test-cook and export custom PDG schedulers. "
                    "With no command, opens the editor window.")
    add_subcommands(parser)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        from gui.app import main as gui_main  # the window: `schedstudio [FILE.py] [options]`
        return gui_main(argv)
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `schedstudio graphs | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
