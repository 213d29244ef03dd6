"""``schedstudio doctor`` names what a machine lacks: tried on this machine, and on one
made to miss a library (an ``ldd`` that cannot find libxcb-cursor) or its fonts."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler_studio.engine import doctor

LDD = shutil.which("ldd")
needs_ldd = pytest.mark.skipif(LDD is None or not sys.platform.startswith("linux"),
                               reason="the Qt plugin check reads ldd (Linux)")


def _doctor(env, cwd):
    return subprocess.run([sys.executable, "-m", "scheduler_studio.engine.cli", "doctor"], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _fake_tool(folder: Path, name: str, script: str) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


@needs_ldd
def test_this_machine_has_what_make_test_needs(tmp_path):
    # `make test` needs the offscreen plugin's libraries (the README's first line); the
    # window's X11 libraries (its second line, for `make run`) may be missing here
    result = _doctor({**os.environ, "QT_QPA_PLATFORM": "offscreen"}, tmp_path)
    out = result.stdout
    for line in ("ok      Python: 3.", "ok      Qt platform plugin offscreen",
                 "ok      editor component"):
        assert line in out
    if "missing Qt platform plugin xcb" in out:
        assert result.returncode == 1 and "Nothing is missing." not in out
        assert "To install what is missing:" in out
        if doctor.os_family() == "apt":
            assert "Debian/Ubuntu: sudo apt-get install -y libxcb" in out
    else:
        assert result.returncode == 0, out
        assert "ok      Qt platform plugin xcb: all libraries found" in out
        assert "Nothing is missing." in out


@needs_ldd
def test_a_missing_library_is_named_with_its_package(tmp_path):
    bin_dir = tmp_path / "bin"
    _fake_tool(bin_dir, "ldd", f'{LDD} "$@" | sed "s|libxcb-cursor.so.0 => .*|'
                               'libxcb-cursor.so.0 => not found|"\n')
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = _doctor(env, tmp_path)
    assert result.returncode == 1
    out = result.stdout
    assert "missing Qt platform plugin xcb: for the window on X11 (make run): " \
           "missing libxcb-cursor.so.0" in out
    assert "ok      Qt platform plugin offscreen" in out  # the tests would still run
    if doctor.os_family() == "apt":
        assert "Debian/Ubuntu: sudo apt-get install -y libxcb-cursor0" in out
    assert "Nothing is missing." not in out


def test_no_fonts_is_named(tmp_path, monkeypatch):
    _fake_tool(tmp_path, "fc-list", "exit 0\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    report = doctor.Report()
    doctor.check_fonts(report)
    assert [(f.status, f.detail) for f in report.findings] == \
        [("missing", "no fonts installed: the window would show no text")]
    text = doctor.render(report, "dnf")
    assert "Rocky/Alma: sudo dnf install -y fonts-dejavu-core" not in text
    assert "Rocky/Alma: sudo dnf install -y dejavu-sans-mono-fonts" in text
    assert "Debian/Ubuntu" not in text


def test_both_families_get_their_own_package_names():
    report = doctor.Report()
    libs = doctor.missing_libraries("\tlibxcb-icccm.so.4 => not found\n"
                                    "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x7f)\n"
                                    "\tlibxcb-keysyms.so.1 => not found\n"
                                    "\tlibxcb-icccm.so.4 => not found\n")  # ldd repeats
    assert libs == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    report.add(doctor.MISSING, "x", "y", tuple(doctor.LIBRARY_PACKAGES[lib] for lib in libs))
    assert report.packages("apt") == ["libxcb-icccm4", "libxcb-keysyms1"]
    assert report.packages("dnf") == ["xcb-util-wm", "xcb-util-keysyms"]


def test_an_old_python_is_named():
    report = doctor.Report()
    doctor.check_python(report, (3, 10, 12))
    assert report.findings[0].status == "missing"
    assert "3.10.12: the studio needs Python 3.11 or newer" in report.findings[0].detail


def test_an_editor_component_that_does_not_import_is_named():
    def failing(cmd):
        return subprocess.CompletedProcess(cmd, 1, "", "ImportError: built for 6.11\n")

    report = doctor.Report()
    doctor.check_pins(report, failing)
    last = report.findings[-1]
    assert (last.status, last.what) == ("missing", "editor component")
    assert "ImportError: built for 6.11" in last.detail


@pytest.mark.parametrize("env, status, words", [
    ({"QT_QPA_PLATFORM": "offscreen"}, "ok", "not needed"),
    ({}, "warn", "DISPLAY and WAYLAND_DISPLAY are unset"),
    ({"DISPLAY": ":9173"}, "warn", "no X server listens"),
    ({"DISPLAY": "farmhost:0"}, "ok", "remote display"),
])
def test_the_display(env, status, words):
    report = doctor.Report()
    doctor.check_display(report, env)
    assert report.findings[0].status == status and words in report.findings[0].detail


def test_the_family_comes_from_os_release(tmp_path):
    release = tmp_path / "os-release"
    release.write_text('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n')
    assert doctor.os_family(release) == "dnf"
    release.write_text("ID=ubuntu\nID_LIKE=debian\n")
    assert doctor.os_family(release) == "apt"
    assert doctor.os_family(tmp_path / "none") == ""


@needs_ldd
def test_a_window_that_cannot_load_its_platform_plugin_says_why_and_exits_3(tmp_path):
    """Qt's own words blame xcb-cursor whatever is wrong, then abort (exit 134): the
    window says what is (here a missing library and a display nobody serves, as doctor
    would) and exits 3."""
    bin_dir = tmp_path / "bin"
    _fake_tool(bin_dir, "ldd", f'{LDD} "$@" | sed "s|libxcb-icccm.so.4 => .*|'
                               'libxcb-icccm.so.4 => not found|"\n')
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",
                                                            "WAYLAND_DISPLAY")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", DISPLAY=":987",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path), SCHEDSTUDIO_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "scheduler_studio.gui.launcher"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr[-2000:]
    err = result.stderr
    assert "schedstudio: the window cannot start: Qt could not load its platform plugin" in err
    assert "DISPLAY=:987 but no X server listens there" in err
    assert "missing libxcb-icccm.so.4" in err
    assert "schedstudio doctor" in err
    assert not list(tmp_path.glob("core*"))
