"""The test cook's scene: ``hou.hipFile``, ``hou.node(path)`` and the nodes it returns.

One network, ``/obj/topnet1``, holds the scheduler's node (named after the scheduler
instance, its type the scheduler type) and one TOP node per node of the sample graph.
A node's ``parm(name)`` is backed by real values: the scheduler's parameters on its
node; on a TOP node the graph node's ``parms``, then the scheduler's parameters (as
Houdini's TOP nodes carry scheduler overrides). A parameter nobody defined gives an
empty value and is recorded, so the cook can list every such name (see
`scheduler_studio.engine.scheduler.params.ParameterSet.undefined`).
"""
from __future__ import annotations

import os
import re
import weakref
from typing import Any, Optional

from .errors import NotInTestCook

NETWORK = "/obj/topnet1"
HIP_NAME = "testcook"
# TOP node types by the sample graph's node kinds
KIND_TYPES = {"generator": "genericgenerator", "processor": "pythonprocessor",
              "partitioner": "waitforall", "server": "pythonserver"}

_current: dict[str, Any] = {"scheduler": None}


def attach(scheduler: Any) -> None:
    """Make `scheduler` the one ``hou.node`` and ``topNode()`` answer for."""
    _current["scheduler"] = weakref.ref(scheduler)


def _scheduler() -> Any:
    ref = _current["scheduler"]
    return ref() if ref is not None else None


# -- the scene file ----------------------------------------------------------------------
def hip_dir() -> str:
    return os.environ.get("HIP") or os.getcwd()


class HipFile:
    """``hou.hipFile``: the scene of this cook, ``$HIP/testcook.hip`` unless $HIPFILE says."""

    def path(self) -> str:
        return os.environ.get("HIPFILE") or os.path.join(hip_dir(), HIP_NAME + ".hip")

    def name(self) -> str:
        return self.path()

    def basename(self) -> str:
        return os.path.basename(self.path())

    def hasUnsavedChanges(self) -> bool:
        return False

    def isNewFile(self) -> bool:
        return False

    def save(self, file_name: Optional[str] = None, save_to_recent_files: bool = True) -> None:
        """Write an empty scene file where the path says, for schedulers that copy it
        to the farm; there is no scene to put in it."""
        path = file_name or self.path()
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotInTestCook(f"hou.hipFile.{name}")


# -- variables -----------------------------------------------------------------------------
def scene_variables() -> dict[str, str]:
    hip = HipFile()
    path = hip.path()
    return {"HIP": hip_dir(), "HIPFILE": path,
            "HIPNAME": os.path.splitext(os.path.basename(path))[0]}


def getenv(name: str, default: Any = None) -> Any:
    value = os.environ.get(name)
    if value is None:
        value = scene_variables().get(name)
    return default if value is None else value


_VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)\}")


def expand_string(text: str) -> str:
    """``$VAR`` and ``${VAR}`` from the environment and the scene; others stay as written."""
    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        found = getenv(name)
        return match.group(0) if found is None else str(found)
    return _VARIABLE.sub(value, str(text))


