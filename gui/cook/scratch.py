"""Scratch space of the cook panel: the rendered module and default working folders.

The cook runs the module exactly as Save To Python writes it, so each cook writes the
rendered text to a file here. When the user sets no working directory, each cook gets a
fresh folder here too; the previous one is removed when the next cook starts (its logs
stay readable until then), and everything goes when the panel closes.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from typing import Optional

MODULE_NAME = "scheduler_under_test.py"


class CookScratch:
    def __init__(self) -> None:
        self._root: Optional[str] = None
        self._workdir: Optional[str] = None

    @property
    def root(self) -> str:
        if self._root is None or not os.path.isdir(self._root):
            self._root = tempfile.mkdtemp(prefix="schedstudio-panel-")
        return self._root

    def write_module(self, text: str) -> str:
        """Write the module text for the next cook; returns its path."""
        path = os.path.join(self.root, MODULE_NAME)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
        return path

    def new_workdir(self) -> str:
        """A fresh working directory for a cook; drops the previous one."""
        self.drop_workdir()
        self._workdir = tempfile.mkdtemp(prefix="cook-", dir=self.root)
        return self._workdir

    def drop_workdir(self) -> None:
        """Remove the last cook's folder on a thread: a big cook's takes long to delete,
        and the click that starts the next cook must not wait for the disk."""
        if self._workdir:
            threading.Thread(target=shutil.rmtree, args=(self._workdir, True),
                             name="drop-workdir", daemon=True).start()
            self._workdir = None

    def cleanup(self, background: bool = False) -> None:
        """Remove the whole scratch space. `background`: the folder is renamed aside at
        once (its path is gone on return) and deleted on a thread, so a big cook's
        folder does not hold the GUI thread; not a daemon thread: an app quitting
        waits for it at interpreter exit instead of leaving the folder in /tmp."""
        root, self._root, self._workdir = self._root, None, None
        if not root:
            return
        if not background:
            shutil.rmtree(root, ignore_errors=True)
            return
        doomed = root + ".gone"   # the root is mkdtemp's: no one else has that name
        try:
            os.rename(root, doomed)
        except OSError:   # cannot rename it aside: deleted where it is
            doomed = root
        threading.Thread(target=shutil.rmtree, args=(doomed, True),
                         name="scratch-cleanup", daemon=False).start()
