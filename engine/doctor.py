"""``schedstudio doctor``: what this machine lacks to run the studio, named.

Checks Python, the three pinned packages (and that the editor component imports, in a
child process: the engine never loads Qt), the system libraries of Qt's platform
plugins (``ldd``: ``xcb`` for the window, ``offscreen`` for the tests), fonts and the
display. Each missing library is named with the Debian/Ubuntu and Rocky/Alma package
that provides it, and the install command for this machine's family is printed.
"""
from __future__ import annotations

import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

OK, WARN, MISSING = "ok", "warn", "missing"
MIN_PYTHON = (3, 11)
MIN_GLIBC = (2, 34)
PINS = {"PySide6-Essentials": "6.11.", "pyside6-scintilla": "5.6.3.7", "lexilla": "5.5.0.1"}
PLUGINS = {"xcb": "the window on X11 (make run)", "offscreen": "headless tests (make test)"}
FONT_PACKAGES = ("fonts-dejavu-core", "dejavu-sans-mono-fonts")

# library soname -> (Debian/Ubuntu package, Rocky/Alma package)
LIBRARY_PACKAGES = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXext.so.6": ("libxext6", "libXext"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libGL.so.1": ("libgl1", "mesa-libGL"),
    "libEGL.so.1": ("libegl1", "mesa-libEGL"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}


@dataclass
class Finding:
    status: str          # OK, WARN or MISSING
    what: str            # "Python", "Qt platform plugin xcb", "fonts", ...
    detail: str
    packages: tuple[tuple[str, str], ...] = ()   # (apt, dnf) names that would fix it


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.findings.append(Finding(*args, **kwargs))

    @property
    def missing(self) -> list[Finding]:
        return [f for f in self.findings if f.status == MISSING]

    def packages(self, family: str) -> list[str]:
        """The distinct packages to install, for "apt" or "dnf"."""
        index = 0 if family == "apt" else 1
        names: list[str] = []
        for finding in self.findings:
            for pair in finding.packages:
                if pair[index] not in names:
                    names.append(pair[index])
        return names


Runner = Callable[[list[str]], subprocess.CompletedProcess]


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


# -- the checks -----------------------------------------------------------------------
def check_python(report: Report, version: tuple = tuple(sys.version_info[:3])) -> None:
    shown = ".".join(map(str, version))
    if tuple(version[:2]) >= MIN_PYTHON:
        report.add(OK, "Python", f"{shown} at {sys.executable}")
    else:
        report.add(MISSING, "Python", f"{shown}: the studio needs Python 3.11 or newer")
    libc, libc_version = platform.libc_ver()
    if sys.platform.startswith("linux") and libc == "glibc":
        parts = tuple(int(p) for p in re.findall(r"\d+", libc_version)[:2])
        if parts >= MIN_GLIBC:
            report.add(OK, "glibc", libc_version)
        else:
            report.add(MISSING, "glibc", f"{libc_version}: the pinned Qt and Scintilla wheels "
                                         "need glibc 2.34 or newer")


def _shown(wanted: str) -> str:
    return wanted + "*" if wanted.endswith(".") else wanted


def check_pins(report: Report, runner: Runner = _run) -> None:
    from importlib.metadata import PackageNotFoundError, version

    for name, wanted in PINS.items():
        try:
            have = version(name)
        except PackageNotFoundError:
            report.add(MISSING, name, f"not installed (the studio needs {_shown(wanted)})")
            continue
        good = have.startswith(wanted) if wanted.endswith(".") else have == wanted
        report.add(OK if good else MISSING, name, have if good else
                   f"{have} installed; the studio is pinned to {_shown(wanted)}")
    probe = "import pyside6_scintilla, lexilla; from pyside6_scintilla import ScintillaEdit"
    result = runner([sys.executable, "-P", "-c", probe])
    if result.returncode == 0:
        report.add(OK, "editor component", "Scintilla and Lexilla import")
    else:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        report.add(MISSING, "editor component", f"does not import: {last}")


def qt_plugin(name: str) -> Optional[Path]:
    """The Qt platform plugin library ``name`` of the installed PySide6 (not imported)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "Qt" / "plugins" / "platforms"
    found = sorted(folder.glob(f"libq{name}.so*")) + sorted(folder.glob(f"qq{name}.dll"))
    return found[0] if found else None


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` could not find, each once (ldd lists one per library needing it)."""
    found = re.finditer(r"^\s*(\S+)\s*=>\s*not found", ldd_output, re.M)
    return list(dict.fromkeys(m.group(1) for m in found))


def check_plugins(report: Report, runner: Runner = _run) -> None:
    if not sys.platform.startswith("linux"):
        report.add(OK, "Qt platform plugins", f"not checked on {sys.platform}")
        return
    ldd = shutil.which("ldd")
    for name, purpose in PLUGINS.items():
        path = qt_plugin(name)
        what = f"Qt platform plugin {name}"
        if path is None:
            report.add(MISSING, what, "not found in the installed PySide6-Essentials")
            continue
        if ldd is None:
            report.add(WARN, what, "ldd is not installed: its libraries were not checked")
            continue
        result = runner([ldd, str(path)])
        lost = missing_libraries(result.stdout + result.stderr)
        if lost:
            packages = tuple(LIBRARY_PACKAGES.get(lib, (f"(the package with {lib})",) * 2)
                             for lib in lost)
            report.add(MISSING, what, f"for {purpose}: missing {', '.join(lost)}", packages)
        else:
            report.add(OK, what, f"all libraries found ({path.name})")


