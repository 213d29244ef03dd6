"""Graph files: the samples load, bad files say what is wrong, items are generated with
the right names, attributes, files, commands and dependencies."""
from __future__ import annotations

import json
import shlex

import pytest

from scheduler_studio.engine.model.graph import (JOBS_DIR, Graph, GraphError, ItemFormatter,
                                                 load_graph, resolve_graph, sample_graphs,
                                                 static_item_count)

SAMPLES = ["failing", "frames", "huge", "large", "pernode", "sharedserver", "static",
           "transfer", "wedge"]


def _fmt():
    return ItemFormatter(lambda name, item: f"/bin/{name}", lambda path: path.replace(
        "__PDG_DIR__", "/work"))


def _generate(spec):
    graph = Graph(spec)
    fmt = _fmt()
    for node in graph.nodes.values():
        graph.generate(fmt, node)
    return graph


def _write(tmp_path, raw):
    path = tmp_path / "g.json"
    path.write_text(raw if isinstance(raw, str) else json.dumps(raw), encoding="utf-8")
    return path


def test_the_seven_samples_are_listed_and_load():
    assert list(sample_graphs()) == SAMPLES
    for name in SAMPLES:
        spec = load_graph(resolve_graph(name))
        assert spec.name == name and spec.description and spec.nodes


