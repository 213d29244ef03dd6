"""The item ledger and the one transition table: illegal moves are refused, counts,
readiness and blocking stay right. No scheduler, no threads."""
from __future__ import annotations

import itertools

import pytest

from scheduler_studio.engine.cook.book import ItemBook
from scheduler_studio.engine.model.enums import FINISHED_STATES, workItemState as S
from scheduler_studio.engine.model.graph import Graph, ItemFormatter
from scheduler_studio.engine.model.transitions import ALLOWED, TransitionError, check_transition
from tests.engine.cookkit import gen, proc, write_graph


def _items(tmp_path, nodes):
    graph = Graph(write_graph(tmp_path, nodes))
    fmt = ItemFormatter(lambda name, item: name, lambda path: path)
    book = ItemBook(lambda item, state, cause: changes.append((item.name, state.name, cause)))
    changes: list = []
    for node in graph.nodes.values():
        for item in graph.generate(fmt, node):
            book.add(item)
    return book, graph.by_name, changes


@pytest.mark.parametrize("old, new", [
    (old, new) for old, new in itertools.product(S, S) if new not in ALLOWED[old]])
def test_every_move_outside_the_table_is_refused(old, new):
    with pytest.raises(TransitionError) as info:
        check_transition("gen_1", old, new, "a test")
    assert f"gen_1: cannot go from {old.name} to {new.name} (a test)" == str(info.value)


def test_a_finished_item_never_moves_again():
    for finished in FINISHED_STATES:
        assert ALLOWED[finished] == frozenset()


def test_the_usual_life_cycle_is_allowed():
    for old, new in [(S.Undefined, S.Waiting), (S.Waiting, S.Scheduled),
                     (S.Scheduled, S.Cooking), (S.Cooking, S.CookedSuccess),
                     (S.Waiting, S.CookedFail), (S.Scheduled, S.CookedCancel)]:
        check_transition("x", old, new, "ok")


def test_an_illegal_move_leaves_the_book_untouched(tmp_path):
    book, items, changes = _items(tmp_path, [gen("gen", 2)])
    item = items["gen_1"]
    book.set_state(item, S.Scheduled, "offered")
    book.set_state(item, S.CookedSuccess, "done")
    before = (dict(book.counts), book.unfinished, set(book.running), list(changes))
    for new in (S.Waiting, S.Cooking, S.CookedFail, S.CookedSuccess):
        with pytest.raises(TransitionError):
            book.set_state(item, new, "late report")
    assert (dict(book.counts), book.unfinished, set(book.running), changes) == before
    assert item.state == S.CookedSuccess


def test_counts_running_and_tally(tmp_path):
    book, items, changes = _items(tmp_path, [gen("gen", 4)])
    assert book.counts[S.Waiting] == 4 and book.unfinished == 4
    book.set_state(items["gen_1"], S.Scheduled, "a")
    book.set_state(items["gen_2"], S.Scheduled, "a")
    book.set_state(items["gen_2"], S.Cooking, "b")
    assert book.running == {items["gen_1"], items["gen_2"]}
    book.set_state(items["gen_1"], S.CookedFail, "c")
    book.set_state(items["gen_2"], S.CookedSuccess, "c")
    book.set_state(items["gen_3"], S.CookedCancel, "d")
    assert book.running == set()
    assert book.tally() == {"total": 4, "succeeded": 1, "failed": 1, "cancelled": 1,
                            "uncooked": 1}
    assert sum(book.counts.values()) == 4 and book.unfinished == 1
    assert changes[0] == ("gen_1", "Scheduled", "a")


def test_failure_blocks_every_dependent_and_the_book_settles(tmp_path):
    book, items, _ = _items(tmp_path, [gen("a", 2), proc("b", "a"), proc("c", "b")])
    book.set_state(items["a_1"], S.CookedFail, "exit 3")
    assert book.blocked == {items["b_3"], items["c_5"]}
    assert not book.settled()
    for name in ("a_2", "b_4", "c_6"):
        book.set_state(items[name], S.CookedSuccess, "ok")
    assert book.settled() and book.unfinished == 2


def test_an_item_added_after_its_dependency_failed_is_blocked(tmp_path):
    book, items, _ = _items(tmp_path, [gen("a", 1), proc("b", "a")])
    late = ItemBook()
    late.add(items["a_1"])
    late.set_state(items["a_1"], S.CookedFail, "x")
    late.add(items["b_2"])
    assert late.blocked == {items["b_2"]} and late.settled()


def test_ready_queue_is_by_priority_then_id_and_skips_stale_entries(tmp_path):
    book, items, _ = _items(tmp_path, [gen("gen", 4, priority="index")])
    for item in items.values():
        book.push_ready(item)
    book.set_state(items["gen_3"], S.CookedFail, "reported before it was offered")
    assert [book.pop_ready().name for _ in range(3)] == ["gen_4", "gen_2", "gen_1"]
    assert book.pop_ready() is None and not book.has_ready()


def test_newly_ready_needs_every_dependency(tmp_path):
    book, items, _ = _items(tmp_path, [gen("a", 2), {"name": "all", "kind": "partitioner",
                                                     "input": "a"}])
    part = items["all_3"]
    book.set_state(items["a_1"], S.CookedSuccess, "ok")
    assert book.newly_ready(items["a_1"]) == []
    book.set_state(items["a_2"], S.CookedSuccess, "ok")
    assert book.newly_ready(items["a_2"]) == [part]


def test_one_tally_for_states_and_their_names():
    from scheduler_studio.engine.cook.summary import ITEM_COUNTS, item_counts
    from scheduler_studio.engine.model.enums import workItemState as S

    by_enum = {S.CookedSuccess: 2, S.CookedCache: 1, S.CookedFail: 1, S.CookedCancel: 1,
               S.Waiting: 3, S.Cooking: 1}
    by_name = {state.name: count for state, count in by_enum.items()}
    expected = {"total": 9, "succeeded": 3, "failed": 1, "cancelled": 1, "uncooked": 4}
    assert item_counts(by_enum) == item_counts(by_name) == expected
    assert tuple(item_counts({})) == ITEM_COUNTS
