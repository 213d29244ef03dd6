"""Shared start of the sample job scripts: find the job helper, parse common flags.

Jobs import `pdgcmd` from the job's scripts dir ($PDG_SCRIPTDIR), as Houdini jobs do;
when run by hand they fall back to the copy in the studio's source tree.
"""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
for _folder in (os.environ.get("PDG_SCRIPTDIR", ""),
                os.path.join(_HERE, "..", "..", "engine", "jobhelper")):
    if _folder and os.path.isfile(os.path.join(_folder, "pdgcmd.py")):
        sys.path.insert(0, _folder)
        break

import pdgcmd  # noqa: E402


def write_text(path, text):
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def report_output(path, tag="file/text"):
    """Tell PDG about a produced file; without a result server this only prints."""
    pdgcmd.addOutputFile(path, result_data_tag=tag, raise_exc=False)
