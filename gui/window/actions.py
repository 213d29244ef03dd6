"""The window's actions and shortcuts as data, keyed ``context/action``.

Each entry names the menu it lives in, its text, its shortcuts (standard
keys where Qt has one, so each platform gets its usual binding) and the
window method it calls. The editor's own keys (find, zoom, completion) are
in ``scheduler_studio.gui.editor.EDITOR_SHORTCUTS``; the editor claims them while focused.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

_K = QKeySequence.StandardKey
Key = Union[QKeySequence.StandardKey, str]


@dataclass(frozen=True)
class ActionSpec:
    key: str
    menu: str
    text: str
    slot: str  # a window method, or "part.method" of one of its controllers
    shortcuts: tuple[Key, ...] = ()
    tip: str = ""
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file/new", "&File", "&New Scheduler…", "files.new_document", (_K.New,),
               "Start a scheduler from a template"),
    ActionSpec("file/open", "&File", "&Open…", "files.open_file", (_K.Open,),
               "Open any scheduler module"),
    ActionSpec("file/save", "&File", "&Save", "files.save", (_K.Save,)),
    ActionSpec("file/save_as", "&File", "Save &As…", "files.save_as", (_K.SaveAs, "Ctrl+Shift+S")),
    ActionSpec("file/save_to_python", "&File", "Save To &Python…", "files.save_to_python",
               ("Ctrl+E",), "Write the module into a Houdini pdg/types folder"),
    ActionSpec("file/restore_version", "&File", "Restore Previous &Version…",
               "restore_previous_version", (),
               "Bring back a version of this file that a save replaced"),
    ActionSpec("file/copy_path", "&File", "Copy File Pat&h", "files.ide.copy_path", (),
               "Put the module's full path on the clipboard"),
    ActionSpec("file/open_in_ide", "&File", "Open in &IDE", "files.ide.open_in_ide", (),
               "Save, then open the module in your IDE (the desktop's program for .py, "
               "or $SCHEDSTUDIO_IDE); the studio offers its saves here"),
    ActionSpec("file/write_stubs", "&File", "Write pdg/hou S&tubs for Your IDE…",
               "files.ide.write_stubs", (),
               "Write .pyi stubs of pdg and hou so your IDE completes them"),
    ActionSpec("file/keep_bak", "&File", "Also Keep .&bak Beside Saved Files",
               "files.set_keep_bak", (),
               "Besides the studio's own backups, leave NAME.py.bak next to the file",
               checkable=True),
    ActionSpec("file/quit", "&File", "&Quit", "close", (_K.Quit, "Ctrl+Q")),
    ActionSpec("edit/undo", "&Edit", "&Undo", "editors.undo", (_K.Undo,)),
    ActionSpec("edit/redo", "&Edit", "&Redo", "editors.redo", (_K.Redo,)),
    ActionSpec("edit/find", "&Edit", "&Find…", "editors.find", (_K.Find,)),
    ActionSpec("edit/replace", "&Edit", "R&eplace…", "editors.replace", (_K.Replace, "Ctrl+H")),
    ActionSpec("edit/go_to_line", "&Edit", "&Go to Line…", "editors.go_to_line", ("Ctrl+G",)),
    ActionSpec("edit/find_in_module", "&Edit", "Find in &Module…", "navigation.find_in_module",
               ("Ctrl+Shift+F",), "Search every callback, the prelude and the members"),
    ActionSpec("edit/go_to_member", "&Edit", "Go to &Member…", "navigation.go_to_member",
               ("Ctrl+Shift+O",), "Jump to any callback or helper method"),
    ActionSpec("edit/go_to_definition", "&Edit", "Go to &Definition", "editors.go_to_definition",
               ("F12",), "Where the name under the caret is defined in the module"),
    ActionSpec("edit/next_problem", "&Edit", "Next &Problem", "next_problem", ("F8",)),
    ActionSpec("edit/previous_problem", "&Edit", "Previous Pro&blem", "previous_problem",
               ("Shift+F8",)),
    ActionSpec("view/next_tab", "&View", "Next &Tab", "next_tab",
               (_K.NextChild, "Ctrl+PgDown")),
    ActionSpec("view/previous_tab", "&View", "Pre&vious Tab", "previous_tab",
               (_K.PreviousChild, "Ctrl+PgUp")),
    ActionSpec("view/zoom_in", "&View", "Zoom &In", "editors.zoom_in", (_K.ZoomIn, "Ctrl+=")),
    ActionSpec("view/zoom_out", "&View", "Zoom &Out", "editors.zoom_out", (_K.ZoomOut,)),
    ActionSpec("view/zoom_reset", "&View", "&Reset Zoom", "editors.zoom_reset", ("Ctrl+0",)),
    ActionSpec("view/dark_theme", "&View", "&Dark Theme", "set_dark_theme", ("Ctrl+Shift+T",),
               "Switch between the dark and the light theme", checkable=True),
    ActionSpec("view/problems", "&View", "&Problems", "show_problems", ("Ctrl+Shift+M",),
               "Show or hide the Problems list", checkable=True),
    ActionSpec("help/callback", "&Help", "&Help on This Callback", "editors.callback_help",
               (_K.HelpContents, "F1")),
    ActionSpec("help/about", "&Help", "&About Scheduler Studio", "about"),
)

MENUS = ("&File", "&Edit", "&View", "&Help")


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    """The shortcuts of one action, standard keys expanded, duplicates dropped."""
    found: list[QKeySequence] = []
    for key in spec.shortcuts:
        sequences = QKeySequence.keyBindings(key) if isinstance(key, _K) else [QKeySequence(key)]
        for sequence in sequences:
            if not sequence.isEmpty() and sequence not in found:
                found.append(sequence)
    return found


def build_actions(window) -> tuple[dict[str, QAction], dict[str, QMenu]]:
    """QActions on ``window`` for the table, wired to its slots, in its menus (both returned)."""
    menus = {name: window.menuBar().addMenu(name) for name in MENUS}
    actions = {}
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setObjectName(spec.key)
        action.setShortcuts(key_sequences(spec))
        if spec.tip:
            action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        target = window
        for name in spec.slot.split("."):
            target = getattr(target, name)
        if spec.checkable:  # the slot gets the new state
            action.triggered.connect(target)
        else:  # never pass triggered's "checked" to a slot with optional arguments
            action.triggered.connect(lambda _checked=False, slot=target: slot())
        window.addAction(action)
        menus[spec.menu].addAction(action)
        actions[spec.key] = action
    return actions, menus
