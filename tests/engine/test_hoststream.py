"""The cook host clients' shared framing and stop policy (`engine.hoststream`), alone:
any chunking gives the same lines, over-long lines are dropped and counted, and the
stop steps run on a fake clock."""
from __future__ import annotations

import heapq

from hypothesis import given, settings, strategies as st

from scheduler_studio.engine import hoststream
from scheduler_studio.engine.hoststream import (CANCELLED, CRASHED, END_LEFTOVERS, EXITED,
                                                FAILED_TO_START, KILL_GROUP, KILLED,
                                                TERMINATE, WAIT, LineFramer, Step,
                                                StopPolicy)

CAP = 16


def reference(stream: bytes, cap: int = CAP) -> tuple[list[bytes], int]:
    """What the framer must give for the whole stream at once: (lines, dropped)."""
    raw = stream.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    lines, dropped = [], 0
    for line in raw:
        if len(line) > cap:
            dropped += 1
        elif line.removesuffix(b"\r").strip():
            lines.append(line.removesuffix(b"\r"))
    return lines, dropped


def framed(chunks: list[bytes], cap: int = CAP) -> tuple[list[bytes], int]:
    framer = LineFramer(cap)
    out = []
    for chunk in chunks:
        out += framer.feed(chunk)
        assert framer.pending_bytes() <= cap  # never holds more than one capped line
    out += framer.close()
    return out, framer.dropped


def cut(stream: bytes, points: list[int]) -> list[bytes]:
    points = sorted({p % (len(stream) + 1) for p in points})
    bounds = [0, *points, len(stream)]
    return [stream[a:b] for a, b in zip(bounds, bounds[1:])]


line_bytes = st.binary(max_size=3 * CAP).map(lambda b: b.replace(b"\n", b"x"))
pieces = st.lists(st.one_of(line_bytes, st.just(b"\r"), st.just(b" "), st.just(b"")),
                  max_size=12)


@settings(max_examples=400, deadline=None)
@given(pieces, st.booleans(), st.lists(st.integers(min_value=0), max_size=20))
def test_any_chunking_gives_the_lines_of_the_whole_stream(parts, newline_at_end, points):
    stream = b"\n".join(parts) + (b"\n" if newline_at_end else b"")
    assert framed(cut(stream, points)) == reference(stream)


@settings(max_examples=100, deadline=None)
@given(pieces)
def test_byte_at_a_time_is_the_same_as_all_at_once(parts):
    stream = b"\n".join(parts)
    assert framed([stream[i:i + 1] for i in range(len(stream))]) == framed([stream])


def test_an_overlong_line_is_dropped_and_counted_wherever_it_is_cut():
    long = b"y" * (CAP * 10)
    stream = b'{"a":1}\n' + long + b"\n" + b'{"b":2}\n'
    for size in (1, 3, CAP, CAP + 1, len(stream)):
        chunks = [stream[i:i + size] for i in range(0, len(stream), size)]
        assert framed(chunks) == ([b'{"a":1}', b'{"b":2}'], 1), size


def test_a_line_of_exactly_the_cap_is_kept():
    assert framed([b"z" * CAP + b"\n", b"z" * (CAP + 1) + b"\n"]) == ([b"z" * CAP], 1)


def test_the_last_line_without_a_newline_comes_with_close():
    framer = LineFramer(CAP)
    assert framer.feed(b"one\ntw") == [b"one"]
    assert framer.feed(b"o") == []
    assert framer.close() == [b"two"]
    assert framer.close() == []                       # and only once
    assert framer.feed(b"three\n") == [b"three"]      # a fresh stream after close


def test_an_overlong_last_line_is_dropped_at_close():
    framer = LineFramer(CAP)
    assert framer.feed(b"a" * (CAP + 5)) == []
    assert framer.close() == [] and framer.dropped == 1


def test_crlf_and_blank_lines():
    assert framed([b"a\r\n\r\n  \n", b"b\r", b"\n\n"]) == ([b"a", b"b"], 0)


