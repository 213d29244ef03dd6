"""The work item a scheduler receives: Houdini's `pdg.WorkItem` API over plain data.

The cook loop owns the state; a scheduler reads the item and reports on it through the
scheduler's `onWorkItem*` helpers, never by assigning `state` itself.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from .attributes import Attribute, File, file_size, infer_type, json_safe
from .enums import attribType, platform, workItemCookType, workItemState, workItemType

if TYPE_CHECKING:  # pragma: no cover
    from .graph import Node


class WorkItem:
    """One unit of work. Slotted: a cook may hold 100,000 of them."""

    __slots__ = (
        "id", "name", "index", "label", "priority", "frame", "frameStep", "hasFrame",
        "state", "batchIndex", "command", "shouldRunInShell", "environment", "node",
        "isStatic", "type", "cookType", "dependencies", "dependents", "customState",
        "cookPercent", "cookDuration", "_attributes", "_expected", "_outputs",
        "_inputs", "_platform_commands", "__weakref__",
    )

    def __init__(self, id: int, node: "Node", index: int, *, priority: int = 0,
                 frame: float | None = None, command: str = "",
                 in_process: bool = False, static: bool = True,
                 item_type: workItemType = workItemType.Regular):
        self.id = id
        self.node = node
        self.index = index
        self.name = f"{node.name}_{id}"
        self.label = ""
        self.priority = priority
        self.hasFrame = frame is not None
        self.frame = float(frame) if frame is not None else 0.0
        self.frameStep = 1.0
        self.state = workItemState.Undefined
        self.batchIndex = -1
        self.command = command
        self.shouldRunInShell = False
        self.environment: dict[str, str] = {}
        self.isStatic = static
        self.type = item_type
        self.cookType = workItemCookType.InProcess if in_process else workItemCookType.OutOfProcess
        self.dependencies: list[WorkItem] = []
        self.dependents: list[WorkItem] = []
        self.customState = ""
        self.cookPercent = 0.0
        self.cookDuration = 0.0
        self._attributes: dict[str, Attribute] | None = None
        self._expected: list[File] | None = None
        self._outputs: list[File] | None = None
        self._inputs: list[File] | None = None
        self._platform_commands: dict[int, str] | None = None

    # -- identity ----------------------------------------------------------------
    def __repr__(self) -> str:
        return f"<WorkItem {self.name} {self.state.name}>"

    @property
    def isInProcess(self) -> bool:
        return self.cookType == workItemCookType.InProcess

    @property
    def isBatch(self) -> bool:
        return self.type == workItemType.Batch

    @property
    def isPartition(self) -> bool:
        return self.type == workItemType.Partition

    @property
    def graph(self):
        return self.node.graph

    @property
    def context(self):
        return self.node.graph

    # -- command -------------------------------------------------------------------
    def setCommand(self, command: str) -> None:
        self.command = str(command)

    def platformCommand(self, which: platform = platform.Undefined) -> str:
        """The command for a platform; the generic command when none was set for it."""
        if self._platform_commands and int(which) in self._platform_commands:
            return self._platform_commands[int(which)]
        return self.command

    def setPlatformCommand(self, which: platform, command: str) -> None:
        if self._platform_commands is None:
            self._platform_commands = {}
        self._platform_commands[int(which)] = command

    # -- attributes -----------------------------------------------------------------
    def _attribs(self) -> dict[str, Attribute]:
        if self._attributes is None:
            self._attributes = {}
        return self._attributes

    def _set(self, name: str, kind: attribType, value: Any, index: int) -> None:
        attribs = self._attribs()
        attr = attribs.get(name)
        if attr is None or attr.type != kind:
            attr = attribs[name] = Attribute(kind)
        attr.set(value, index)

    def _set_array(self, name: str, kind: attribType, values: Iterable[Any]) -> None:
        attr = Attribute(kind)
        for i, value in enumerate(values):
            attr.set(value, i)
        self._attribs()[name] = attr

    def setIntAttrib(self, name: str, value: int, index: int = 0) -> None:
        self._set(name, attribType.Int, value, index)

    def setFloatAttrib(self, name: str, value: float, index: int = 0) -> None:
        self._set(name, attribType.Float, value, index)

    def setStringAttrib(self, name: str, value: str, index: int = 0) -> None:
        self._set(name, attribType.String, value, index)

    def setFileAttrib(self, name: str, value: File | str, index: int = 0) -> None:
        self._set(name, attribType.File, value if isinstance(value, File) else File(value), index)

    def setDictAttrib(self, name: str, value: dict, index: int = 0) -> None:
        self._set(name, attribType.Dict, dict(value), index)

    def setPyObjectAttrib(self, name: str, value: Any, index: int = 0) -> None:
        self._set(name, attribType.PyObject, value, index)

    def setIntAttribArray(self, name: str, values: Iterable[int]) -> None:
        self._set_array(name, attribType.Int, values)

    def setFloatAttribArray(self, name: str, values: Iterable[float]) -> None:
        self._set_array(name, attribType.Float, values)

    def setStringAttribArray(self, name: str, values: Iterable[str]) -> None:
        self._set_array(name, attribType.String, values)

    def setFileAttribArray(self, name: str, values: Iterable[File | str]) -> None:
        self._set_array(name, attribType.File,
                        [v if isinstance(v, File) else File(v) for v in values])

    def setAttrib(self, name: str, value: Any, index: int = 0) -> None:
        """Store a plain Python value with the type it implies (graph loading, wedges)."""
        if isinstance(value, (list, tuple)):
            kind = infer_type(value[0]) if value else attribType.Int
            self._set_array(name, kind, value)
        else:
            self._set(name, infer_type(value), value, index)

    def hasAttrib(self, name: str) -> bool:
        return bool(self._attributes) and name in self._attributes

    def attribNames(self, attrib_type: attribType | None = None) -> list[str]:
        if not self._attributes:
            return []
        return [n for n, a in self._attributes.items()
                if attrib_type is None or a.type == attrib_type]

    def attribType(self, name: str) -> attribType:
        attr = (self._attributes or {}).get(name)
        return attr.type if attr else attribType.Undefined

    def attribValue(self, name: str, index: int = 0) -> Any:
        attr = (self._attributes or {}).get(name)
        if attr is None or index >= len(attr.values) or index < 0:
            return None
        return attr.values[index]

    def attribArray(self, name: str) -> list | None:
        attr = (self._attributes or {}).get(name)
        return list(attr.values) if attr else None

    def _typed(self, name: str, index: int, kind: attribType) -> Any:
        attr = (self._attributes or {}).get(name)
        if attr is None or attr.type != kind or not 0 <= index < len(attr.values):
            return None
        return attr.values[index]

    def intAttribValue(self, name: str, index: int = 0) -> int | None:
        return self._typed(name, index, attribType.Int)

    def floatAttribValue(self, name: str, index: int = 0) -> float | None:
        return self._typed(name, index, attribType.Float)

    def stringAttribValue(self, name: str, index: int = 0) -> str | None:
        return self._typed(name, index, attribType.String)

    def fileAttribValue(self, name: str, index: int = 0) -> File | None:
        return self._typed(name, index, attribType.File)

    def dictAttribValue(self, name: str, index: int = 0) -> dict | None:
        return self._typed(name, index, attribType.Dict)

    def pyObjectAttribValue(self, name: str, index: int = 0) -> Any:
        return self._typed(name, index, attribType.PyObject)

    def intAttribArray(self, name: str) -> list[int] | None:
        return self._typed_array(name, attribType.Int)

    def floatAttribArray(self, name: str) -> list[float] | None:
        return self._typed_array(name, attribType.Float)

    def stringAttribArray(self, name: str) -> list[str] | None:
        return self._typed_array(name, attribType.String)

    def _typed_array(self, name: str, kind: attribType) -> list | None:
        attr = (self._attributes or {}).get(name)
        return list(attr.values) if attr is not None and attr.type == kind else None

    def removeAttrib(self, name: str) -> bool:
        return bool(self._attributes) and self._attributes.pop(name, None) is not None

    @property
    def data(self) -> "LegacyData":
        """The pre-18 attribute interface (`data.stringData(name, i)`...)."""
        return LegacyData(self)

    # -- files ----------------------------------------------------------------------
    def addExpectedOutputFile(self, path: str, tag: str = "", own: bool = True) -> None:
        if self._expected is None:
            self._expected = []
        self._expected.append(File(path, tag, 0, own))

    def addExpectedOutputFiles(self, paths: Iterable[str], tag: str = "", own: bool = True) -> None:
        for path in paths:
            self.addExpectedOutputFile(path, tag, own)

    @property
    def expectedOutputFiles(self) -> list[File]:
        return list(self._expected or ())

    def addOutputFile(self, path: str, tag: str = "", hash_code: int = 0, own: bool = True) -> None:
        if self._outputs is None:
            self._outputs = []
        record = File(path, tag, hash_code, own, file_size(path))
        if record not in self._outputs:
            self._outputs.append(record)

    def addOutputFiles(self, paths: Iterable[str], tag: str | Iterable[str] = "",
                       hash_codes: Iterable[int] | None = None, own: bool = True) -> None:
        paths = list(paths)
        tags = [tag] * len(paths) if isinstance(tag, str) else list(tag)
        hashes = list(hash_codes) if hash_codes is not None else [0] * len(paths)
        for path, one_tag, one_hash in zip(paths, tags, hashes):
            self.addOutputFile(path, one_tag, one_hash, own)

    def clearOutputFiles(self) -> None:
        self._outputs = None

    @property
    def outputFiles(self) -> list[File]:
        return list(self._outputs or ())

    def outputFilesForTag(self, tag: str) -> list[File]:
        return [f for f in self._outputs or () if f.tag.startswith(tag)]

    def firstOutputFileForTag(self, tag: str) -> str:
        for record in self._outputs or ():
            if record.tag.startswith(tag):
                return record.path
        return ""

    @property
    def inputFiles(self) -> list[File]:
        return list(self._inputs or ())

    def inputFilesForTag(self, tag: str) -> list[File]:
        return [f for f in self._inputs or () if f.tag.startswith(tag)]

    def setInputFiles(self, files: Iterable[File]) -> None:
        self._inputs = list(files) or None

    # deprecated spellings kept by old schedulers
    def addResultData(self, path: str, tag: str = "", hash_code: int = 0, own: bool = True) -> None:
        self.addOutputFile(path, tag, hash_code, own)

    @property
    def resultData(self) -> list[tuple[str, str, int]]:
        return [(f.path, f.tag, f.hash) for f in self._outputs or ()]

    # -- snapshots --------------------------------------------------------------------
    def attributes_json(self) -> dict[str, dict]:
        """Attributes in the item data file's form, command included."""
        out = {n: a.to_json() for n, a in (self._attributes or {}).items()}
        out["__pdg_commandstring"] = {"type": int(attribType.String), "flag": 0,
                                      "own": True, "concat": False, "value": [self.command]}
        return out

    def attributes_plain(self) -> dict[str, list]:
        """Attribute values as plain lists, for events and the GUI's details view."""
        return {n: [json_safe(v) for v in a.values] for n, a in (self._attributes or {}).items()}


