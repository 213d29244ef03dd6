"""Graphs past the test cook's limits are refused when loaded, naming the file, before
a single item is made; the README states the same limits."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler_studio.engine.cook.logcap import LOG_CAP_BYTES
from scheduler_studio.engine.model.graph import (MAX_GRAPH_BYTES, MAX_ITEMS, MAX_JSON_DEPTH,
                                                 GraphError, load_graph)

README = Path(__file__).resolve().parents[2] / "README.md"


def _write(tmp_path, nodes, name="g.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"name": "g", "nodes": nodes}), encoding="utf-8")
    return path


@pytest.mark.parametrize("count", [1e12, 10**12, MAX_ITEMS + 1])
def test_a_generator_past_the_item_limit_is_refused(tmp_path, count):
    path = _write(tmp_path, [{"name": "gen", "count": count}])
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value).startswith(f"{path}: node 'gen' takes the graph to ")
    assert f"at most {MAX_ITEMS:,}" in str(caught.value)


def test_the_items_of_every_node_count(tmp_path):
    half = MAX_ITEMS // 2
    ok = _write(tmp_path, [{"name": "gen", "count": half},
                           {"name": "p", "kind": "processor", "input": "gen"}])
    assert len(load_graph(ok).nodes) == 2  # exactly the limit is fine
    over = _write(tmp_path, [{"name": "gen", "count": half},
                             {"name": "p", "kind": "processor", "input": "gen"},
                             {"name": "all", "kind": "partitioner", "input": "p"}], "o.json")
    with pytest.raises(GraphError, match="node 'all' takes the graph to 1,500,000"):
        load_graph(over)


def test_a_count_that_is_not_a_number_is_refused(tmp_path):
    path = tmp_path / "inf.json"
    path.write_text('{"nodes": [{"name": "gen", "count": 1e999}]}')  # JSON's Infinity
    with pytest.raises(GraphError, match=r"'count' cannot be inf"):
        load_graph(path)


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_json_nested_past_the_depth_is_refused(tmp_path, depth):
    # the graph object and its node list are two levels; the attribute value the rest
    inner = depth - 4
    path = tmp_path / "deep.json"
    path.write_text('{"nodes": [{"name": "a", "attributes": {"x": ' + "[" * inner
                    + "]" * inner + "}}]}")
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value) == (f"{path}: the graph's JSON is nested more than "
                                 f"{MAX_JSON_DEPTH} levels deep, the most a test cook reads")


def test_json_at_the_depth_loads(tmp_path):
    inner = MAX_JSON_DEPTH - 4
    path = tmp_path / "ok.json"
    path.write_text('{"nodes": [{"name": "a", "attributes": {"x": ' + "[" * inner
                    + "]" * inner + "}}]}")
    assert load_graph(path).nodes[0].attributes["x"] is not None


def test_a_graph_file_past_the_size_is_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_GRAPH_BYTES + 1)  # sparse: not JSON, and never read
    with pytest.raises(GraphError, match="larger than 16,777,216 bytes"):
        load_graph(path)


def test_the_readme_states_the_limits():
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert f"at most {MAX_ITEMS:,} work items" in text
    assert f"at most {MAX_JSON_DEPTH} levels deep" in text
    assert f"at most {MAX_GRAPH_BYTES // 2**20} MiB" in text
    assert f"capped at {LOG_CAP_BYTES // 2**20} MiB" in text
