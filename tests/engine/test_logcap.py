"""Job logs capped with a note at the cut (`scheduler_studio.engine.cook.logcap`), on real files."""
from __future__ import annotations

from scheduler_studio.engine.cook.logcap import LogCaps, log_path

LINE = b"x" * 99 + b"\n"  # 100 bytes


def caps(cap=1000):
    return LogCaps(cap)


def test_a_log_under_the_cap_is_left_alone(tmp_path):
    log = tmp_path / "a.log"
    log.write_bytes(LINE * 10)
    logs = caps()
    logs.watch(1, log.as_uri())
    assert logs.poll(0.0) == [] and logs.finished(1) is None
    assert log.read_bytes() == LINE * 10


def test_a_log_past_the_cap_is_cut_at_a_line_end_with_a_note(tmp_path):
    log = tmp_path / "b.log"
    log.write_bytes(LINE * 9 + b"y" * 150 + b"\n" + LINE * 30)
    logs = caps()
    logs.watch(1, str(log))
    assert logs.finished(1) == str(log)
    assert log.read_bytes() == LINE * 9 + logs.note  # the half line past 1000 went too


def test_a_job_writing_on_is_cut_again_and_reported_once(tmp_path):
    log = tmp_path / "c.log"
    logs = caps()
    with open(log, "wb", buffering=0) as job:           # a plain "w" log, as jobs get
        logs.watch(1, log.as_uri())
        job.write(LINE * 20)
        assert logs.poll(0.0) == [str(log)]
        job.write(LINE * 20)                            # on at its own offset: a hole
        assert logs.poll(1.0) == []                     # cut again, not reported again
        assert log.read_bytes() == LINE * 10 + logs.note
        job.write(LINE)
        assert logs.finished(1) is None
    assert log.read_bytes() == LINE * 10 + logs.note


def test_an_appending_job_is_cut_back_to_the_note(tmp_path):
    log = tmp_path / "d.log"
    logs = caps()
    with open(log, "ab", buffering=0) as job:
        logs.watch(1, log.as_uri())
        job.write(LINE * 20)
        logs.poll(0.0)
        job.write(LINE * 5)
    assert logs.finish_all() == []
    assert log.read_bytes() == LINE * 10 + logs.note


def test_checks_wait_their_period_and_missing_logs_are_no_error(tmp_path):
    log = tmp_path / "e.log"
    logs = caps()
    logs.watch(1, str(log))                # not made yet
    assert logs.poll(0.0) == []
    log.write_bytes(LINE * 20)
    assert logs.poll(0.1) == []            # too soon after the last check
    assert logs.poll(0.6) == [str(log)]


def test_only_local_logs_are_capped():
    assert log_path("file:///tmp/a%20b.log") == "/tmp/a b.log"
    assert log_path("/tmp/x.log") == "/tmp/x.log"
    assert log_path("http://farm/logs/1") == "" and log_path("") == ""
    assert log_path("relative.log") == ""


def test_many_running_logs_are_checked_a_bounded_round_at_a_time(tmp_path, monkeypatch):
    from scheduler_studio.engine.cook import logcap
    monkeypatch.setattr(logcap, "CHECKS_PER_POLL", 4)
    logs = caps()
    paths = []
    for item in range(10):
        path = tmp_path / f"job{item}.log"
        path.write_bytes(LINE * 2)
        logs.watch(item, str(path))
        paths.append(path)
    looked: list[str] = []
    real_check = logs._check
    monkeypatch.setattr(logs, "_check", lambda p: looked.append(p) or real_check(p))
    paths[9].write_bytes(LINE * 20)                   # the last one floods
    assert logs.poll(0.0) == [] and len(looked) == 4  # a round of four
    assert logs.poll(0.5) == [] and len(looked) == 8
    assert logs.poll(1.0) == [str(paths[9])]          # its turn came: cut
    assert sorted(set(looked)) == sorted(map(str, paths))  # each was looked at
    assert paths[9].read_bytes().endswith(logs.note)


def test_the_last_line_of_a_log_is_its_last_text_shortened_and_printable(tmp_path):
    log = tmp_path / "e.log"
    logs = caps()
    logs.watch(1, log.as_uri())
    assert logs.last_line(1) == "" and logs.last_line(2) == ""  # no file; not watched
    log.write_bytes(b"before crash\n[local scheduler] job ended by signal 11\n\n  \n")
    assert logs.last_line(1) == "[local scheduler] job ended by signal 11"
    log.write_bytes(b"\x1b[31mred\x00\xff\n")
    assert logs.last_line(1) == " [31mred \ufffd"
    log.write_bytes(b"z" * 1000 + b"\n")
    assert len(logs.last_line(1)) == 300 and logs.last_line(1).endswith("...")


def test_the_note_at_a_cut_is_not_a_logs_last_line(tmp_path):
    log = tmp_path / "f.log"
    log.write_bytes(LINE * 9 + b"the job's last words\n" + LINE * 30)
    logs = caps()
    logs.watch(1, str(log))
    logs.poll(0.0)
    assert logs.last_line(1) == "the job's last words"  # the last whole line kept
