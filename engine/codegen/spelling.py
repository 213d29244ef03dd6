"""How render spells what it writes itself: the data layer's constants.

Parse recognises these spellings (the standard imports, the header
docstring, the no-code marker, the working-directory parameter) to know
what render would write again; render writes them. Neither imports the
other for them.
"""
from __future__ import annotations

import ast

METHOD_INDENT = " " * 8
MEMBER_INDENT = " " * 4
NO_CODE_MARKER = "pass  # no code yet"
WORKING_DIR_PARM = "pdg_workingdir"
WORKING_DIR_LABEL = "Working Directory"
CSM_IMPORT = "from pdg.job.callbackserver import CallbackServerMixin"
# The imports render writes, with the names they bind.
STANDARD_IMPORTS = {
    "import json": "json",
    "import pdg": "pdg",
    "from pdg.scheduler import PyScheduler": "PyScheduler",
    CSM_IMPORT: "CallbackServerMixin",
}
HEADER = "\n".join((
    "{label}: a custom PDG scheduler.",
    "",
    "Written with Scheduler Studio. Houdini registers it at start-up when",
    "this file is in a pdg/types folder on HOUDINI_PATH.",
    "",
))


def header_text(label: str) -> str:
    """The module docstring written when the prelude has none."""
    return HEADER.format(label=label)


def is_docstring(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` is a string literal on its own (a docstring)."""
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str))
