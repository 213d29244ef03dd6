"""Fixtures for the editor tests: shown editors, a fake `pdg`, a completion provider.

Every fixture leaves nothing running: the provider's pool is drained and the
editor's own QTimers must be idle when a test ends.
"""
from __future__ import annotations

import textwrap
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from scheduler_studio.gui.editor import CodeEditor, CompletionProvider


def _assert_no_active_timers(widget) -> None:
    active = [t for t in widget.findChildren(QTimer) if t.isActive()]
    assert not active, f"timers left running: {active}"


@pytest.fixture
def make_editor(qtbot):
    """Factory for shown CodeEditors; checks their timers are idle at the end."""
    made = []

    def make(text: str = "", theme: str = "light", size=(640, 360)) -> CodeEditor:
        editor = CodeEditor(theme=theme)
        qtbot.addWidget(editor)
        editor.resize(*size)
        editor.set_text(text)
        editor.show()
        qtbot.waitExposed(editor)
        editor.activateWindow()
        QWidget.setFocus(editor)  # ScintillaEdit.setFocus is SCI_SETFOCUS, not Qt's
        made.append(editor)
        return editor

    yield make
    for editor in made:
        _assert_no_active_timers(editor)


@pytest.fixture
def editor(make_editor) -> CodeEditor:
    return make_editor()


FAKE_PDG = {
    "pdg/__init__.py": '''
        """A tiny stand-in for the emulated pdg package."""
        from pdg.workitem import WorkItem


        class scheduleResult:
            Succeeded = 0
            Failed = 1
        ''',
    "pdg/workitem.py": '''
        class WorkItem:
            """One unit of work."""

            def __init__(self):
                self.name = ""
                self.index = 0

            def addOutputFile(self, path: str, tag: str = "", own: bool = False) -> None:
                """Declare an output file."""

            def attribValue(self, name: str, index: int = 0):
                """Read an attribute."""
        ''',
    "pdg/scheduler.py": '''
        class PyScheduler:
            """Base of Python schedulers."""

            def workItemResultServerAddr(self) -> str:
                return ""

            def onWorkItemSucceeded(self, id_or_name, index=-1, cook_duration=0.0) -> None:
                pass
        ''',
}


@pytest.fixture
def fake_pdg(tmp_path):
    """A folder holding a small `pdg` package, for jedi's sys.path."""
    root = tmp_path / "compat"
    for name, body in FAKE_PDG.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return root


@pytest.fixture
def provider(fake_pdg):
    """A CompletionProvider over the fake pdg; its pool is drained at the end."""
    prov = CompletionProvider(sys_path_extra=[str(fake_pdg)])
    yield prov
    prov.shutdown()
    assert prov.wait_for_done(5000)
