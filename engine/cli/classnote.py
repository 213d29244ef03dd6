"""The note a command adds when the module holds several scheduler classes: which one
it cooked, checked or exported, and the option that picks each of the others (the
module's other classes are otherwise never mentioned)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from ..check_sandbox import cooked_class


def classes_note(file: str, verb: str, used: Optional[str] = None,
                 used_type: Optional[str] = None,
                 default: bool = False) -> Optional[tuple[str, int]]:
    """(note, line of the class used) when `file` holds several scheduler classes, else
    None. `verb`: "cooked", "checked", "exported"; `used`: the class it used, or
    `used_type`: the scheduler type it cooked (the class registered as it), or
    `default`: the class a cook takes without --class (`check_sandbox.cooked_class`)."""
    from ..codegen import SchedulerParseError
    from ..codegen.classes import ordered, registered_type
    from ..codegen.source import decode, parse_tree
    path = Path(file)
    try:
        tree = parse_tree(decode((path / "__init__.py" if path.is_dir() else path)
                                 .read_bytes(), file), file)
    except (OSError, SchedulerParseError, ValueError, RecursionError):
        return None  # said by whoever read it
    choices = [(cls, None if call is None else registered_type(tree, cls, call))
               for cls, call in ordered(tree)]
    if len(choices) < 2:
        return None
    types = {cls.name: type_name for cls, type_name in choices}
    if used is None and used_type is not None:
        used = next((cls.name for cls, type_name in choices if type_name == used_type), None)
    if used is None and (default or used_type is not None):
        used = cooked_class(tree)
    head = f"{os.path.basename(os.path.normpath(file))} holds {len(choices)} scheduler classes"
    if used not in types:
        picks = ", ".join(f"--class {cls.name}" for cls, _type in choices)
        return (f"{head} and the module does not say which one a cook uses: {verb} "
                f"them all; pick one with {picks}", choices[0][0].lineno)
    shown = used_type or types[used]
    others = ", ".join(f"{cls.name} (--class {cls.name})" for cls, _type in choices
                       if cls.name != used)
    line = next(cls.lineno for cls, _type in choices if cls.name == used)
    return (f"{head}: {verb} {used}{f' ({shown})' if shown else ''}; also {others}", line)
