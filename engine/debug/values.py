"""Variables of a paused frame as a tree of safe, size-capped reprs (plain data).

A node is ``{"name", "type", "repr", "expandable", "children"}``; ``children`` is a list
of nodes when the node was expanded, else None. A work item shows its name, index,
state, command, attributes and files; a scheduler (``self``) its name and parameters
before its own attributes. A child is addressed by its path of indexes from a local, so
the window can expand one node at a time (`expand`) without the host guessing names.
A broken ``__repr__`` or a huge value never stops the debugger.
"""
from __future__ import annotations

import reprlib
from typing import Any, Iterable, Sequence

MAX_REPR = 240
MAX_CHILDREN = 60

_repr = reprlib.Repr()
_repr.maxstring = MAX_REPR
_repr.maxother = MAX_REPR
_repr.maxlong = 60
_repr.maxlevel = 3
for _name in ("maxlist", "maxtuple", "maxdict", "maxset", "maxfrozenset", "maxdeque",
              "maxarray"):
    setattr(_repr, _name, 12)

_SCALARS = (str, bytes, int, float, complex, bool, type(None))


def safe_repr(value: Any, limit: int = MAX_REPR) -> str:
    try:
        text = _repr.repr(value)
    except Exception as exc:  # noqa: BLE001 - a user object's broken __repr__
        text = f"<{type(value).__name__} object: repr failed: {type(exc).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def children(value: Any) -> list[tuple[str, Any]]:
    """The (name, value) pairs shown under `value`, in a stable order, capped."""
    from ..model.workitem import WorkItem
    from ..scheduler.base import PyScheduler
    if isinstance(value, WorkItem):
        pairs = _work_item(value)
    elif isinstance(value, PyScheduler):
        pairs = _scheduler(value)
    elif isinstance(value, _SCALARS):
        return []
    elif isinstance(value, dict):
        pairs = ((safe_repr(k, 80), v) for k, v in _take(value.items()))
    elif isinstance(value, (list, tuple)):
        pairs = ((f"[{i}]", v) for i, v in enumerate(_take(value)))
    elif isinstance(value, (set, frozenset)):
        pairs = ((f"[{i}]", v) for i, v in enumerate(_take(_sorted(value))))
    else:
        pairs = _attributes(value)
    return list(_take(pairs))


def node(name: str, value: Any, depth: int = 1) -> dict[str, Any]:
    """One tree node; its children `depth` levels down (0: none, just whether any)."""
    kids = children(value)
    return {"name": name, "type": type(value).__name__, "repr": safe_repr(value),
            "expandable": bool(kids),
            "children": [node(n, v, depth - 1) for n, v in kids] if depth > 0 else None}


def locals_tree(frame_locals: dict[str, Any]) -> list[dict[str, Any]]:
    """The locals of a frame: ``self`` and ``work_item`` first, then the rest by name."""
    names = sorted(frame_locals, key=lambda n: (n not in ("self", "work_item"), n != "self", n))
    return [node(n, frame_locals[n], 1) for n in names[:MAX_CHILDREN * 4]
            if not (n.startswith("__") and n.endswith("__"))]


def expand(frame_locals: dict[str, Any], path: Sequence[int]) -> list[dict[str, Any]]:
    """The children (one level) of the node at `path`: first a local's index in
    `locals_tree`, then child indexes. IndexError when the path leads nowhere."""
    names = [n["name"] for n in locals_tree(frame_locals)]
    if not path:
        raise IndexError("an empty path")
    value = frame_locals[names[path[0]]]
    for index in path[1:]:
        value = children(value)[index][1]
    return [node(n, v, 0) for n, v in children(value)]


# -- what is shown under an object ---------------------------------------------------------
def _work_item(item: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [("name", item.name), ("id", item.id), ("index", item.index)]
    out.append(("state", getattr(item.state, "name", item.state)))
    out += [("command", item.command), ("node", getattr(item.node, "name", item.node)),
            ("priority", item.priority)]
    if item.hasFrame:
        out.append(("frame", item.frame))
    attributes = {}
    for name in item.attribNames():
        values = item.attribArray(name)
        attributes[name] = values[0] if isinstance(values, list) and len(values) == 1 else values
    out.append(("attributes", attributes))
    for label, files in (("inputFiles", item.inputFiles), ("expectedOutputFiles",
                         item.expectedOutputFiles), ("outputFiles", item.outputFiles)):
        out.append((label, [f.path for f in files]))
    out.append(("dependencies", [d.name for d in item.dependencies]))
    return out


def _scheduler(scheduler: Any) -> list[tuple[str, Any]]:
    parameters = {port.name: port.value for port in scheduler._pdg_state.params}
    out: list[tuple[str, Any]] = [("name", getattr(scheduler, "name", "")),
                                  ("parameters", parameters)]
    out += [(n, v) for n, v in _attributes(scheduler) if n != "name"]
    return out


def _attributes(value: Any) -> list[tuple[str, Any]]:
    try:
        names = vars(value)
    except TypeError:
        return []
    return [(n, v) for n, v in sorted(names.items())
            if not n.startswith("_pdg") and not (n.startswith("__") and n.endswith("__"))]


def _take(items: Iterable[Any]) -> list[Any]:
    out = []
    for value in items:
        if len(out) >= MAX_CHILDREN:
            break
        out.append(value)
    return out


def _sorted(values: Iterable[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return list(values)
