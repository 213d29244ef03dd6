"""The QProcess bridge, against small fake hosts: batching, bad input, ends."""
from __future__ import annotations

import sys
import textwrap

from scheduler_studio.gui.cook.host_process import LINES_PER_TURN, MAX_LINE_BYTES, CookHostProcess

EVENT = '{"v":1,"type":"item_added","id":%d,"name":"n_%d","node":"n","index":%d,"state":"Waiting"}'


def _script(body: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(body)]


def _run(qtbot, cmd, timeout=30_000):
    host = CookHostProcess()
    batches, output = [], []
    host.sig_events.connect(batches.append)
    host.sig_output.connect(output.extend)
    with qtbot.waitSignal(host.sig_finished, timeout=timeout) as blocker:
        host.start(cmd)
    assert not host.is_running()
    return blocker.args, batches, output, host


def test_flood_arrives_in_order_in_bounded_batches(qtbot):
    count = 5000
    cmd = _script(f"""
        import sys
        for i in range({count}):
            sys.stdout.write({EVENT!r} % (i, i, i) + "\\n")
        sys.stdout.write("this is not json\\n")
        sys.stderr.write("scheduler says hello\\n")
        sys.stdout.write({EVENT!r} % ({count}, {count}, {count}))   # no newline at the end
    """)
    (outcome, code), batches, output, host = _run(qtbot, cmd)
    assert (outcome, code) == ("exited", 0)
    ids = [e.id for batch in batches for e in batch]
    assert ids == list(range(count + 1))
    assert max(len(b) for b in batches) <= LINES_PER_TURN
    assert len(batches) >= count // LINES_PER_TURN
    assert any(line.startswith("[not an event] this is not json") for line in output)
    assert "scheduler says hello" in output
    assert host.events_read == count + 1 and host.bad_lines == 1


def test_overlong_line_is_dropped_not_buffered(qtbot):
    cmd = _script(f"""
        import sys
        sys.stdout.write("x" * {MAX_LINE_BYTES + (1 << 20)} + "\\n")
        sys.stdout.write({EVENT!r} % (1, 1, 0) + "\\n")
    """)
    (outcome, code), batches, _output, host = _run(qtbot, cmd)
    assert outcome == "exited"
    assert [e.id for b in batches for e in b] == [1]
    assert host.bad_lines == 1


def test_crash_and_exit_code_are_reported(qtbot):
    (outcome, code), _b, _o, _h = _run(qtbot, _script("import os; os.abort()"))
    assert outcome == "crashed"
    (outcome, code), _b, _o, _h = _run(qtbot, _script("raise SystemExit(3)"))
    assert (outcome, code) == ("exited", 3)


def test_missing_program_fails_to_start(qtbot, tmp_path):
    (outcome, _code), _b, output, _h = _run(qtbot, [str(tmp_path / "no-such-host")])
    assert outcome == "failed_to_start"
    assert any("could not start" in line for line in output)


def test_stderr_flood_is_capped_per_batch(qtbot):
    cmd = _script("""
        import sys
        sys.stderr.write("".join("line %d\\n" % i for i in range(20000)))
        sys.stderr.write("y" * 10000 + "\\n")
    """)
    _args, _b, output, _h = _run(qtbot, cmd)
    assert any("dropped" in line for line in output)
    assert all(len(line) <= 2000 for line in output)


def test_start_twice_is_refused(qtbot):
    host = CookHostProcess()
    with qtbot.waitSignal(host.sig_finished, timeout=20_000):
        host.start(_script("import time; time.sleep(0.5)"))
        try:
            host.start(_script("pass"))
        except RuntimeError:
            refused = True
        else:
            refused = False
    assert refused


