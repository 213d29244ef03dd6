"""PDG's enumerations with the names and integer values Houdini uses.

Values match Houdini's `pdg` module so that JSON files and logs read the same in both.
They are plain IntEnums: a scheduler compares them with `==` or `is`, as real code does.
"""
from __future__ import annotations

from enum import IntEnum


class scheduleResult(IntEnum):
    """What onSchedule says about a work item it was offered."""

    Succeeded = 0
    Failed = 1
    Deferred = 2
    FullDeferred = 3
    CookSucceeded = 4
    CookFailed = 5
    CookCanceled = 6
    SucceededBatch = 7


class tickResult(IntEnum):
    """What onTick says about the next scheduling round."""

    SchedulerReady = 0
    SchedulerBusy = 1
    SchedulerCancelCook = 2


class acceptResult(IntEnum):
    """onAcceptWorkItem's answer: may this scheduler take the item."""

    Accept = 0
    Default = 1
    Reject = 2


class workItemState(IntEnum):
    """Life cycle of a work item; the integers are the ones PDG writes to JSON."""

    Undefined = 0
    Dirty = 1
    Uncooked = 2
    Waiting = 3
    Scheduled = 4
    Cooking = 5
    CookedSuccess = 6
    CookedCache = 7
    CookedFail = 8
    CookedCancel = 9


class workItemType(IntEnum):
    Regular = 0
    Batch = 1
    Partition = 2


class workItemCookType(IntEnum):
    Invalid = 0
    Generate = 1
    InProcess = 2
    OutOfProcess = 3
    Service = 4


class attribType(IntEnum):
    """Attribute types with the integers of the work item data file."""

    Undefined = -1
    Int = 0
    Float = 1
    String = 2
    File = 3
    PyObject = 4
    Geometry = 5
    Dict = 6


class attribFlag(IntEnum):
    NoFlags = 0
    NoCopy = 1
    EnforceType = 2
    ReadOnly = 4
    Internal = 8
    Operator = 16


class platform(IntEnum):
    Undefined = 0
    Linux = 1
    Windows = 2
    MacOS = 3


class serviceState(IntEnum):
    Stopped = 0
    Starting = 1
    Running = 2
    Stopping = 3


class fileTransferType(IntEnum):
    WorkingDir = 0
    TempDir = 1
    ScriptDir = 2
    AssetDir = 3


class transferResult(IntEnum):
    Success = 0
    Failure = 1
    Skip = 2
    Cached = 3


FINISHED_STATES = frozenset(
    {
        workItemState.CookedSuccess,
        workItemState.CookedCache,
        workItemState.CookedFail,
        workItemState.CookedCancel,
    }
)
SUCCESS_STATES = frozenset({workItemState.CookedSuccess, workItemState.CookedCache})
