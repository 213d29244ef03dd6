"""The subcommands about the studio's own install: ``doctor``, ``desktop-entry`` and
``stubs`` (the ``pdg``/``hou`` stubs for the user's own IDE)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..package_files import DESKTOP_ID
from .reporter import EXIT_ERROR, EXIT_FAILED, EXIT_OK, Reporter



def cmd_doctor(args: argparse.Namespace) -> int:
    from .. import doctor

    report = doctor.diagnose()
    Reporter().line(doctor.render(report, doctor.os_family()))
    return EXIT_FAILED if report.missing else EXIT_OK


def window_command() -> str:
    """How a launcher starts the window: the gui-script beside this Python, else
    ``python -m`` (a source tree that was never installed)."""
    bindir = Path(sys.executable).parent
    for name in ("schedstudio-window", "schedstudio-window.exe"):
        if (bindir / name).is_file():
            return str(bindir / name)
    return f"{sys.executable} -P -m {__package__}"


def desktop_entry_text() -> str:
    from ..package_files import resource_file

    template = resource_file("desktop", f"{DESKTOP_ID}.desktop").read_text(encoding="utf-8")
    return template.replace("@EXEC@", window_command())


def cmd_desktop_entry(args: argparse.Namespace) -> int:
    """Write the launcher and its icon under $XDG_DATA_HOME (~/.local/share)."""
    from ..package_files import resource_file

    reporter = Reporter()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    entry = data_home / "applications" / f"{DESKTOP_ID}.desktop"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg"
    try:
        for path, data in ((entry, desktop_entry_text().encode("utf-8")),
                           (icon, resource_file("icons", f"{DESKTOP_ID}.svg").read_bytes())):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        reporter.error(f"cannot write the desktop entry: {exc}")
        return EXIT_ERROR
    reporter.line(f"wrote {entry}")
    reporter.line(f"wrote {icon}")
    return EXIT_OK


def cmd_stubs(args: argparse.Namespace) -> int:
    from ..stubs import write_stubs

    reporter = Reporter()
    try:
        written = write_stubs(Path(args.folder))
    except OSError as exc:
        reporter.error(f"cannot write the stubs in {args.folder}: {exc}")
        return EXIT_ERROR
    folder = Path(args.folder).resolve()
    reporter.line(f"wrote {len(written)} stub files in {folder}")
    reporter.line(f'VS Code (Pylance): "python.analysis.stubPath": "{folder}"')
    reporter.line(f"PyCharm: mark {folder} as a Sources Root; mypy: mypy_path = {folder}")
    return EXIT_OK


def add_setup_subcommands(subs) -> None:
    doctor = subs.add_parser("doctor", help="check this machine for what the studio needs "
                                            "(Python, Qt's system libraries, fonts, display)")
    doctor.set_defaults(run=cmd_doctor)
    desktop = subs.add_parser("desktop-entry", help="add Scheduler Studio to the desktop's "
                                                    "application menu (Linux)")
    desktop.set_defaults(run=cmd_desktop_entry)
    stubs = subs.add_parser("stubs", help="write .pyi stubs of the pdg and hou the test cook "
                                          "offers, for your own IDE and type checker")
    stubs.add_argument("folder", metavar="DIR")
    stubs.set_defaults(run=cmd_stubs)
