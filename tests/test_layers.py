"""The layers import one way: the engine never imports the GUI or Qt (not even inside a
function), and no file or package of engine/ or gui/ imports one that imports it back.

The contracts live in pyproject.toml (``[tool.importlinter]``, also run by
``lint-imports``); this test runs them, then looks for file-level circles, which a
contract between siblings does not see (a package's ``__init__`` and its own modules).
Imports under ``TYPE_CHECKING`` do not count: they never run.
"""
from __future__ import annotations

from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("scheduler_studio.engine", "scheduler_studio.gui")


def _ours(module: str) -> bool:
    return any(module == top or module.startswith(top + ".") for top in LAYERS)


def test_the_import_contracts_hold(capsys):
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True,
                        no_logo=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 broken" in out


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan, iteratively)."""
    modules = sorted(m for m in graph.modules if _ours(m))
    edges = {m: sorted(i for i in graph.find_modules_directly_imported_by(m) if _ours(i))
             for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_file_imports_one_that_imports_it_back():
    graph = grimp.build_graph(*LAYERS, exclude_type_checking_imports=True, cache_dir=None)
    assert len([m for m in graph.modules if _ours(m)]) > 100  # the real packages were read
    assert _circles(graph) == []


def test_the_circle_finder_sees_a_circle():
    graph = grimp.ImportGraph()
    engine = LAYERS[0]
    for name in ("", ".a", ".b", ".c"):
        graph.add_module(engine + name)
    graph.add_import(importer=f"{engine}.a", imported=f"{engine}.b")
    graph.add_import(importer=f"{engine}.b", imported=f"{engine}.a")
    graph.add_import(importer=f"{engine}.b", imported=f"{engine}.c")
    assert _circles(graph) == [[f"{engine}.a", f"{engine}.b"]]