# -- nodes ------------------------------------------------------------------------------------
class NodeType:
    def __init__(self, name: str, category: str = "Top"):
        self._name, self._category = name, category

    def name(self) -> str:
        return self._name

    def nameComponents(self) -> tuple:
        return ("", "", self._name, "")

    def description(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"<hou.NodeType {self._name}>"


class Parm:
    """One node parameter, read and written through the values behind it."""

    def __init__(self, node: "HouNode", name: str, port: Any):
        self._node, self._name, self._port = node, name, port

    def name(self) -> str:
        return self._name

    def node(self) -> "HouNode":
        return self._node

    def path(self) -> str:
        return f"{self._node.path()}/{self._name}"

    def eval(self) -> Any:
        return self._port.evaluate()

    def evalAsString(self) -> str:
        return self._port.evaluateString()

    def evalAsInt(self) -> int:
        return self._port.evaluateInt()

    def evalAsFloat(self) -> float:
        return self._port.evaluateFloat()

    def unexpandedString(self) -> str:
        return self._port.evaluateRawString()

    rawValue = unexpandedString

    def set(self, value: Any, *args: Any, **kwargs: Any) -> None:
        self._port.set(value)

    def __bool__(self) -> bool:
        return not getattr(self._port, "undefined", False)

    def __repr__(self) -> str:
        return f"<hou.Parm {self._name} in {self._node.path()}>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotInTestCook(f"hou.Parm.{name}")


class _Value:
    """A graph node's own parameter value, shaped like a scheduler port."""

    undefined = False

    def __init__(self, values: dict, name: str):
        self._values, self._name = values, name

    def _raw(self) -> Any:
        return self._values.get(self._name)

    def evaluate(self) -> Any:
        value = self._raw()
        return expand_string(value) if isinstance(value, str) else value

    def evaluateString(self) -> str:
        return expand_string("" if self._raw() is None else str(self._raw()))

    def evaluateRawString(self) -> str:
        return "" if self._raw() is None else str(self._raw())

    def evaluateInt(self) -> int:
        return int(float(self._raw() or 0))

    def evaluateFloat(self) -> float:
        return float(self._raw() or 0.0)

    def set(self, value: Any) -> None:
        self._values[self._name] = value


class HouNode:
    """A node of the test cook's network (Houdini: ``hou.Node``)."""

    def __init__(self, name: str, type_name: str, parms: Any = None,
                 fallback: Any = None, children: Optional[list] = None, path: str = ""):
        self._name, self._type = name, NodeType(type_name)
        self._parms = parms              # dict of own values, or a ParameterSet
        self._fallback = fallback        # the scheduler's ParameterSet, for TOP nodes
        self._children = children
        self._path = path or f"{NETWORK}/{name}"

    def name(self) -> str:
        return self._name

    def path(self) -> str:
        return self._path

    def type(self) -> NodeType:
        return self._type

    def parent(self) -> Optional["HouNode"]:
        return node(os.path.dirname(self._path)) if self._path != NETWORK else None

    def children(self) -> tuple:
        return tuple(self._children() if callable(self._children) else ())

    def isBypassed(self) -> bool:
        return False

    def parm(self, name: str) -> Parm:
        """The parameter; one nobody defined reads as empty and is recorded (a falsy Parm)."""
        parms = self._parms
        if isinstance(parms, dict):
            if name in parms:
                return Parm(self, name, _Value(parms, name))
            fallback = self._fallback
            if fallback is not None:
                return Parm(self, name, fallback.get_port(name, f"parm {name!r} of {self._path}"))
            return Parm(self, name, _Value(parms, name))
        if parms is not None:
            return Parm(self, name, parms.get_port(name, f"parm {name!r} of {self._path}"))
        raise NotInTestCook(f"{self._path} has no parameters in the test cook; hou.Parm")

    def evalParm(self, name: str) -> Any:
        return self.parm(name).eval()

    def parms(self) -> tuple:
        if isinstance(self._parms, dict):
            return tuple(Parm(self, n, _Value(self._parms, n)) for n in self._parms)
        if self._parms is not None:
            return tuple(Parm(self, p.name, p) for p in self._parms)
        return ()

    def setParms(self, values: dict) -> None:
        for name, value in dict(values).items():
            self.parm(name).set(value)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, HouNode) and other._path == self._path

    def __hash__(self) -> int:
        return hash(self._path)

    def __repr__(self) -> str:
        return f"<hou.Node {self._path} of type {self._type.name()}>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotInTestCook(f"hou.Node.{name}")


def scheduler_node(scheduler: Any) -> HouNode:
    """The scheduler's own TOP node: its parameters are the scheduler's."""
    state = scheduler._pdg_state
    return HouNode(str(getattr(scheduler, "name", "") or state.type_name), state.type_name,
                   state.params)


def top_node(graph_node: Any) -> HouNode:
    """The TOP node of a graph node (``work_item.node.topNode()``)."""
    scheduler = getattr(graph_node, "scheduler", None) or _scheduler()
    fallback = scheduler._pdg_state.params if scheduler is not None else None
    spec = graph_node.spec
    return HouNode(graph_node.name, KIND_TYPES.get(spec.kind, spec.kind), spec.parms,
                   fallback)


def _graph_nodes() -> list:
    scheduler = _scheduler()
    loop = scheduler._pdg_state.loop if scheduler is not None else None
    return list(loop.graph.nodes.values()) if loop is not None else []


def network() -> HouNode:
    def children() -> list:
        scheduler = _scheduler()
        nodes = [scheduler_node(scheduler)] if scheduler is not None else []
        return nodes + [top_node(n) for n in _graph_nodes()]
    return HouNode("topnet1", "topnet", {}, children=children, path=NETWORK)


def pwd() -> HouNode:
    """``hou.pwd()``: the node whose code runs. Houdini runs a scheduler's code with its
    own node current (an HDA's PythonModule reads its parameters this way), so it is
    the scheduler's node, as ``topNode()`` is; the network before a scheduler exists."""
    scheduler = _scheduler()
    return scheduler_node(scheduler) if scheduler is not None else network()


def node(path: str) -> Optional[HouNode]:
    """``hou.node(path)``: the network, the scheduler's node or a graph node; None for a
    path that names nothing, as in Houdini."""
    path = str(path).rstrip("/") or "/"
    if path == NETWORK:
        return network()
    parent, _, name = path.rpartition("/")
    if parent not in (NETWORK, ""):
        return None
    scheduler = _scheduler()
    if scheduler is not None and name == str(getattr(scheduler, "name", "")):
        return scheduler_node(scheduler)
    for graph_node in _graph_nodes():
        if graph_node.name == name:
            return top_node(graph_node)
    return None
