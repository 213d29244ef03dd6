"""Following a job's log and status files while they change."""
from __future__ import annotations

from scheduler_studio.gui.cook.followers import LOG_CAP_CHARS, LogFollower, StatusPoller, local_path


def test_local_path():
    assert local_path("file:///tmp/a%20b.log") == "/tmp/a b.log"
    assert local_path("/tmp/x.log") == "/tmp/x.log"
    assert local_path("http://farm/log/3") == "" and local_path("") == ""


def test_log_is_followed_while_live_and_read_once_more_at_the_end(qtbot, tmp_path):
    log = tmp_path / "logs" / "job.log"
    log.parent.mkdir()
    follower = LogFollower()
    seen = []
    follower.sig_changed.connect(lambda text, cut: seen.append(text))
    follower.follow(str(log), live=True)            # the job has not written yet
    assert follower.text == ""
    log.write_text("starting\n")
    qtbot.waitUntil(lambda: follower.text == "starting\n", timeout=5000)
    with log.open("a") as handle:
        handle.write("frame 1 done\n")
    qtbot.waitUntil(lambda: follower.text.endswith("frame 1 done\n"), timeout=5000)
    with log.open("a") as handle:
        handle.write("finished\n")
    follower.set_live(False)                        # the item finished: final read
    assert follower.text == "starting\nframe 1 done\nfinished\n"
    assert not follower._timer.isActive()
    follower.stop()
    assert seen[-1] == follower.text


def test_log_keeps_only_the_tail(qtbot, tmp_path):
    log = tmp_path / "big.log"
    log.write_text("".join(f"line {i:07d}\n" for i in range(100_000)))   # ~1.3 MB
    follower = LogFollower()
    cuts = []
    follower.sig_changed.connect(lambda _text, cut: cuts.append(cut))
    follower.follow(str(log), live=False)
    assert len(follower.text) <= LOG_CAP_CHARS and cuts[-1]
    assert follower.text.endswith("line 0099999\n")
    follower.stop()


def test_status_poller_reads_files_and_says_when_missing(qtbot, tmp_path):
    status = tmp_path / "status.txt"
    poller = StatusPoller(interval_ms=50)
    texts = []
    poller.sig_status.connect(texts.append)
    poller.watch(status.as_uri(), live=True)
    assert texts[-1].startswith("(not readable yet")
    status.write_text("running\n")
    qtbot.waitUntil(lambda: texts[-1] == "running", timeout=5000)
    poller.stop()
    poller.watch("ftp://somewhere/x", live=False)
    assert "no reader" in texts[-1]