def test_slow_handling_of_events_makes_the_batches_smaller(qtbot, monkeypatch):
    """A drain's budget covers parsing and the slots that handle its batch: when they
    take 100 µs an event, a batch holds what fits in TURN_BUDGET_S (a clock of the test:
    parsing a line takes it 10 µs)."""
    from scheduler_studio.gui.cook import host_process

    now = [0.0]

    def clock():
        now[0] += 10e-6
        return now[0]

    monkeypatch.setattr(host_process, "_clock", clock)
    host = CookHostProcess()
    batches = []

    def handle(batch):
        now[0] += 100e-6 * len(batch)
        batches.append(len(batch))

    host.sig_events.connect(handle)
    count = 3000
    cmd = _script(f"""
        import sys
        for i in range({count}):
            sys.stdout.write({EVENT!r} % (i, i, i) + "\\n")
    """)
    with qtbot.waitSignal(host.sig_finished, timeout=30_000):
        host.start(cmd)
    assert sum(batches) == count
    fits = host_process.TURN_BUDGET_S / 110e-6
    assert max(batches[6:]) <= fits + 1 < LINES_PER_TURN      # once it learnt the cost
    assert abs(host.handle_s - 100e-6) < 20e-6



def _dropped_count(line: str, pattern: str) -> int:
    import re
    match = re.match(pattern, line)
    return int(match.group(1)) if match else 0


def test_a_stderr_flood_shows_its_newest_lines_and_counts_every_other_one(qtbot):
    """A flood in big pieces: each piece's tail is shown, the rest counted exactly (so
    the user sees the last lines a job printed and how many went unseen)."""
    total = 20000
    cmd = _script(f"""
        import sys
        sys.stderr.write("".join("line %d\\n" % i for i in range({total})))
        sys.stderr.write("y" * 10000 + "\\n")
    """)
    _args, _b, output, _h = _run(qtbot, cmd)
    dropped = sum(_dropped_count(line, r"\[(\d+) lines of output dropped\]") for line in output)
    shown = [line for line in output if not line.startswith("[")]
    assert dropped + len(shown) == total + 1          # nothing lost from the count
    assert shown[-1] == "y" * 2000                    # the newest line, cut at the cap
    assert shown[-2] == f"line {total - 1}"           # ... after the lines before it
    numbers = [int(line.split()[1]) for line in shown[:-1]]
    assert numbers == sorted(numbers)                 # in the order they were printed


def test_a_flood_of_lines_that_are_not_events_is_skipped_and_counted(qtbot):
    """A job printing into the host's stream: 120,000 lines that are not events pass
    by with a count and the newest shown, and the events after them all arrive."""
    junk = 120_000
    cmd = _script(f"""
        import sys
        sys.stdout.write("".join("progress %d%%\\n" % (i % 100) for i in range({junk})))
        for i in range(10):
            sys.stdout.write({EVENT!r} % (i, i, i) + "\\n")
    """)
    (outcome, _code), batches, output, host = _run(qtbot, cmd, timeout=60_000)
    assert outcome == "exited"
    assert [e.id for b in batches for e in b] == list(range(10))
    assert host.bad_lines == junk
    unseen = sum(_dropped_count(line, r"\[(\d+) more lines that are not events")
                 for line in output)
    shown = [line for line in output if line.startswith("[not an event] progress")]
    assert unseen + len(shown) == junk
    assert shown[-1] == f"[not an event] progress {(junk - 1) % 100}%"



def test_a_stderr_line_written_in_two_parts_arrives_as_one(qtbot):
    """A scheduler printing a line piece by piece (`print(..., end="")`, a flush, more):
    the log shows one line, not two halves; a last line with no newline still shows."""
    cmd = _script("""
        import sys, time
        sys.stderr.write("submitting batch 1 ... "); sys.stderr.flush()
        time.sleep(0.3)
        sys.stderr.write("done, 50 jobs \\u00e9\\n"); sys.stderr.flush()
        sys.stderr.write("the end, no newline"); sys.stderr.flush()
    """)
    _args, _b, output, _h = _run(qtbot, cmd)
    assert output == ["submitting batch 1 ... done, 50 jobs \u00e9", "the end, no newline"]
