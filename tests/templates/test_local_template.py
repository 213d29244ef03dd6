"""The Local template, the reference example: every sample graph, the concurrency
limit, per-item logs and status files, and cancel (timeout and SIGTERM)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from scheduler_studio.engine.cli import main as cli_main
from scheduler_studio.engine.cook.events import ItemState

from .support import (SAMPLES, TEMPLATES, check_round_trip, check_sample, cook,
                      sleep_graph, wait_gone, write_graph)

LOCAL = TEMPLATES / "local.py"

# A job that prints when it started and ended (for the concurrency checks).
TIMED = ("{python} -c \"import time; t = time.time(); time.sleep(0.3); "
         "print('ran', t, time.time())\"")


@pytest.mark.parametrize("graph", sorted(SAMPLES))
def test_every_sample_graph(graph, tmp_path):
    static, _ = SAMPLES[graph]
    result = cook(LOCAL, graph, tmp_path, static=static)
    check_sample(result, graph, ended_server_counted=True)
    for event in result.details():
        status = Path(urlparse(event.status_uri).path).read_text()
        assert status.startswith("exit code ")


def _runs(folder: Path) -> list[tuple[float, float]]:
    runs = []
    for log in folder.glob("pdgtemp/*/logs/*.log"):
        _, start, end = log.read_text().split()
        runs.append((float(start), float(end)))
    return sorted(runs)


def _most_at_once(runs: list[tuple[float, float]]) -> int:
    edges = sorted([(start, 1) for start, _ in runs] + [(end, -1) for _, end in runs])
    most = now = 0
    for _, step in edges:
        now += step
        most = max(most, now)
    return most


@pytest.mark.parametrize("max_jobs", [1, 2])
def test_max_jobs_limits_the_jobs_running_at_once(max_jobs, tmp_path):
    graph = write_graph(tmp_path, "timed", [
        {"name": "job", "kind": "generator", "count": 4, "command": TIMED}])
    result = cook(LOCAL, graph, tmp_path, parms={"max_jobs": max_jobs})
    assert result.status == "succeeded", result.summary["errors"]
    runs = _runs(tmp_path)
    assert len(runs) == 4
    assert _most_at_once(runs) == max_jobs


def test_timeout_ends_running_jobs_and_drops_queued_ones(tmp_path):
    marker = f"napping-{tmp_path.name}"
    result = cook(LOCAL, sleep_graph(tmp_path, marker), tmp_path, timeout=2,
                  parms={"max_jobs": 2})
    assert result.status == "timeout"
    assert result.items["cancelled"] == 3
    assert result.leftover_warnings() == []
    assert wait_gone(marker) == []
    statuses = sorted(p.read_text().strip()
                      for p in tmp_path.glob("pdgtemp/*/status/nap_*.txt"))
    assert len(statuses) == 2  # the third item never left the queue
    assert all(s.startswith("exit code -15") for s in statuses)


def test_cancel_with_sigterm_once_the_jobs_run(tmp_path):
    marker = f"napping-{tmp_path.name}"

    def cooking(events):
        return sum(isinstance(e, ItemState) and e.state == "Cooking" for e in events) >= 3

    result = cook(LOCAL, sleep_graph(tmp_path, marker), tmp_path, timeout=60,
                  parms={"max_jobs": 3}, stop_when=cooking)
    assert result.status == "cancelled"
    assert result.items["cancelled"] == 3, (result.items, [
        (e.id, e.state, e.cause) for e in result.events if isinstance(e, ItemState)])
    assert wait_gone(marker) == []


def test_a_job_that_runs_a_while_says_so_in_its_status_file(tmp_path):
    # a short job's status is written once, when it ends; one that is still running
    # after half a second gets "running as pid N" first, naming its own process
    marker = f"napping-{tmp_path.name}"
    seen = {}

    def running(events):
        for path in tmp_path.glob("pdgtemp/*/status/nap_*.txt"):
            text = path.read_text()
            if text.startswith("running as pid "):
                pid = int(text.split()[3])
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                seen[path.name] = marker.encode() in cmdline
        return len(seen) == 2

    result = cook(LOCAL, sleep_graph(tmp_path, marker, count=2), tmp_path, timeout=60,
                  parms={"max_jobs": 2}, stop_when=running)
    assert result.status == "cancelled"
    assert seen == {"nap_1.txt": True, "nap_2.txt": True}
    statuses = [p.read_text() for p in tmp_path.glob("pdgtemp/*/status/nap_*.txt")]
    assert len(statuses) == 2 and all(s.startswith("exit code -15") for s in statuses)
    assert wait_gone(marker) == []


def test_template_round_trips_through_the_editor():
    check_round_trip(LOCAL)


def test_new_from_the_local_template_cooks(tmp_path, capsys):
    out = tmp_path / "mylocal.py"
    assert cli_main(["new", "mylocal", "--template", "local", "-o", str(out)]) == 0
    assert cli_main(["check", str(out)]) == 0
    capsys.readouterr()
    result = cook(out, "transfer", tmp_path / "work")
    assert result.summary["scheduler"] == "mylocal"
    check_sample(result, "transfer")


def test_a_job_that_cannot_be_prepared_fails_alone_and_the_slot_lives_on(tmp_path):
    # one slot, and the disk refuses one item's files: that item fails, the rest cook
    variant = tmp_path / "fragile_local.py"
    variant.write_text(LOCAL.read_text() + '''

class FragileLocal(LocalScheduler):
    def createJobDirsAndSerializeWorkItems(self, work_item):
        if work_item.name == "render_3":
            raise OSError(28, "No space left on device")
        return LocalScheduler.createJobDirsAndSerializeWorkItems(self, work_item)


def registerTypes(type_registry):
    type_registry.registerScheduler(FragileLocal, label="Fragile", name="fragile")
''')
    result = cook(variant, "frames", tmp_path / "work", parms={"max_jobs": 1})
    assert result.status == "failed"
    assert result.items == {"total": 41, "succeeded": 38, "failed": 1, "cancelled": 0,
                            "uncooked": 2}  # render_3's denoise and the partition
    assert any("render_3: [Errno 28] No space left on device" in w for w in result.warnings())