def test_the_default_cap_is_the_event_cap():
    assert LineFramer().max_line_bytes == hoststream.MAX_LINE_BYTES


# -- the stop policy, against a fake host on a fake clock ----------------------------------
class FakeHost:
    """Carries out the policy's steps the way a client does, timers on a fake clock."""

    def __init__(self, policy: StopPolicy, obeys_term: bool = True, exits_after: float = 0.5):
        self.policy, self.obeys_term, self.exits_after = policy, obeys_term, exits_after
        self.now = 0.0
        self.timers: list[tuple[float, int, str]] = []
        self.log: list[tuple[float, str]] = []
        self.alive = True

    def run(self, steps: list[Step]) -> None:
        for step in steps:
            self.log.append((self.now, step.kind))
            if step.kind == TERMINATE and self.obeys_term:
                self.at(self.now + self.exits_after, "exit")
            elif step.kind == WAIT:
                self.at(self.now + step.seconds, "grace")
            elif step.kind == KILL_GROUP:
                self.at(self.now, "killed")

    def at(self, when: float, what: str) -> None:
        heapq.heappush(self.timers, (when, len(self.timers), what))

    def advance(self, until: float = float("inf")) -> None:
        while self.timers and self.timers[0][0] <= until:
            self.now, _, what = heapq.heappop(self.timers)
            if what == "grace":
                self.run(self.policy.grace_over())
            elif self.alive:  # "exit" or "killed": the host is gone
                self.alive = False
                self.run(self.policy.host_exited(crashed=what == "killed"))


def test_a_host_that_obeys_terminate_is_cancelled_not_killed():
    host = FakeHost(StopPolicy(grace_s=3.0))
    host.run(host.policy.cancel())
    host.run(host.policy.cancel())            # a second Cancel does nothing more
    host.advance()
    assert host.log == [(0.0, TERMINATE), (0.0, WAIT), (0.5, END_LEFTOVERS)]
    assert host.policy.outcome == CANCELLED


def test_a_host_that_ignores_terminate_is_killed_after_the_grace():
    host = FakeHost(StopPolicy(grace_s=3.0), obeys_term=False)
    host.run(host.policy.cancel())
    host.advance(2.9)
    assert host.alive and host.policy.outcome is None
    host.advance()
    assert host.log == [(0.0, TERMINATE), (0.0, WAIT), (3.0, KILL_GROUP),
                        (3.0, END_LEFTOVERS)]
    assert host.policy.outcome == KILLED


def test_abort_kills_at_once_and_a_later_cancel_does_nothing():
    host = FakeHost(StopPolicy())
    host.run(host.policy.abort())
    host.run(host.policy.cancel())
    host.advance()
    assert host.log == [(0.0, KILL_GROUP), (0.0, END_LEFTOVERS)]
    assert host.policy.outcome == KILLED


def test_ends_nobody_asked_for():
    policy = StopPolicy()
    assert policy.outcome is None
    assert policy.host_exited() == [Step(END_LEFTOVERS)]
    assert policy.outcome == EXITED
    assert policy.cancel() == [] and policy.grace_over() == [] and policy.abort() == []
    assert policy.host_exited() == []          # reported once

    crashed = StopPolicy()
    crashed.host_exited(crashed=True)
    assert crashed.outcome == CRASHED

    never = StopPolicy()
    assert never.failed_to_start() == [] and never.outcome == FAILED_TO_START
    assert never.cancel() == []


def test_a_grace_that_ends_after_the_exit_kills_nothing():
    policy = StopPolicy(grace_s=1.0)
    policy.cancel()
    policy.host_exited()
    assert policy.grace_over() == []
    assert policy.outcome == CANCELLED


def test_the_outcome_names_are_the_ones_the_window_shows():
    assert hoststream.OUTCOMES == ("exited", "cancelled", "killed", "crashed",
                                   "failed_to_start")
