"""What a job sees: expanded command tokens, the PDG_* environment, the item data file.

Pure functions over a `JobDirs` record and a work item, shared by the scheduler base
class (``expandCommandTokens``, ``addCommonJobEnvVars``,
``createJobDirsAndSerializeWorkItems``) and the result server (``get_workitem_json``).
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

PDG_DATA_VERSION = 7
_TOKEN = re.compile(r"__PDG_[A-Z0-9_]+__")


@dataclass(frozen=True)
class JobDirs:
    """The directories and addresses a job is told about (remote view)."""

    working: str
    temp: str
    scripts: str
    result_server: str = ""
    shared_root: str = ""


def token_values(dirs: JobDirs, item: Any) -> dict[str, str]:
    index = int(getattr(item, "index", 0)) if item is not None else 0
    values = {
        "__PDG_DIR__": dirs.working,
        "__PDG_TEMP__": dirs.temp,
        "__PDG_SHARED_TEMP__": dirs.temp,
        "__PDG_SCRIPTDIR__": dirs.scripts,
        "__PDG_RESULT_SERVER__": dirs.result_server,
        "__PDG_PYTHON__": sys.executable,
        "__PDG_HYTHON__": os.environ.get("SCHEDSTUDIO_HYTHON", "hython"),
        "__PDG_HFS__": os.environ.get("HFS", ""),
        "__PDG_SHARED_ROOT__": dirs.shared_root or dirs.working,
        "__PDG_INDEX__": str(index),
        "__PDG_INDEX4__": f"{index:04d}",
    }
    if item is not None:
        values["__PDG_ITEM_NAME__"] = item.name
        values["__PDG_ITEM_ID__"] = str(item.id)
    return values


def expand_tokens(text: str, dirs: JobDirs, item: Any) -> str:
    """Replace every known ``__PDG_X__`` token; unknown ones stay as written."""
    if "__PDG_" not in text:
        return text
    values = token_values(dirs, item)
    return _TOKEN.sub(lambda m: values.get(m.group(0), m.group(0)), text)


def job_environment(dirs: JobDirs, item: Any) -> dict[str, str]:
    """The PDG_* variables every job gets (added to, not replacing, the environment)."""
    index = int(item.index)
    return {
        "PDG_RESULT_SERVER": dirs.result_server,
        "PDG_ITEM_NAME": item.name,
        "PDG_ITEM_ID": str(item.id),
        "PDG_DIR": dirs.working,
        "PDG_TEMP": dirs.temp,
        "PDG_SHARED_TEMP": dirs.temp,
        "PDG_SCRIPTDIR": dirs.scripts,
        "PDG_INDEX": str(index),
        "PDG_INDEX4": f"{index:04d}",
        "PDG_JOBID_VAR": "PDG_JOBID",
        "PDG_JOBUSE_PDGNET": "0",
        "PDG_ITEM_DATA_SOURCE": "0",
    }


def item_data(item: Any, scheduler_name: str) -> dict[str, Any]:
    """The work item data file (version 7) that jobs read with the job helper."""
    return {
        "version": PDG_DATA_VERSION,
        "workitem": {
            "nodeName": item.node.name,
            "schedulerName": scheduler_name,
            "id": item.id,
            "name": item.name,
            "index": item.index,
            "frame": item.frame,
            "frameStep": item.frameStep,
            "hasFrame": item.hasFrame,
            "priority": item.priority,
            "state": int(item.state),
            "type": int(item.type),
            "cookType": int(item.cookType),
            "batchIndex": item.batchIndex,
            "isStatic": item.isStatic,
            "customDataType": "",
            "attributes": item.attributes_json(),
        },
    }


def write_item_data(path: str, item: Any, scheduler_name: str) -> None:
    """Write the item's data file in one write, before its job starts (so no reader
    sees it half-written); on failure (a full disk) no scrap is left behind.

    Written in place, not through a temp file and a rename: this runs once per job,
    and on a busy file system every extra directory entry costs as much as the
    spawn of a small process."""
    data = memoryview(json.dumps(item_data(item, scheduler_name)).encode("utf-8"))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        try:
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)  # on some file systems a full disk shows only here
    except BaseException:
        try:
            os.unlink(path)
        except OSError:
            pass
        raise
