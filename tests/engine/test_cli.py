"""`schedstudio` in-process through main(argv): cook (which runs a cook host process),
graphs, and what the summary says. No process may outlive a cook."""
from __future__ import annotations

import json
import re
import uuid

import psutil
import pytest

from scheduler_studio.engine.cli import main
from scheduler_studio.engine.cli.reporter import Reporter
from tests.engine.cookkit import LOCAL, RECORDER, ROOT, SCHEDULERS, line_of

SUMMARY_KEYS = {"status", "scheduler", "graph", "items", "callbacks", "outputs", "errors",
                "failed_items", "warnings", "shared_servers_ended", "undefined_parameters",
                "undefined_parameter_reads", "notes",
                "stand_ins", "duration_s"}
ITEM_KEYS = {"total", "succeeded", "failed", "cancelled", "uncooked"}
ERROR_KEYS = {"callback", "message", "file", "line", "item"}
FAILED_ITEM_KEYS = {"id", "name", "node", "reason"}
OPTIONAL_ERROR_KEYS = {"missing_module", "type"}
TOTALS = {"frames": 41, "wedge": 18, "static": 14, "sharedserver": 5, "transfer": 4,
          "pernode": 41}


def _cook_json(capsys, tmp_path, module, graph, *extra):
    code = main(["cook", str(module), "--graph", graph, "--json",
                 "--workdir", str(tmp_path / "work"), *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_the_readme_documents_every_summary_key():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("`cook --json` prints one object"):]
    paragraph = paragraph[:paragraph.index("Exit codes")]
    named = set(re.findall(r"`(\w+)`", paragraph))
    assert SUMMARY_KEYS | ITEM_KEYS | ERROR_KEYS | OPTIONAL_ERROR_KEYS | FAILED_ITEM_KEYS \
        <= named


def _check_shape(summary):
    assert set(summary) == SUMMARY_KEYS
    assert set(summary["items"]) == ITEM_KEYS
    for error in summary["errors"]:
        assert ERROR_KEYS <= set(error) <= ERROR_KEYS | OPTIONAL_ERROR_KEYS


@pytest.mark.parametrize("graph", sorted(TOTALS))
def test_local_template_cooks_every_sample_graph(capsys, tmp_path, graph):
    code, summary = _cook_json(capsys, tmp_path, LOCAL, graph)
    _check_shape(summary)
    assert (code, summary["status"]) == (0, "succeeded"), summary
    total = TOTALS[graph]
    assert summary["items"] == {"total": total, "succeeded": total, "failed": 0,
                                "cancelled": 0, "uncooked": 0}
    assert summary["scheduler"] == "localscheduler" and summary["graph"] == graph
    assert summary["errors"] == []


def test_local_template_static_cook(capsys, tmp_path):
    code, summary = _cook_json(capsys, tmp_path, LOCAL, "static", "--static")
    assert (code, summary["status"]) == (0, "succeeded"), summary
    assert summary["callbacks"]["onScheduleStatic"] == 1 and "onSchedule" not in summary["callbacks"]


def test_failing_sample_fails_with_the_right_counts(capsys, tmp_path):
    code, summary = _cook_json(capsys, tmp_path, LOCAL, "failing")
    _check_shape(summary)
    assert (code, summary["status"]) == (1, "failed")
    assert summary["items"] == {"total": 16, "succeeded": 12, "failed": 2, "cancelled": 0,
                                "uncooked": 2}
    failed = summary["failed_items"]
    assert len(failed) == 2 and all(set(entry) == FAILED_ITEM_KEYS for entry in failed)
    assert all(entry["reason"] for entry in failed), failed
    # the human summary of the same cook
    Reporter().cook_summary(summary)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"localscheduler on graph failing: FAILED in \d+\.\d\d s", lines[0])
    assert lines[1] == "  items: 16 total, 12 succeeded, 2 failed, 0 cancelled, 2 uncooked"
    names = ", ".join(entry["name"] for entry in failed)
    assert lines[2] == f"  failed: {names}: {failed[0]['reason']}", lines[2]
    assert lines[3].startswith("  callbacks: getLogURI x14, getStatusURI x14, onSchedule x")
    assert lines[4] == "  outputs: 12 file(s)"


def test_large_sample_through_the_cook_host(capsys, tmp_path):
    # 10,000 items: the recorder finishes them in onSchedule (real jobs are a benchmark)
    code, summary = _cook_json(capsys, tmp_path, RECORDER, "large", "--parm", "finish=inline",
                               "--tick-period", "0.001", "--max-items", "5000")
    assert (code, summary["items"]["succeeded"]) == (0, 10_000)
    assert summary["callbacks"]["onSchedule"] == 10_000


def test_a_callback_that_raises_is_named_with_its_line(capsys, tmp_path):
    module = SCHEDULERS / "raises.py"
    code, summary = _cook_json(capsys, tmp_path, module, "transfer")
    assert (code, summary["status"]) == (1, "failed")
    (error,) = summary["errors"]
    assert error == {"callback": "onSchedule", "message": "RuntimeError: cannot reach the farm",
                     "file": str(module), "line": line_of(module, "RAISES-LINE"), "item": 2,
                     "type": "RuntimeError"}
    main(["cook", str(module), "--graph", "transfer", "--workdir", str(tmp_path / "w2")])
    text = capsys.readouterr().out
    assert (f"  error: onSchedule: RuntimeError: cannot reach the farm "
            f"({module}:{line_of(module, 'RAISES-LINE')})") in text


