"""Sample graphs: node specs read from JSON, and the work items they generate.

A graph file lists nodes in dependency order. Kinds:
* ``generator``: ``count`` items (optional ``wedge`` attributes, ``frame_start``);
* ``processor``: one item per item of ``input``; ``"mode": "dynamic"`` waits until the
  upstream item cooked and builds the item from what it produced;
* ``partitioner``: one in-process item per group of ``input`` items (``group_by`` an
  attribute, or all of them), done when its whole group is done;
* ``server``: a generator whose job starts a shared server named ``server_name``.
Any node may list ``transfer`` files (sent through ``transferFile`` before its items are
scheduled) and ``uses_server``. Strings may hold ``{placeholders}`` (see `ItemFormatter`)
and PDG tokens such as ``__PDG_DIR__``, which the scheduler expands.
"""
from __future__ import annotations

import itertools
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..package_files import resource_dir, resource_files, resources_root
from .attributes import File
from .enums import FINISHED_STATES, SUCCESS_STATES, workItemState, workItemType
from .workitem import WorkItem

RESOURCES_DIR = resources_root()
GRAPHS_DIR = resource_dir("graphs")
JOBS_DIR = resource_dir("jobs")
NODE_KINDS = ("generator", "processor", "partitioner", "server")
# What a test cook takes (README, "Command line"): a graph past these is refused when
# it is loaded, before anything cooks, instead of eating memory without end.
MAX_ITEMS = 1_000_000         # work items the whole graph may make (~1 GB)
MAX_JSON_DEPTH = 32           # arrays/objects inside each other
MAX_GRAPH_BYTES = 16 * 2**20  # the graph file itself


class GraphError(ValueError):
    """A graph file that cannot be used; the message names the file and the node."""


@dataclass(frozen=True)
class NodeSpec:
    name: str
    kind: str
    input: str | None = None
    count: int = 1
    mode: str = "static"
    command: str = ""
    outputs: tuple[str, ...] = ()
    attributes: dict = field(default_factory=dict)
    wedge: tuple[dict, ...] = ()
    frame_start: float | None = None
    priority: str | int = 0
    group_by: str | None = None
    transfer: tuple[str, ...] = ()
    server_name: str | None = None
    uses_server: str | None = None
    in_process: bool = False
    parms: dict = field(default_factory=dict)   # the TOP node's own parameters (hou)
    verify_outputs: bool = False  # an item succeeds only if its own expected outputs exist


@dataclass(frozen=True)
class GraphSpec:
    name: str
    description: str
    nodes: tuple[NodeSpec, ...]
    path: str = ""

    @property
    def is_static(self) -> bool:
        return all(n.mode == "static" for n in self.nodes)


def _node_from_json(raw: dict, known: set[str], where: str) -> NodeSpec:
    if not isinstance(raw, dict) or "name" not in raw:
        raise GraphError(f"{where}: every node needs a name")
    name = str(raw["name"])
    kind = raw.get("kind", "generator")
    if kind not in NODE_KINDS:
        raise GraphError(f"{where}: node {name!r} has unknown kind {kind!r}")
    upstream = raw.get("input")
    if kind in ("processor", "partitioner") and upstream not in known:
        raise GraphError(f"{where}: node {name!r} needs an 'input' naming an earlier node")
    allowed = set(NodeSpec.__dataclass_fields__)
    unknown = set(raw) - allowed
    if unknown:
        raise GraphError(f"{where}: node {name!r} has unknown keys {sorted(unknown)}")
    values = dict(raw, name=name, kind=kind)
    values.setdefault("count", 1)
    for key, convert in _CONVERT.items():
        if values.get(key) is not None:
            try:
                values[key] = convert(values[key])
            except (TypeError, ValueError, OverflowError):
                raise GraphError(f"{where}: node {name!r}: {key!r} cannot be "
                                 f"{values[key]!r}") from None
    if values["count"] < 0:
        raise GraphError(f"{where}: node {name!r} has a negative count")
    return NodeSpec(**values)