def font_files(folders: Iterable[Path]) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in folder.rglob("*")
            if p.suffix.lower() in (".ttf", ".otf", ".ttc", ".pcf", ".gz") and p.is_file()]


def check_fonts(report: Report, runner: Runner = _run) -> None:
    if not sys.platform.startswith("linux"):
        report.add(OK, "fonts", f"not checked on {sys.platform}")
        return
    fc_list = shutil.which("fc-list")
    if fc_list:  # fontconfig's own answer: what Qt will find
        result = runner([fc_list, ":", "family"])
        names = sorted({line.split(",")[0].strip() for line in result.stdout.splitlines()
                        if line.strip()})
        counted = f"{len(names)} families"
    else:  # no fontconfig tools: look in its usual folders
        home = Path.home()
        folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                   home / ".local" / "share" / "fonts", home / ".fonts"]
        names = sorted(p.name for p in font_files(folders))
        counted = f"{len(names)} font files"
    if not names:
        report.add(MISSING, "fonts", "no fonts installed: the window would show no text",
                   (FONT_PACKAGES,))
        return
    mono = [f for f in names if "mono" in f.lower()]
    report.add(OK if mono else WARN, "fonts",
               counted + (f"; monospace: {mono[0]}" if mono else
                          "; no monospace font for the code editors"),
               () if mono else (FONT_PACKAGES,))


def check_display(report: Report, environ: Optional[dict] = None) -> None:
    env = os.environ if environ is None else environ
    platform_name = env.get("QT_QPA_PLATFORM", "")
    if platform_name in ("offscreen", "minimal"):
        report.add(OK, "display", f"not needed (QT_QPA_PLATFORM={platform_name})")
        return
    if not sys.platform.startswith("linux"):
        report.add(OK, "display", f"not checked on {sys.platform}")
        return
    wayland, display = env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", "")
    if wayland:
        runtime = env.get("XDG_RUNTIME_DIR", "")
        socket = Path(wayland) if os.path.isabs(wayland) else Path(runtime) / wayland
        if socket.exists():
            report.add(OK, "display", f"Wayland {wayland}")
            return
        report.add(WARN, "display", f"WAYLAND_DISPLAY={wayland} but {socket} does not exist")
    if display:
        local = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
        if local is None:
            report.add(OK, "display", f"X11 {display} (a remote display: not checked)")
        elif Path(f"/tmp/.X11-unix/X{local.group(1)}").exists():
            report.add(OK, "display", f"X11 {display}")
        else:
            report.add(WARN, "display", f"DISPLAY={display} but no X server listens there")
        return
    if not wayland:
        report.add(WARN, "display", "none (DISPLAY and WAYLAND_DISPLAY are unset): the "
                                    "window needs a desktop session or xvfb-run; "
                                    "`make test` and --screenshot run offscreen")


def diagnose(runner: Runner = _run, environ: Optional[dict] = None) -> Report:
    report = Report()
    check_python(report)
    check_pins(report, runner)
    check_plugins(report, runner)
    check_fonts(report, runner)
    check_display(report, environ)
    return report


def os_family(os_release: Path = Path("/etc/os-release")) -> str:
    """"apt" (Debian, Ubuntu), "dnf" (Rocky, Alma, RHEL, Fedora) or "" (other)."""
    try:
        text = os_release.read_text(encoding="utf-8")
    except OSError:
        return ""
    ids = " ".join(re.findall(r"^(?:ID|ID_LIKE)=\"?([^\"\n]*)", text, re.M)).split()
    if {"debian", "ubuntu"} & set(ids):
        return "apt"
    if {"rhel", "fedora", "centos", "rocky", "almalinux"} & set(ids):
        return "dnf"
    return ""


def render(report: Report, family: str = "") -> str:
    """The report as the user reads it, with the install line for what is missing."""
    lines = [f"{finding.status:8}{finding.what}: {finding.detail}" for finding in report.findings]
    wanted = {fam: report.packages(fam) for fam in ("apt", "dnf")}
    if wanted["apt"]:
        lines.append("")
        lines.append("To install what is missing:")
        for fam, command in (("apt", "sudo apt-get install -y"), ("dnf", "sudo dnf install -y")):
            if not family or family == fam:
                label = {"apt": "Debian/Ubuntu", "dnf": "Rocky/Alma"}[fam]
                lines.append(f"  {label}: {command} {' '.join(wanted[fam])}")
    if not report.missing:
        lines.append("")
        lines.append("Nothing is missing.")
    return "\n".join(lines)


def platform_failure_help(environ: Optional[dict] = None, runner: Runner = _run) -> str:
    """What to tell a user whose window could not start because Qt could not load its
    platform plugin (Qt's own message blames xcb-cursor whatever is missing): the
    display and plugin findings that are not OK, the install line, and `doctor`."""
    report = Report()
    check_plugins(report, runner)
    check_display(report, environ)
    shown = Report([f for f in report.findings if f.status != OK])
    lines = ["schedstudio: the window cannot start: Qt could not load its platform plugin."]
    if shown.findings:
        lines += [""] + [line for line in render(shown, os_family()).splitlines()
                         if line and line != "Nothing is missing."]
    lines += ["", "Run `schedstudio doctor` for the whole check; `--screenshot` and "
              "`make test` run offscreen (no display needed)."]
    return "\n".join(lines).rstrip() + "\n"
