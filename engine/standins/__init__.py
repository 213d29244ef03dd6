"""Stand-ins for what only the farm has, so a farm scheduler can be test-cooked here.

* **Stand-in folders**: ``NAME.standins/`` beside the scheduler module (or package), and
  any folder given with ``--standins DIR``. They come first on ``sys.path`` (a ``af.py``
  there is the ``af`` the scheduler imports) and first on ``PATH`` (a ``rush`` or
  ``deadlinecommand`` there is what the scheduler and its jobs run).
* **Recording stand-ins**: ``--stub MODULE`` (``'*'``: every import the scheduler makes
  that this machine cannot satisfy) gives a `RecordingModule` whose calls go to the
  callback trace.

`install` sets both up for this process; `used` lists what the cook used (the summary's
``stand_ins``); `missing_import` explains an import nobody could satisfy.
"""
from __future__ import annotations

from .finder import (EVERY_MISSING, StandIns, active, folder_beside, install,
                     used)
from .missing import missing_import
from .recorder import Book, RecordedCall, Recorder, RecordingModule

__all__ = ["StandIns", "install", "used", "missing_import", "folder_beside", "RecordedCall",
           "Recorder", "RecordingModule", "EVERY_MISSING", "active", "Book"]
