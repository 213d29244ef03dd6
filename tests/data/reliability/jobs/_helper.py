"""Shared start of the reliability job scripts: the job helper from $PDG_SCRIPTDIR
(where the cook copied it), else the one in the source tree."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
for _folder in (os.environ.get("PDG_SCRIPTDIR", ""),
                os.path.join(_HERE, "..", "..", "..", "..", "engine", "jobhelper")):
    if _folder and os.path.isfile(os.path.join(_folder, "pdgcmd.py")):
        sys.path.insert(0, _folder)
        break

import pdgcmd  # noqa: E402,F401 - re-exported for the job scripts

__all__ = ["pdgcmd", "write_text"]


def write_text(path, text):
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