def _as_tuple(value: Any) -> tuple:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return tuple(value)


def _as_dict(value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return value


def _wedges(value: Any) -> tuple:
    """Each wedge: a name, and a non-empty list of values or a numeric start/end."""
    wedges = _as_tuple(value)
    for wedge in wedges:
        if not isinstance(_as_dict(wedge).get("name"), str):
            raise ValueError("a wedge needs a name")
        if "values" in wedge:
            if not _as_tuple(wedge["values"]):
                raise ValueError("empty values")
        else:
            float(wedge.get("start", 0)), float(wedge.get("end", 1))
    return wedges


def _priority(value: Any) -> str | int:
    return value if value in ("index", "reverse") else int(value)


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "count": int, "frame_start": float, "outputs": _as_tuple, "wedge": _wedges,
    "transfer": _as_tuple, "attributes": _as_dict, "priority": _priority,
    "parms": _as_dict,
}


def load_graph(path: str | Path) -> GraphSpec:
    """Read a graph JSON file; raise `GraphError` naming the file on any problem."""
    path = Path(path)
    try:
        too_big = path.stat().st_size > MAX_GRAPH_BYTES
        raw = None if too_big else json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GraphError(f"{path}: cannot read graph: {exc}") from None
    except RecursionError:
        raw = None  # deeper than Python parses: refused just below
    if too_big:
        raise GraphError(f"{path}: the graph file is larger than {MAX_GRAPH_BYTES:,} "
                         "bytes, the most a test cook reads")
    if raw is None or _deeper_than(raw, MAX_JSON_DEPTH):
        raise GraphError(f"{path}: the graph's JSON is nested more than {MAX_JSON_DEPTH} "
                         "levels deep, the most a test cook reads")
    if not isinstance(raw, dict) or not isinstance(raw.get("nodes"), list):
        raise GraphError(f"{path}: a graph is an object with a 'nodes' list")
    known: set[str] = set()
    nodes = []
    for raw_node in raw["nodes"]:
        node = _node_from_json(raw_node, known, str(path))
        if node.name in known:
            raise GraphError(f"{path}: node name {node.name!r} is used twice")
        known.add(node.name)
        nodes.append(node)
    _check_size(nodes, path)
    return GraphSpec(str(raw.get("name", path.stem)), str(raw.get("description", "")),
                     tuple(nodes), str(path))


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether JSON `value` nests arrays/objects more than `limit` levels (no recursion)."""
    stack = [(value, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else \
            value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _check_size(nodes: list[NodeSpec], path: Path) -> None:
    """Refuse a graph that would make more than `MAX_ITEMS` items (counted from the
    specs: a processor makes one per input item, a partitioner at most as many)."""
    made: dict[str, int] = {}
    total = 0
    for node in nodes:
        made[node.name] = made[node.input] if node.kind in ("processor", "partitioner") \
            else node.count
        total += made[node.name]
        if total > MAX_ITEMS:
            raise GraphError(f"{path}: node {node.name!r} takes the graph to {total:,} work "
                             f"items; a test cook takes at most {MAX_ITEMS:,}")


def static_item_count(spec: GraphSpec) -> int | None:
    """How many work items a cook of `spec` makes, when the specs alone say (None when
    the cook decides: a dynamic processor makes items only for upstream successes, a
    partitioner grouping by an attribute makes one per value it meets)."""
    made: dict[str, int | None] = {}
    for node in spec.nodes:
        upstream = made.get(node.input) if node.input else None
        if node.kind in ("generator", "server"):
            made[node.name] = node.count
        elif node.kind == "processor":
            made[node.name] = upstream if node.mode == "static" else None
        elif upstream is None or node.group_by:
            made[node.name] = None
        else:  # one partition of all its input items, if there are any
            made[node.name] = min(upstream, 1)
    counts = list(made.values())
    return None if None in counts else sum(counts)  # type: ignore[arg-type]


def sample_graphs() -> dict[str, Path]:
    """Name -> file of every graph shipped in resources/graphs."""
    return {p.stem: p for p in resource_files("graphs", "*.json")}


def resolve_graph(name_or_path: str) -> Path:
    samples = sample_graphs()
    if name_or_path in samples:
        return samples[name_or_path]
    path = Path(name_or_path)
    if path.is_file():
        return path
    raise GraphError(
        f"no sample graph or file named {name_or_path!r} (samples: {', '.join(samples)})"
    )


class Node:
    """A node of a cooking graph, with the few `pdg.Node` members schedulers use."""

    def __init__(self, spec: NodeSpec, graph: "Graph"):
        self.spec = spec
        self.name = spec.name
        self.graph = graph
        self.scheduler = None
        self.workItems: list[WorkItem] = []
        self.upstream: Node | None = None
        self.downstream: list[Node] = []
        self.generated_all = False
        self.transferred = not spec.transfer
        self.transfer_error = ""  # why sending its files failed; its items fail with it
        self.made_for: set[int] = set()          # ids of the upstream items it has items for
        self.parents_finished: set[int] = set()  # ids of upstream items seen finished

    def topNode(self):
        """The ``hou`` TOP node: name, path, type and ``parm(name)`` (the graph node's
        ``parms``, then the scheduler's parameters)."""
        from ..houdini.scene import top_node
        return top_node(self)

    @property
    def path(self) -> str:
        return f"/obj/topnet1/{self.name}"

    def __repr__(self) -> str:
        return f"<Node {self.name}>"


class ItemFormatter:
    """Fills a node's ``{placeholders}`` for one item.

    ``{python}`` comes from the scheduler's ``applicationBin("python", item)``;
    ``{jobs}``/``{resources}`` are our folders; ``{index}``, ``{index4}``, ``{frame}``,
    ``{id}``, ``{name}``, ``{node}``; ``{out}`` the first expected output, ``{outs}`` all;
    ``{in}``/``{ins}`` input files; ``{attr_NAME}`` an attribute's first value.
    """

    def __init__(self, application_bin: Callable[[str, WorkItem], str],
                 localize: Callable[[str], str]):
        self.application_bin = application_bin
        self.localize = localize

    def values(self, item: WorkItem) -> dict[str, Any]:
        return _Lazy(self, item)

    def fill(self, template: str, item: WorkItem) -> str:
        try:
            return template.format_map(self.values(item))
        except (KeyError, IndexError, ValueError) as exc:
            raise GraphError(f"node {item.node.name!r}: bad placeholder in {template!r}: {exc}")


class _Lazy(dict):
    """Placeholder values computed on first use (most templates need two or three)."""

    def __init__(self, fmt: ItemFormatter, item: WorkItem):
        super().__init__()
        self.fmt, self.item = fmt, item

    def __missing__(self, key: str) -> Any:
        item = self.item
        q = shlex.quote
        simple = {
            "index": lambda: item.index,
            "index4": lambda: f"{item.index:04d}",
            "frame": lambda: int(item.frame) if item.frame.is_integer() else item.frame,
            "frame4": lambda: f"{int(item.frame):04d}",
            "id": lambda: item.id,
            "name": lambda: item.name,
            "node": lambda: item.node.name,
            "jobs": lambda: q(str(JOBS_DIR)),
            "resources": lambda: q(str(RESOURCES_DIR)),
            "python": lambda: self.fmt.application_bin("python", item),
            "out": lambda: q(_first(item.expectedOutputFiles, "expected output").path),
            "outs": lambda: " ".join(q(f.path) for f in item.expectedOutputFiles),
            "in": lambda: q(_first(item.inputFiles, "input").path),
            "ins": lambda: " ".join(q(f.path) for f in item.inputFiles),
        }
        if key in simple:
            value = simple[key]()
        elif key.startswith("attr_"):
            value = item.attribValue(key[5:])
        else:
            raise KeyError(key)
        self[key] = value
        return value


def _first(files: list[File], what: str) -> File:
    if not files:
        raise ValueError(f"the item has no {what} file")
    return files[0]


class Graph:
    """The live graph of one cook: nodes, items, and who waits on whom.

    A dynamic item whose command or outputs cannot be filled in (its upstream item
    produced no file for ``{in}``, say) is still made, and its reason kept in
    `broken` so the cook fails that item and goes on; for static items it is a
    `GraphError`, raised before anything cooks.
    """

    def __init__(self, spec: GraphSpec, ids: Iterator[int] | None = None):
        """`ids` numbers the items; a scheduler instance passes its own so ids never
        repeat across its cooks (as in Houdini), and a late report for an item of an
        earlier cook cannot land on a new one."""
        self.spec = spec
        self.name = spec.name
        self.nodes: dict[str, Node] = {}
        self.items: dict[int, WorkItem] = {}
        self.by_name: dict[str, WorkItem] = {}
        self.broken: dict[int, str] = {}
        self._ids = ids if ids is not None else itertools.count(1)
        for node_spec in spec.nodes:
            node = Node(node_spec, self)
            self.nodes[node.name] = node
            if node_spec.input:
                node.upstream = self.nodes[node_spec.input]
                node.upstream.downstream.append(node)

    # pdg.GraphContext-like lookups used by schedulers
    def workItemById(self, item_id: int) -> WorkItem | None:
        return self.items.get(int(item_id))

    @property
    def graph(self) -> "Graph":
        return self

    def lookup(self, id_or_name: Any) -> WorkItem | None:
        """An item by id (int or digit string) or by name, as reports name them."""
        if isinstance(id_or_name, bool):  # an XML-RPC boolean: True == 1, but names no item
            return None
        if isinstance(id_or_name, int):
            return self.items.get(id_or_name)
        text = str(id_or_name)
        if text.lstrip("-").isdigit():
            return self.items.get(int(text))
        return self.by_name.get(text)

    # -- generation -----------------------------------------------------------------
    def _new_item(self, node: Node, index: int, *, static: bool, fmt: ItemFormatter,
                  inputs: Iterable[File] = (), deps: Iterable[WorkItem] = (),
                  attributes: dict | None = None, frame: float | None = None,
                  partition: bool = False) -> WorkItem:
        spec = node.spec
        priority = index if spec.priority == "index" else -index if spec.priority == "reverse" \
            else int(spec.priority)
        item = WorkItem(next(self._ids), node, index, priority=priority, frame=frame,
                        in_process=spec.in_process or partition, static=static,
                        item_type=workItemType.Partition if partition else workItemType.Regular)
        item.setInputFiles(inputs)
        for name, value in (attributes or {}).items():
            item.setAttrib(name, value)
        try:
            for template in spec.outputs:
                item.addExpectedOutputFile(fmt.localize(fmt.fill(template, item)))
            if spec.command:
                item.command = fmt.fill(spec.command, item)
        except GraphError as exc:
            if static:
                raise
            self.broken[item.id] = f"cannot build {item.name}: {exc}"
        if spec.uses_server:
            deps = list(deps) + self._server_items(spec.uses_server)
        for dep in deps:
            item.dependencies.append(dep)
            dep.dependents.append(item)
        item.state = workItemState.Waiting
        self.items[item.id] = item
        self.by_name[item.name] = item
        node.workItems.append(item)
        return item

    def generate(self, fmt: ItemFormatter, node: Node,
                 finished: WorkItem | None = None) -> list[WorkItem]:
        """Generate what `node` can generate now; mark it done when it has all items.
        `finished` is the upstream item that just finished, when that is the news."""
        spec = node.spec
        made: list[WorkItem] = []
        if node.generated_all:
            return made
        if spec.kind in ("generator", "server"):
            for i in range(spec.count):
                attrs = dict(spec.attributes)
                attrs.update(_wedge_values(spec.wedge, i, spec.count))
                frame = spec.frame_start + i if spec.frame_start is not None else None
                made.append(self._new_item(node, i, static=True, fmt=fmt,
                                           attributes=attrs, frame=frame))
            node.generated_all = True
        elif spec.kind == "processor":
            made = self._generate_processor(fmt, node, finished)
        elif spec.kind == "partitioner":
            up = node.upstream
            if up.generated_all:
                made = self._generate_partitions(fmt, node)
                node.generated_all = True
        return made

    def _generate_processor(self, fmt: ItemFormatter, node: Node,
                            finished: WorkItem | None) -> list[WorkItem]:
        up = node.upstream
        dynamic = node.spec.mode == "dynamic"
        if dynamic and finished is not None:
            # the usual news: one upstream item finished; look at that one only
            parents = [finished] if finished.node is up else []
        else:
            parents = up.workItems
        made = []
        for parent in parents:
            if dynamic and parent.state in FINISHED_STATES:
                node.parents_finished.add(parent.id)
            if parent.id in node.made_for or (dynamic and parent.state not in SUCCESS_STATES):
                continue
            node.made_for.add(parent.id)
            inputs = parent.outputFiles if dynamic else parent.expectedOutputFiles
            attrs = {n: parent.attribArray(n) for n in parent.attribNames()}
            attrs.update(node.spec.attributes)
            frame = parent.frame if parent.hasFrame else None
            made.append(self._new_item(node, parent.index, static=not dynamic, fmt=fmt,
                                       inputs=inputs, deps=[parent], attributes=attrs,
                                       frame=frame))
        if up.generated_all:
            # A dynamic node has all its items once every parent has finished cooking.
            node.generated_all = not dynamic or len(node.parents_finished) == len(up.workItems)
        return made

    def _generate_partitions(self, fmt: ItemFormatter, node: Node) -> list[WorkItem]:
        groups: dict[Any, tuple[Any, list[WorkItem]]] = {}
        key = node.spec.group_by
        for parent in node.upstream.workItems:
            value = parent.attribValue(key) if key else 0
            groups.setdefault(_group_key(value), (value, []))[1].append(parent)
        made = []
        for index, (value, members) in enumerate(groups.values()):
            attrs = dict(node.spec.attributes)
            if key:
                attrs[key] = value
            inputs = [f for m in members for f in m.expectedOutputFiles]
            made.append(self._new_item(node, index, static=all(m.isStatic for m in members),
                                       fmt=fmt, inputs=inputs, deps=members,
                                       attributes=attrs, partition=True))
        return made

    def _server_items(self, server_name: str) -> list[WorkItem]:
        return [item for node in self.nodes.values() if node.spec.server_name == server_name
                for item in node.workItems]

    def is_ready(self, item: WorkItem) -> bool:
        return all(dep.state in SUCCESS_STATES for dep in item.dependencies)


def _group_key(value: Any) -> Any:
    """A dict key for a grouping value: dict and list attributes (unhashable) group
    by their content."""
    try:
        hash(value)
    except TypeError:
        return ("content", json.dumps(value, sort_keys=True, default=repr))
    return value


def _wedge_values(wedges: Iterable[dict], index: int, count: int) -> dict[str, Any]:
    """Wedge attributes of item `index`: explicit ``values`` or a ``start``..``end`` ramp."""
    out: dict[str, Any] = {}
    for wedge in wedges:
        if "values" in wedge:
            values = wedge["values"]
            out[wedge["name"]] = values[index % len(values)]
        else:
            start, end = float(wedge.get("start", 0)), float(wedge.get("end", 1))
            t = index / (count - 1) if count > 1 else 0.0
            out[wedge["name"]] = start + (end - start) * t
    return out
