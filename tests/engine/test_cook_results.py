"""What onSchedule returns drives the item: every scheduleResult, None, True, False,
and the wrong enum (a tickResult) reported with the module line."""
from __future__ import annotations

from scheduler_studio.engine.cook.events import ItemState, LogMessage
from tests.engine.cookkit import cook, gen, line_of, recorder_variant, write_graph

# index -> what onSchedule returns the first time it sees the item (then CookSucceeded)
RESULTS = """
def onSchedule(self, work_item):
    self.record("onSchedule", work_item)
    first = work_item.id not in self.seen_ids
    self.seen_ids.add(work_item.id)
    answer = self.answers[work_item.index]
    if answer in ("Deferred", "FullDeferred") and not first:
        return pdg.scheduleResult.CookSucceeded
    if answer in ("Succeeded", "None", "True"):
        self._start(self._run, work_item)
    if answer == "None":
        return None
    if answer in ("True", "False"):
        return answer == "True"
    return getattr(pdg.scheduleResult, answer)
"""
ANSWERS = ["Succeeded", "Failed", "Deferred", "FullDeferred", "CookSucceeded",
           "CookFailed", "CookCanceled", "None", "True", "False"]
FINAL = {"Succeeded": "CookedSuccess", "Failed": "CookedFail", "Deferred": "CookedSuccess",
         "FullDeferred": "CookedSuccess", "CookSucceeded": "CookedSuccess",
         "CookFailed": "CookedFail", "CookCanceled": "CookedCancel", "None": "CookedSuccess",
         "True": "CookedSuccess", "False": "CookedFail"}


def _variant(tmp_path):
    return recorder_variant(tmp_path, RESULTS + f"""
seen_ids = set()
answers = {ANSWERS!r}
""")


def test_every_schedule_result(tmp_path):
    graph = write_graph(tmp_path, [gen("gen", len(ANSWERS))])
    done = cook(_variant(tmp_path), graph, tmp_path)
    states = done.states()
    for index, answer in enumerate(ANSWERS):
        assert states[index + 1] == FINAL[answer], answer
    assert done.items == {"total": 10, "succeeded": 6, "failed": 3, "cancelled": 1,
                          "uncooked": 0}
    assert done.summary["status"] == "failed"
    assert done.summary["errors"] == []  # failing items is not a scheduler error


def test_deferred_items_are_offered_again_and_others_only_once(tmp_path):
    graph = write_graph(tmp_path, [gen("gen", len(ANSWERS))])
    done = cook(_variant(tmp_path), graph, tmp_path)
    offers = [item.index for (item,) in done.scheduler.called("onSchedule")]
    for index, answer in enumerate(ANSWERS):
        assert offers.count(index) == (2 if "Deferred" in answer else 1), answer


def test_accepted_items_stay_scheduled_until_a_report(tmp_path):
    graph = write_graph(tmp_path, [gen("gen", len(ANSWERS))])
    done = cook(_variant(tmp_path), graph, tmp_path)
    first = {}
    for event in done.of_type(ItemState):
        first.setdefault(event.id, event)
    for index, answer in enumerate(ANSWERS):
        event = first[index + 1]
        if answer in ("Succeeded", "None", "True"):
            assert event.state == "Scheduled" and "onSchedule" in event.cause
        elif "Deferred" not in answer:
            assert event.state == FINAL[answer] and "onSchedule" in event.cause


def test_full_deferred_offers_nothing_more_this_tick(tmp_path):
    # reports from worker threads wake the loop within the tick: still no offer
    module = recorder_variant(tmp_path, """
        ticks = 0
        offers = []
        def onTick(self):
            self.ticks += 1
            return pdg.tickResult.SchedulerReady
        def onSchedule(self, work_item):
            full = len(self.offers) % 3 == 2
            self.offers.append((self.ticks, full))
            if full:
                return pdg.scheduleResult.FullDeferred
            self._start(self._run, work_item)
            return pdg.scheduleResult.Succeeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 12)]), tmp_path, tick_period=0.02)
    offers = done.scheduler.offers
    for (tick, full), (next_tick, _) in zip(offers, offers[1:]):
        if full:
            assert next_tick > tick, offers
    assert sum(full for _, full in offers) >= 5
    assert done.items["succeeded"] == 12


def test_a_tick_result_from_on_schedule_is_an_error_naming_the_line(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            if work_item.index == 1:
                return pdg.tickResult.SchedulerReady  # WRONG-ENUM
            return pdg.scheduleResult.CookSucceeded
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 3)]), tmp_path)
    assert done.items == {"total": 3, "succeeded": 2, "failed": 1, "cancelled": 0,
                          "uncooked": 0}
    (error,) = done.summary["errors"]
    assert error["callback"] == "onSchedule" and error["item"] == 2
    assert error["file"] == str(module) and error["line"] == line_of(module, "WRONG-ENUM")
    assert "tickResult" in error["message"] and "scheduleResult" in error["message"]


def test_any_other_return_value_is_an_error(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            return "ok"
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 2)]), tmp_path)
    assert done.items["failed"] == 2
    assert [e["callback"] for e in done.summary["errors"]] == ["onSchedule", "onSchedule"]
    assert "'ok'" in done.summary["errors"][0]["message"]


def test_a_return_value_whose_repr_raises(tmp_path):
    module = recorder_variant(tmp_path, """
        def onSchedule(self, work_item):
            class Odd:
                def __repr__(self):
                    raise RuntimeError("no repr")
            return Odd()
    """)
    done = cook(module, write_graph(tmp_path, [gen("gen", 1)]), tmp_path)
    assert done.items["failed"] == 1
    assert "onSchedule returned <Odd object>" in done.summary["errors"][0]["message"]


def test_a_job_appending_its_log_without_end_is_shown_up_to_the_cap(tmp_path):
    from scheduler_studio.engine.cook.results import APPENDED_LOG_CAP
    module = recorder_variant(tmp_path, """
def onSchedule(self, work_item):
    line = "x" * 999 + "\\n"
    for _ in range(3000):  # 3 MB of appended log from one item
        self.onWorkItemAppendLog(work_item.id, -1, line)
    self.onWorkItemAppendLog(work_item.id, -1, "after the cap")
    return pdg.scheduleResult.CookSucceeded
""")
    done = cook(module, write_graph(tmp_path, [gen("gen", 2)]), tmp_path, virtual_time=True)
    assert done.summary["status"] == "succeeded"
    for name in ("gen_1", "gen_2"):
        shown = [e.message for e in done.of_type(LogMessage) if e.source == name]
        text = "".join(shown)
        assert len(text) < APPENDED_LOG_CAP + 200  # each item has its own cap
        kept, note = text[:APPENDED_LOG_CAP], text[APPENDED_LOG_CAP:]
        assert kept == ("x" * 999 + "\n") * (APPENDED_LOG_CAP // 1000) + "x" * (
            APPENDED_LOG_CAP % 1000)  # what was appended, in order, up to the cap
        assert f"{name}'s appended log passed" in note and "x" not in note
        assert not any("after the cap" in m for m in shown)
