"""The editor component (Scintilla through pyside6-scintilla, with Lexilla): loaded once,
or a clear error naming the three packages that must be installed together.

The scintilla wheel is built against one PySide6 minor; with another one (PySide6 6.12
is published) its import fails. The window then cannot make a single editor, so it says
why and ends with ``EXIT_NO_EDITOR`` instead of showing empty pages.
"""
from __future__ import annotations

PINS = ("PySide6-Essentials 6.11.*", "pyside6-scintilla 5.6.3.7", "lexilla 5.5.0.1")
REINSTALL = "pip install 'PySide6-Essentials==6.11.*' 'pyside6-scintilla==5.6.3.7' " \
            "'lexilla==5.5.0.1'"
EXIT_NO_EDITOR = 3
_loaded = False


class EditorComponentError(RuntimeError):
    """Scintilla or Lexilla cannot be loaded; the message says what to install."""


def installed_versions() -> dict[str, str]:
    """The installed version of each pinned distribution ("not installed" if absent)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for pin in PINS:
        name = pin.split()[0]
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def explain(reason: object) -> str:
    """The message for a component that failed to load because of ``reason``."""
    installed = ", ".join(f"{name} {ver}" for name, ver in installed_versions().items())
    return (f"The code editor component cannot be loaded: {reason}\n"
            f"Scheduler Studio needs these three installed together: {', '.join(PINS)}.\n"
            f"This environment has: {installed}.\n"
            f"Install the pinned versions into the studio's own environment:\n  {REINSTALL}")


def load() -> None:
    """Import Scintilla and Lexilla (once); raise EditorComponentError if they cannot be."""
    global _loaded
    if _loaded:
        return
    try:
        import lexilla.pyside6_scintilla
        import pyside6_scintilla

        pyside6_scintilla.ScintillaEdit, lexilla.create_lexer  # what the editors use
    except Exception as exc:  # ImportError, or OSError/AttributeError from a broken binary
        raise EditorComponentError(explain(f"{type(exc).__name__}: {exc}")) from exc
    _loaded = True


def report_and_exit(parent, message: str) -> None:
    """Say why the window has no editors (stderr, and a dialog on a real screen), then
    end the event loop with ``EXIT_NO_EDITOR``."""
    import sys

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    print(f"schedstudio: {message}", file=sys.stderr)
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        QMessageBox.critical(parent, "Scheduler Studio cannot start", message)
    QApplication.exit(EXIT_NO_EDITOR)