class LegacyData:
    """`work_item.data`: the old string/int/float accessors over the same attributes."""

    __slots__ = ("_item",)

    def __init__(self, item: WorkItem):
        self._item = item

    def stringData(self, name: str, index: int = 0):
        return self._item.stringAttribValue(name, index)

    def intData(self, name: str, index: int = 0):
        return self._item.intAttribValue(name, index)

    def floatData(self, name: str, index: int = 0):
        return self._item.floatAttribValue(name, index)

    def setString(self, name: str, value: str, index: int = 0) -> None:
        self._item.setStringAttrib(name, value, index)

    def setInt(self, name: str, value: int, index: int = 0) -> None:
        self._item.setIntAttrib(name, value, index)

    def setFloat(self, name: str, value: float, index: int = 0) -> None:
        self._item.setFloatAttrib(name, value, index)

    def _map(self, kind: attribType) -> dict[str, list]:
        item = self._item
        return {n: item.attribArray(n) for n in item.attribNames(kind)}

    @property
    def stringDataMap(self) -> dict[str, list]:
        return self._map(attribType.String)

    @property
    def intDataMap(self) -> dict[str, list]:
        return self._map(attribType.Int)

    @property
    def floatDataMap(self) -> dict[str, list]:
        return self._map(attribType.Float)

    @property
    def allDataMap(self) -> dict[str, list]:
        item = self._item
        return {n: item.attribArray(n) for n in item.attribNames()}