def _marked(marker):
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if marker in " ".join(proc.info["cmdline"] or []):
            try:
                if proc.status() != psutil.STATUS_ZOMBIE:
                    found.append(proc)
            except psutil.NoSuchProcess:
                pass
    return found


def test_a_hung_callback_times_out_and_leaves_no_process(capsys, tmp_path):
    marker = f"schedstudio-test-{uuid.uuid4().hex}"
    code, summary = _cook_json(capsys, tmp_path, SCHEDULERS / "hang.py", "frames",
                               "--timeout", "2", "--parm", f"marker={marker}")
    _check_shape(summary)
    assert (code, summary["status"]) == (1, "timeout")
    # the item never left onSchedule, so it was never scheduled: uncooked, not cancelled
    assert summary["items"]["uncooked"] == 41 and summary["callbacks"]["onSchedule"] == 1
    (hung,) = [e for e in summary["errors"] if e["callback"] == "onSchedule"]
    assert hung["type"] == "Interrupted" and "when the cook timed out" in hung["message"]
    pids = [int(p) for p in (tmp_path / "work" / "hang-pids.txt").read_text().split()]
    assert len(pids) == 2  # both job processes had started
    assert _marked(marker) == []
    assert not any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
                   for p in pids)


def test_graphs_lists_the_nine_samples(capsys):
    assert main(["graphs"]) == 0
    out = capsys.readouterr().out
    names = re.findall(r"^(\w+)\s", out, re.M)
    assert names == ["failing", "frames", "huge", "large", "pernode", "sharedserver",
                     "static", "transfer", "wedge"]
    assert "wedge        8 wedged variants" in out
    assert "sim(generator) -> measure(processor, dynamic) -> by_variant(partitioner)" in out


def test_human_summary(capsys, tmp_path):
    code = main(["cook", str(RECORDER), "--graph", "transfer", "--parm", "finish=inline",
                 "--workdir", str(tmp_path / "work"), "--tick-period", "0.001"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert re.fullmatch(r"recorder on graph transfer: SUCCEEDED in \d+\.\d\d s", lines[0])
    assert lines[1:] == [
        "  items: 4 total, 4 succeeded, 0 failed, 0 cancelled, 0 uncooked",
        "  callbacks: applicationBin x4, localizePath x4, "
        "onSchedule x4, onStart x1, onStartCook x1, onStop x1, onStopCook x1, onTick x1, "
        "onTransferFile x1, workingDir x1",
        "  outputs: 0 file(s)",
    ]


def test_events_stream_is_ndjson(capsys, tmp_path):
    code = main(["cook", str(RECORDER), "--graph", "transfer", "--events", "--parm",
                 "finish=inline", "--workdir", str(tmp_path / "work")])
    lines = capsys.readouterr().out.splitlines()
    events = [json.loads(line) for line in lines]
    assert code == 0 and all(e["v"] == 1 for e in events)
    types = [e["type"] for e in events]
    start = types.index("cook_started")
    assert [e["name"] for e in events[:start]] == ["onStart", "workingDir"]
    assert types[-1] == "cook_finished" and types.count("cook_finished") == 1
    assert events[-1]["summary"]["status"] == "succeeded"


def test_a_missing_module_file(capsys, tmp_path):
    assert main(["cook", str(tmp_path / "nosuch.py"), "--graph", "frames"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_an_unknown_graph(capsys, tmp_path):
    # refused before the module is loaded: no scheduler is named
    code, summary = _cook_json(capsys, tmp_path, RECORDER, "nosuchgraph")
    assert (code, summary["status"], summary["scheduler"]) == (2, "error", "")
    assert "no sample graph or file named 'nosuchgraph'" in summary["errors"][0]["message"]
    _check_shape(summary)


def test_a_module_that_does_not_load(capsys, tmp_path):
    module = tmp_path / "broken.py"
    module.write_text("import pdg\n\nclass S(pdg.scheduler.PyScheduler)\n    pass\n")
    code, summary = _cook_json(capsys, tmp_path, module, "frames")
    assert (code, summary["status"]) == (2, "error")
    (error,) = summary["errors"]
    assert (error["file"], error["line"]) == (str(module), 3)
    assert error["message"].startswith("syntax error")


def test_every_cook_host_is_told_to_die_with_its_caller():
    """The window's cook hosts too: a killed window leaves no cook running."""
    import os
    from scheduler_studio.engine.hostclient import host_env
    from scheduler_studio.engine.processes import PARENT_PID_ENV
    assert host_env()[PARENT_PID_ENV] == str(os.getpid())


def test_check_reads_a_module_in_its_declared_encoding(capsys, tmp_path):
    module = tmp_path / "latin.py"
    module.write_bytes(b"# -*- coding: latin-1 -*-\nimport pdg\nNAME = 'caf\xe9'\n")
    assert main(["check", str(module)]) == 0


def test_check_names_the_line_of_bytes_that_are_not_utf8(capsys, tmp_path):
    module = tmp_path / "latin.py"
    module.write_bytes(b"import pdg\n\n# caf\xe9\n")
    assert main(["check", str(module)]) == 1
    out = capsys.readouterr().out
    assert f"{module}:3:" in out and "line 3, column 6" in out and "position" not in out
