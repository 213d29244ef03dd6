"""``schedstudio [FILE.py]``: the editor window; ``--screenshot`` renders it to a PNG.

Arguments are parsed here with argparse; ``build_parser`` is the one place
to add options (the test-cook panel adds ``--cook GRAPH`` next to the
screenshot options and handles it in ``run_window``).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Optional, Sequence

from scheduler_studio.gui.showing import dock_cook_panel, show_window

COOK_TIMEOUT_S = 120.0  # gui.cook.screenshot.COOK_TIMEOUT_S (not imported: no Qt for --help)
EXIT_NOT_OPENED = 4  # --screenshot: the module does not read as a scheduler
EXIT_COOK_TIMEOUT = 5  # --screenshot --cook: the cook ran out of --timeout, was cancelled

__all__ = ["build_parser", "dock_cook_panel", "main", "run_window", "show_window"]


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1280x800") from None
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"{text!r}: sizes go from 200 to 10000 pixels")
    return width, height


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r}: the timeout must be above 0 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="schedstudio",
        description="Write, test-cook and export custom PDG schedulers. Commands: "
                    "cook, check, graphs, new, export (`schedstudio --help` lists them).")
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE.py",
                        help="a scheduler module to open (default: a new one from the "
                             "local template)")
    parser.add_argument("--theme", metavar="NAME", help="colour theme: dark or light")
    shots = parser.add_argument_group("screenshots")
    shots.add_argument("--screenshot", metavar="PNG", type=Path,
                       help="render the window to PNG (offscreen) and exit")
    shots.add_argument("--open", metavar="FILE.py", type=Path, dest="open_file",
                       help="the module to show (same as FILE.py)")
    shots.add_argument("--tab", metavar="NAME", help="the tab to show, e.g. 'File Paths'")
    shots.add_argument("--size", metavar="WxH", type=_size, help="window size, e.g. 1280x800")
    shots.add_argument("--cook", metavar="GRAPH",
                       help="with --screenshot: test-cook GRAPH first, wait for the end")
    shots.add_argument("--static", action="store_true", help="with --cook: a static cook")
    shots.add_argument("--timeout", metavar="S", type=_seconds, default=None,
                       help="with --cook: cancel a cook still running after S seconds "
                            f"(default {COOK_TIMEOUT_S:g}) and take the picture; exit "
                            f"code {EXIT_COOK_TIMEOUT}")
    return parser


# what the xcb and offscreen platform plugins print for every window shown (their
# QPlatformWindow lacks propagateSizeHints): harmless, and it buried real messages
_HARMLESS_QT_MESSAGES = frozenset({"This plugin does not support propagateSizeHints()"})
_qt_messages = {"installed": False, "previous": None}


_PLATFORM_FAILED = "platform plugin"   # in Qt's fatal "no Qt platform plugin could be initialized"
EXIT_NO_PLATFORM = 3


def _explain_platform_failure() -> None:
    """Qt is about to abort (exit 134, a core file) with a message that names
    xcb-cursor whatever is missing: say what is, as `doctor` would, and exit instead."""
    try:
        from scheduler_studio.engine.doctor import platform_failure_help
        sys.stderr.write(platform_failure_help())
    except Exception:  # noqa: BLE001 - the advice must not hide Qt's own message
        sys.stderr.write("schedstudio: run `schedstudio doctor` to see what is missing\n")
    sys.stderr.flush()
    os._exit(EXIT_NO_PLATFORM)


def _filter_qt_messages() -> None:
    """Drop `_HARMLESS_QT_MESSAGES`; hand every other Qt message on unchanged."""
    if _qt_messages["installed"]:
        return
    from PySide6.QtCore import QtMsgType, qFormatLogMessage, qInstallMessageHandler

    def handler(kind, context, message) -> None:
        if message in _HARMLESS_QT_MESSAGES:
            return
        previous = _qt_messages["previous"]
        if previous is not None:
            previous(kind, context, message)
        else:  # Qt's own default: the formatted message on stderr
            sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")
            sys.stderr.flush()
        if kind == QtMsgType.QtFatalMsg and _PLATFORM_FAILED in message:
            _explain_platform_failure()   # Qt aborts next: say what is wrong, and exit
    _qt_messages["previous"] = qInstallMessageHandler(handler)
    _qt_messages["installed"] = True


def _application():
    from PySide6.QtWidgets import QApplication

    _filter_qt_messages()
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "schedstudio"])
        app.setStyle("Fusion")  # palettes (themes) look the same on every platform
    from PySide6.QtGui import QIcon

    from scheduler_studio.engine.package_files import DESKTOP_ID, resource_file
    from scheduler_studio.gui.window.settings import APPLICATION, ORGANIZATION

    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(DESKTOP_ID)  # Wayland and the task bar match it to the launcher
    app.setWindowIcon(QIcon(str(resource_file("icons", f"{DESKTOP_ID}.svg"))))
    return app


def _initial_document(path: Optional[Path], cache_dir: Optional[Path] = None,
                      settings=None):
    """(document, path, error message, raw module) for the file asked for on the
    command line (on the scheduler class chosen in it last time, kept in `settings`);
    without one, the local template (read through ``cache_dir`` when
    given). A module that does not parse comes back as a RawModule (shown whole, its
    error marked: ``raw_text``) with the error said; one that is not text at all, or
    cannot be read, as the error alone."""
    if path is None:
        from scheduler_studio.gui.window.templates import template_document

        return template_document(cache_dir=cache_dir), None, "", None
    from scheduler_studio.engine.codegen import SchedulerParseError
    from scheduler_studio.gui.window.class_memory import remembered_class
    from scheduler_studio.gui.window.file_ops import read_chosen
    from scheduler_studio.gui.window.settings import SettingsStore, app_settings

    try:
        data = path.read_bytes()
        store = SettingsStore(settings if settings is not None else app_settings())
        return read_chosen(data, path, remembered_class(store, path)), path, "", None
    except SchedulerParseError as exc:
        error = f"{exc.filename}, line {exc.line}: {exc.message}"
        from scheduler_studio.gui.window.raw_text import raw_module

        try:
            return None, path, error, raw_module(data, str(path), exc)
        except SchedulerParseError:
            return None, None, error, None
    except OSError as exc:
        return None, None, f"Could not read {path}: {exc.strerror or exc}", None


def run_window(args, settings=None, data_dir=None) -> int:
    """Show the window for parsed ``args``; returns the exit code."""
    from scheduler_studio.gui.main_window import MainWindow

    app = _application()
    cache_dir = None
    if data_dir is None:  # the user's own session (not a screenshot's temporary one)
        from scheduler_studio.engine.appdirs import cache_dir as studio_cache_dir

        cache_dir = studio_cache_dir()
    document, path, error, raw = _initial_document(args.open_file or args.file, cache_dir,
                                                   settings)
    if args.screenshot and error and raw is None:  # nothing of the file to show
        print(f"schedstudio: cannot open the module: {error}", file=sys.stderr)
        return EXIT_NOT_OPENED
    window = MainWindow(document, path, settings=settings, data_dir=data_dir, theme=args.theme,
                        raw=raw)
    if args.screenshot:
        code = _screenshot(window, args)
        if raw is not None and code == 0:
            print(f"schedstudio: {error} — the module does not read as a scheduler; the "
                  "picture shows it whole, its error marked", file=sys.stderr)
            if args.cook:
                print(f"schedstudio: --cook {args.cook} skipped: a module that does not "
                      "read as a scheduler cannot be cooked", file=sys.stderr)
            return EXIT_NOT_OPENED
        return code
    if args.size:
        window.resize(*args.size)
    show_window(window, "" if raw is not None else error, offer_recovery=True)  # the file's autosaves, or all
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C in the terminal ends the app
    return app.exec()


def _screenshot(window, args) -> int:
    from scheduler_studio.gui.window import screenshot

    page = None
    if args.tab:
        page = screenshot.find_page(args.tab)
        if page is None:
            from scheduler_studio.gui.window.fields import PAGES

            print(f"schedstudio: no tab {args.tab!r}; tabs: {', '.join(PAGES)}", file=sys.stderr)
            window.shutdown()
            return 2
    try:
        if args.cook and window.document_model.raw() is not None:  # nothing to cook
            ok = screenshot.take(window, args.screenshot, None, args.size)
        elif args.cook:
            from scheduler_studio.gui.cook.screenshot import cook_then_screenshot

            if args.size:
                window.resize(*args.size)
            ok = cook_then_screenshot(window, args.cook, args.screenshot, static=args.static,
                                      timeout_s=args.timeout or COOK_TIMEOUT_S)
            if ok and ok.timed_out:
                print(f"schedstudio: the cook of {args.cook} was still running after "
                      f"{args.timeout or COOK_TIMEOUT_S:g} s (--timeout): it was cancelled "
                      "and the picture shows it then", file=sys.stderr)
        else:  # a tab's picture: the editor at the size asked for, without the panel
            ok = screenshot.take(window, args.screenshot, page, args.size)
    finally:
        window.document_model.mark_saved(window.document_model.path() or Path("screenshot.py"))
        window.close()
    if window.startup_error:  # said on stderr: the picture would show empty pages
        from scheduler_studio.gui.editor.component import EXIT_NO_EDITOR

        Path(args.screenshot).unlink(missing_ok=True)
        return EXIT_NO_EDITOR
    if not ok:
        why = "the cook could not start" if getattr(ok, "started", True) is False else \
            f"could not write {args.screenshot}"
        print(f"schedstudio: {why}", file=sys.stderr)
        return 1
    return EXIT_COOK_TIMEOUT if getattr(ok, "timed_out", False) else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.screenshot is None:
        return run_window(args)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="schedstudio-shot-") as temp:
        from scheduler_studio.gui.window.settings import ini_settings

        # Screenshots never read or change the user's settings and autosaves.
        settings = ini_settings(Path(temp) / "settings.ini")
        code = run_window(args, settings=settings, data_dir=Path(temp) / "data")
        _settle(settings)
        return code


def _settle(settings) -> None:
    """Let what the closed window still had queued (a zero timer saving breakpoints, a
    deferred delete) run now and write its settings, while their folder is still there:
    run later, in-process (tests), QSettings would make the removed folder again."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    settings.sync()


if __name__ == "__main__":
    sys.exit(main())