@pytest.mark.parametrize("raw, message", [
    ("{not json", "cannot read graph"),
    ({"nodes": "x"}, "a 'nodes' list"),
    ({"nodes": [{"kind": "generator"}]}, "every node needs a name"),
    ({"nodes": [{"name": "a", "kind": "mapper"}]}, "unknown kind 'mapper'"),
    ({"nodes": [{"name": "a", "kind": "processor"}]}, "needs an 'input' naming an earlier node"),
    ({"nodes": [{"name": "b", "kind": "processor", "input": "a"}, {"name": "a"}]},
     "needs an 'input' naming an earlier node"),
    ({"nodes": [{"name": "a", "colour": "red"}]}, "unknown keys ['colour']"),
    ({"nodes": [{"name": "a"}, {"name": "a"}]}, "used twice"),
    ({"nodes": [{"name": "a", "count": -1}]}, "negative count"),
    ({"nodes": [{"name": "a", "count": "many"}]}, "count"),
    ({"nodes": [{"name": "a", "outputs": "x.txt"}]}, "'outputs' cannot be 'x.txt'"),
    ({"nodes": [{"name": "a", "attributes": [1]}]}, "'attributes' cannot be"),
    ({"nodes": [{"name": "a", "priority": "high"}]}, "'priority' cannot be 'high'"),
    ({"nodes": [{"name": "a", "wedge": [{"values": [1]}]}]}, "'wedge' cannot be"),
    ({"nodes": [{"name": "a", "wedge": [{"name": "w", "values": []}]}]}, "'wedge' cannot be"),
    ({"nodes": [{"name": "a", "wedge": [{"name": "w", "start": "low"}]}]}, "'wedge' cannot be"),
    ({"nodes": [{"name": "a", "wedge": ["w"]}]}, "'wedge' cannot be"),
])
def test_bad_graph_files_name_the_file_and_the_problem(tmp_path, raw, message):
    path = _write(tmp_path, raw)
    with pytest.raises(GraphError) as info:
        load_graph(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_unknown_graph_name_lists_the_samples():
    with pytest.raises(GraphError) as info:
        resolve_graph("nosuch")
    assert "frames" in str(info.value) and "wedge" in str(info.value)


def test_a_count_written_as_text_is_a_number(tmp_path):
    spec = load_graph(_write(tmp_path, {"nodes": [{"name": "a", "count": "3"}]}))
    assert len(_generate(spec).nodes["a"].workItems) == 3


def test_frames_items_names_frames_files_and_commands():
    graph = _generate(load_graph(resolve_graph("frames")))
    render = graph.nodes["render"].workItems
    assert [i.name for i in render[:3]] == ["render_1", "render_2", "render_3"]
    first = render[0]
    assert first.hasFrame and first.frame == 1.0 and first.index == 0
    assert [f.path for f in first.expectedOutputFiles] == ["/work/render/frame.0001.txt"]
    assert first.command == (f"/bin/python {shlex.quote(str(JOBS_DIR))}/render.py --frame 1 "
                             "--out /work/render/frame.0001.txt")
    denoise = graph.nodes["denoise"].workItems
    assert len(denoise) == 20 and denoise[4].dependencies == [render[4]]
    assert [f.path for f in denoise[4].inputFiles] == ["/work/render/frame.0005.txt"]
    (collect,) = graph.nodes["collect"].workItems
    assert collect.isInProcess and collect.isPartition and collect.dependencies == denoise
    assert len(graph.items) == 41 and graph.lookup("denoise_25") is denoise[4]
    assert graph.lookup(25) is graph.lookup("25") is denoise[4]


def test_wedge_attributes_and_priorities():
    graph = _generate(load_graph(resolve_graph("wedge")))
    sims = graph.nodes["sim"].workItems
    assert [i.attribValue("variant") for i in sims] == ["soft", "hard"] * 4
    assert [round(i.attribValue("seed"), 4) for i in sims] == [
        round(k / 7, 4) for k in range(8)]
    assert [i.priority for i in sims] == list(range(8))
    assert not graph.nodes["measure"].workItems  # dynamic: made as the sims cook
    assert not graph.nodes["measure"].generated_all


def test_failing_wedge_cycles_its_values():
    graph = _generate(load_graph(resolve_graph("failing")))
    codes = [i.attribValue("exit_code") for i in graph.nodes["render"].workItems]
    assert codes == [0, 0, 0, 3, 0, 0, 0, 3]
    assert "--exit-code 3" in graph.nodes["render"].workItems[3].command


def test_server_users_depend_on_the_server_items():
    graph = _generate(load_graph(resolve_graph("sharedserver")))
    (server,) = graph.nodes["start_echo"].workItems
    for item in graph.nodes["ask"].workItems:
        assert item.dependencies == [server]
    assert len(server.dependents) == 4


def test_static_graph_is_static_and_others_are_not():
    assert load_graph(resolve_graph("static")).is_static
    assert not load_graph(resolve_graph("wedge")).is_static


@pytest.mark.parametrize("template, expected", [
    ("{index4}-{id}-{name}-{node}", "0002-3-a_3-a"),
    ("{attr_colour}", "red"),
    ("{frame} {frame4}", "12.5 0012"),
])
def test_placeholders(tmp_path, template, expected):
    spec = load_graph(_write(tmp_path, {"nodes": [
        {"name": "a", "count": 3, "frame_start": 10.5, "attributes": {"colour": "red"},
         "command": template}]}))
    assert _generate(spec).nodes["a"].workItems[2].command == expected


def test_a_bad_placeholder_names_the_node(tmp_path):
    spec = load_graph(_write(tmp_path, {"nodes": [{"name": "a", "command": "{oops}"}]}))
    with pytest.raises(GraphError, match="node 'a': bad placeholder"):
        _generate(spec)


def test_a_dynamic_item_with_nothing_for_in_is_kept_broken(tmp_path):
    spec = load_graph(_write(tmp_path, {"nodes": [
        {"name": "a", "count": 1},
        {"name": "b", "kind": "processor", "input": "a", "mode": "dynamic",
         "command": "x --in {in}"}]}))
    graph = _generate(spec)
    from scheduler_studio.engine.model.enums import workItemState
    graph.nodes["a"].workItems[0].state = workItemState.CookedSuccess
    (made,) = graph.generate(_fmt(), graph.nodes["b"])
    assert "no input file" in graph.broken[made.id] and graph.nodes["b"].generated_all


def test_dynamic_generation_looks_at_the_item_that_finished(tmp_path):
    # one look per finished upstream item, not a scan of all of them each time
    spec = load_graph(_write(tmp_path, {"nodes": [
        {"name": "a", "count": 3},
        {"name": "b", "kind": "processor", "input": "a", "mode": "dynamic"}]}))
    graph = _generate(spec)
    from scheduler_studio.engine.model.enums import workItemState
    a1, a2, a3 = graph.nodes["a"].workItems
    for item in (a1, a2):
        item.state = workItemState.CookedSuccess
    (made,) = graph.generate(_fmt(), graph.nodes["b"], a2)
    assert made.dependencies == [a2] and not graph.nodes["b"].generated_all
    assert graph.generate(_fmt(), graph.nodes["b"], a2) == []  # never twice
    a3.state = workItemState.CookedFail
    assert graph.generate(_fmt(), graph.nodes["b"], a3) == []
    (late,) = graph.generate(_fmt(), graph.nodes["b"], a1)
    assert late.dependencies == [a1] and graph.nodes["b"].generated_all


def test_a_partition_groups_by_a_dict_attribute_by_its_content(tmp_path):
    # dict attributes are unhashable: they group by content, and keep their value
    path = _write(tmp_path, {"name": "g", "nodes": [
        {"name": "gen", "kind": "generator", "count": 4, "wedge": [
            {"name": "look", "values": [{"key": "a", "n": 1}, {"n": 2}]}]},
        {"name": "by_look", "kind": "partitioner", "input": "gen", "group_by": "look"}]})
    graph = _generate(load_graph(path))
    parts = graph.nodes["by_look"].workItems
    assert [p.attribValue("look") for p in parts] == [{"key": "a", "n": 1}, {"n": 2}]
    assert [[d.name for d in p.dependencies] for p in parts] == [
        ["gen_1", "gen_3"], ["gen_2", "gen_4"]]


@pytest.mark.parametrize("name", [n for n in SAMPLES if n != "huge"])
def test_the_static_item_count_is_what_a_generation_makes_or_none(name):
    """The cook panel shows it before any cook ("41 items" for frames, never a wrong
    one): where the specs decide, it is what generating every node makes."""
    spec = load_graph(resolve_graph(name))
    count = static_item_count(spec)
    if name == "wedge":                  # a dynamic processor, a partition by attribute
        assert count is None
    else:
        assert count == len(_generate(spec).items)


def test_static_item_counts_of_the_samples():
    counts = {n: static_item_count(load_graph(resolve_graph(n))) for n in SAMPLES}
    assert counts["frames"] == 41 and counts["huge"] == 100_000 and counts["wedge"] is None
