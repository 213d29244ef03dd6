"""Items onSchedule accepted that the scheduler never reports: a note while the cook
waits on them (`unreported.STALL_S`), and the summary's error when it times out."""
from __future__ import annotations

from scheduler_studio.engine.cook.events import LogMessage
from scheduler_studio.engine.cook.unreported import HOW, STALL_S, STALL_SOURCE
from scheduler_studio.engine.model.enums import scheduleResult as R, workItemState as S
from scheduler_studio.engine.scheduler.reports import Report
from tests.engine.cookkit import gen
from tests.engine.test_cook_core import FakeShell


def _stall_notes(shell: FakeShell) -> list[str]:
    return [e.message for e in shell.events(LogMessage) if e.source == STALL_SOURCE]


def test_a_timeout_with_items_never_reported_is_an_error_naming_them(tmp_path):
    shell = FakeShell(tmp_path, [gen("frames", 20)], {"onSchedule": lambda item: R.Succeeded},
                      timeout_s=15.0).run()
    assert shell.status == "timeout"
    [message] = [m for m in shell.core.cook_errors if "never reported" in m]
    first = [i.name for i in shell.core.book.items[:3]]
    assert message.startswith("20 items were scheduled and never reported as succeeded or failed "
                              f"before the cook timed out ({', '.join(first)} and 17 more): ")
    assert HOW in message


def test_a_cancel_with_items_never_reported_is_a_warning(tmp_path):
    shell = FakeShell(tmp_path, [gen("frames", 2)], {"onSchedule": lambda item: R.Succeeded})

    def cancel(shell):
        if shell.now >= 2.0 and not shell.inbox:
            from scheduler_studio.engine.cook.instructions import CancelRequested
            shell.inbox.append(CancelRequested("cancelled"))
    shell.on_sleep = cancel
    shell.run()
    assert shell.status == "cancelled"
    assert not any("never reported" in m for m in shell.core.cook_errors)
    assert any("2 items were scheduled and never reported as succeeded or failed before the "
               "cook was cancelled"
               in m for m in shell.core.warnings)


def test_items_that_sent_other_reports_are_counted_as_such(tmp_path):
    shell = FakeShell(tmp_path, [gen("frames", 2)], {"onSchedule": lambda item: R.Succeeded},
                      timeout_s=5.0)

    def start_one(shell):
        first = shell.core.book.items[0]
        if first.state == S.Scheduled and first.id not in shell.core._reported:
            shell.inbox.append(Report("start", first.id))
    shell.on_sleep = start_one
    shell.run()
    [message] = [m for m in shell.core.cook_errors if "never reported" in m]
    first, second = (i.name for i in shell.core.book.items)
    assert message.startswith(
        f"2 items were scheduled and never reported as succeeded or failed before the cook "
        f"timed out ({first}, {second}; 1 of them sent reports (outputs, attributes) but "
        "never succeeded or failed): ")


def test_a_stall_is_noted_once_after_its_stretch_and_again_after_a_report(tmp_path):
    shell = FakeShell(tmp_path, [gen("frames", 2)], {"onSchedule": lambda item: R.Succeeded},
                      timeout_s=3 * STALL_S, tick_period=1.0)
    sent = []

    def report_late(shell):
        if shell.now >= 1.5 * STALL_S and not sent:
            sent.append(shell.now)
            shell.inbox.append(Report("start", shell.core.book.items[0].id))
    shell.on_sleep = report_late
    shell.run()
    notes = _stall_notes(shell)
    assert len(notes) == 2
    names = ", ".join(i.name for i in shell.core.book.items)
    assert notes[0].startswith(f"2 items scheduled, none reported for {STALL_S:g} s: "
                               f"{names}; ")
    assert HOW in notes[0]


def test_a_cook_whose_items_are_reported_gives_no_stall_note(tmp_path):
    shell = FakeShell(tmp_path, [gen("frames", 3)]).run()   # CookSucceeded at once
    assert shell.status == "succeeded"
    assert _stall_notes(shell) == []
    assert not any("never reported" in m for m in shell.core.warnings + shell.core.cook_errors)


def test_the_cli_prints_the_stall_note_as_it_comes_and_nothing_else(capsys):
    from scheduler_studio.engine.cli.commands import stall_printer
    from scheduler_studio.engine.cli.reporter import Reporter
    show = stall_printer(Reporter())
    show(LogMessage("warning", "cook timeout"))
    show(LogMessage("warning", "20 items scheduled, none reported for 30 s: a", STALL_SOURCE))
    assert capsys.readouterr().err == \
        "schedstudio: note: 20 items scheduled, none reported for 30 s: a\n"
