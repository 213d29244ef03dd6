"""Opening, checking and loading hostile modules: mutated schedulers, random bytes,
binary, other encodings, a 20 MB file, deep nesting, very long lines.

`parse` must give a document or a `SchedulerParseError` naming file and line,
`check_source` a list of `Problem`s, `load_module` a registry or a `ModuleLoadError`:
never another exception, and never a hang (each call has a deadline; `load_module`
runs module code, so it runs in a worker process with a timeout).
"""
from __future__ import annotations

import json
import random
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scheduler_studio.engine.check import Problem, check_source
from scheduler_studio.engine.codegen import SchedulerDocument, SchedulerParseError, parse, render
from tests.reliability.support import DATA, PYTHON, ROOT, env_with_project

SEEDS = {path.name: path.read_bytes() for path in
         sorted((ROOT / "resources" / "templates").glob("*.py"))
         + sorted((ROOT / "tests" / "data" / "modules").glob("*.py"))}
LOCAL_TEXT = SEEDS["local.py"]
CALL_DEADLINE_S = 30.0   # generous: the machine is shared; a hang is minutes, not seconds


class Hang(BaseException):
    """Raised in the main thread when a call runs past its deadline."""


def _interrupt(signum: int, frame: Any) -> None:
    raise Hang()


def bounded(fn: Callable, *args: Any, deadline: float = CALL_DEADLINE_S) -> tuple[Any, float]:
    """(result, seconds) of fn(*args); a call that runs past `deadline` is broken out of
    (SIGUSR2 from a timer thread) and fails the test."""
    previous = signal.signal(signal.SIGUSR2, _interrupt)
    main = threading.main_thread().ident
    timer = threading.Timer(deadline, signal.pthread_kill, (main, signal.SIGUSR2))
    timer.start()
    started = time.monotonic()
    try:
        return fn(*args), time.monotonic() - started
    except Hang:
        raise AssertionError(f"{getattr(fn, '__name__', fn)} did not finish within "
                             f"{deadline:g} s") from None
    finally:
        timer.cancel()
        signal.signal(signal.SIGUSR2, previous)


# -- mutations ---------------------------------------------------------------------------
# Each takes the module bytes and `pick(lo, hi)` (an int in [lo, hi]); hypothesis and a
# seeded random generator both drive them.

def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def delete_line(data: bytes, pick) -> bytes:
    lines = _lines(data)
    del lines[pick(0, len(lines) - 1)]
    return b"".join(lines)


def duplicate_line(data: bytes, pick) -> bytes:
    lines = _lines(data)
    i = pick(0, len(lines) - 1)
    return b"".join(lines[:i + 1] + lines[i:])


def swap_lines(data: bytes, pick) -> bytes:
    lines = _lines(data)
    i, j = pick(0, len(lines) - 1), pick(0, len(lines) - 1)
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def flip_byte(data: bytes, pick) -> bytes:
    if not data:
        return bytes([pick(0, 255)])
    i = pick(0, len(data) - 1)
    return data[:i] + bytes([data[i] ^ pick(1, 255)]) + data[i + 1:]


def truncate(data: bytes, pick) -> bytes:
    return data[:pick(0, len(data))]


_INDENTS = (b" ", b"  ", b"    ", b"\t", b"        ")


def change_indent(data: bytes, pick) -> bytes:
    lines = _lines(data)
    i = pick(0, len(lines) - 1)
    if pick(0, 1):
        lines[i] = _INDENTS[pick(0, len(_INDENTS) - 1)] + lines[i]
    else:
        stripped = lines[i].lstrip(b" \t")
        cut = pick(1, 4)
        lines[i] = lines[i][:max(0, len(lines[i]) - len(stripped) - cut)] + stripped
    return b"".join(lines)


_JUNK = (b"(", b")", b"]", b"'''", b'"', b"\\", b":", b"def", b"class X(PyScheduler):",
         b"\xff\xfe", b"\x00", b"\r", b"\xe9", b"lambda", b"@", b"async ", b"yield", b"#")


def insert_junk(data: bytes, pick) -> bytes:
    lines = _lines(data)
    i = pick(0, len(lines))
    junk = b"".join(_JUNK[pick(0, len(_JUNK) - 1)] for _ in range(pick(1, 3)))
    indent = _INDENTS[pick(0, len(_INDENTS) - 1)] if pick(0, 1) else b""
    return b"".join(lines[:i] + [indent + junk + b"\n"] + lines[i:])


MUTATIONS = (delete_line, duplicate_line, swap_lines, flip_byte, truncate, change_indent,
             insert_junk)


def mutate(data: bytes, pick, count: int) -> tuple[bytes, list[str]]:
    done = []
    for _ in range(count):
        op = MUTATIONS[pick(0, len(MUTATIONS) - 1)]
        data = op(data, pick)
        done.append(op.__name__)
    return data, done


@st.composite
def mutated_modules(draw) -> tuple[str, bytes, list[str]]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    pick = lambda lo, hi: draw(st.integers(lo, hi))  # noqa: E731
    data, done = mutate(SEEDS[name], pick, draw(st.integers(1, 4)))
    return name, data, done


# -- hand-made hostile files -------------------------------------------------------------

def _deep(kind: str, depth: int) -> bytes:
    expression = {"binop": "1" + "+1" * depth, "attr": "a" + ".b" * depth,
                  "call": "f" + "()" * depth, "parens": "(" * depth + "1" + ")" * depth,
                  "lists": "[" * depth + "]" * depth, "not": "not " * depth + "1",
                  "subscript": "a" + "[0]" * depth}[kind]
    return f"X = {expression}\n".encode() + LOCAL_TEXT


def _deep_in_method(depth: int) -> bytes:
    return LOCAL_TEXT.replace(b"    def onStart(self):\n",
                              b"    def onStart(self):\n        x = 1" + b"+1" * depth + b"\n", 1)


def _deep_blocks(depth: int) -> bytes:
    body = "".join("    " * i + "if x:\n" for i in range(depth)) + "    " * depth + "pass\n"
    return body.encode() + LOCAL_TEXT


def hostile_files() -> dict[str, bytes]:
    rng = random.Random(7)
    cases = {
        "empty": b"",
        "random_bytes": bytes(rng.randrange(256) for _ in range(4096)),
        "binary_with_nul": b"\x7fELF\x02\x01\x01\x00"
                           + bytes(rng.randrange(256) for _ in range(2048)),
        "latin1": LOCAL_TEXT.replace(b"Runs work items", "Exécute les".encode("latin-1")),
        "utf16": LOCAL_TEXT.decode("utf-8").encode("utf-16"),
        "bom_then_junk": b"\xef\xbb\xbf\xef\xbb\xbf" + LOCAL_TEXT,
        "lone_surrogate_escape": LOCAL_TEXT + b"\nX = '\xed\xa0\x80'\n",
        "huge_20mb_comment": LOCAL_TEXT + b"#" + b"x" * (20 * 2**20) + b"\n",
        "huge_20mb_code": LOCAL_TEXT + b"y = 1\n" * (20 * 2**20 // 6),
        "long_line_string": b"X = '" + b"a" * (900 * 1024) + b"'\n" + LOCAL_TEXT,
        "long_line_call": b"X = max(" + b"1, " * 30_000 + b"1)\n" + LOCAL_TEXT,
        "many_classes": LOCAL_TEXT + b"".join(b"class C%d(PyScheduler):\n    pass\n" % i
                                              for i in range(2000)),
        "deep_method_binop": _deep_in_method(950),
        "deep_method_binop_100k": _deep_in_method(100_000),
        "deep_blocks_99": _deep_blocks(99),
        "deep_blocks_150": _deep_blocks(150),
        "only_crlf": LOCAL_TEXT.replace(b"\n", b"\r\n"),
        "only_cr": LOCAL_TEXT.replace(b"\n", b"\r"),
        "form_feeds": LOCAL_TEXT.replace(b"\n\n", b"\n\x0c\n"),
        "python2": b"import pdg\nprint 'hello'\nclass S(PyScheduler):\n    pass\n",
    }
    for kind in ("binop", "attr", "call", "parens", "lists", "not", "subscript"):
        for depth in (950, 100_000):
            cases[f"deep_{kind}_{depth}"] = _deep(kind, depth)
    return cases


HOSTILE = hostile_files()
UNREADABLE = ("binary_with_nul", "latin1", "utf16", "lone_surrogate_escape",
              "huge_20mb_comment", "huge_20mb_code")


# -- parse and check_source, in-process --------------------------------------------------

def _clear_parse(data: bytes, filename: str) -> str:
    """'document' or 'error', after checking what parse answered is one of them."""
    try:
        doc, _ = bounded(parse, data, filename)
    except SchedulerParseError as exc:
        assert exc.filename == filename and exc.line >= 1 and exc.message.strip()
        assert str(exc).startswith(f"{filename}:{exc.line}: ")
        return "error"
    assert isinstance(doc, SchedulerDocument)
    (text, _), _ = bounded(render, doc)  # a document that opened must also show and save
    assert isinstance(text, str)
    return "document"


def _clear_check(data: bytes, filename: str) -> list[Problem]:
    problems, _ = bounded(check_source, data, filename)
    assert isinstance(problems, list)
    assert all(isinstance(p, Problem) and p.line >= 1 and p.message for p in problems)
    return problems


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_modules())
def test_mutated_modules_parse_or_fail_clearly(case):
    name, data, done = case
    filename = f"mutated-{name}"
    event(_clear_parse(data, filename))
    _clear_check(data, filename)


@settings(max_examples=60, deadline=None, database=None)
@given(st.binary(max_size=3000)
       | st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_random_bytes_parse_or_fail_clearly(data):
    _clear_parse(data, "random.py")
    _clear_check(data, "random.py")


def test_hostile_files_parse_and_check_clearly():
    # how fast: `make bench` (bench_timings); a hang is the suite's per-test timeout
    outcomes = {}
    for name, data in HOSTILE.items():
        outcomes[name] = _clear_parse(data, name)
        problems = _clear_check(data, name)
        if name in UNREADABLE:
            # a file that cannot even be read is never one the checker passes silently
            assert [p.severity for p in problems] == ["error"], name
    for name in ("empty", "random_bytes", "python2", *UNREADABLE):
        assert outcomes[name] == "error", name
    for name in ("deep_method_binop", "only_crlf", "only_cr", "long_line_string",
                 "deep_blocks_99"):
        assert outcomes[name] == "document", name


def test_messages_say_what_is_wrong():
    def message(data: bytes) -> str:
        try:
            parse(data, "m.py")
        except SchedulerParseError as exc:
            return exc.message
        raise AssertionError("parsed")

    assert "binary" in message(HOSTILE["binary_with_nul"])
    assert "UTF-8" in message(HOSTILE["latin1"])
    assert "20.0 MB" in message(HOSTILE["huge_20mb_comment"])
    assert "nested too deeply" in message(_deep("binop", 1200))
    assert "Python 2" in message(HOSTILE["python2"])
    [problem] = check_source(_deep("binop", 950), "m.py")
    assert problem.code == "too-deep" and problem.severity == "warning"


# -- load_module, in a worker process ----------------------------------------------------

def _load_all(folder: Path, files: dict[str, bytes], timeout: float = 150) -> dict[str, dict]:
    paths = []
    for name, data in files.items():
        path = folder / f"{name}.py"
        path.write_bytes(data)
        paths.append(str(path))
    done = subprocess.run([PYTHON, str(DATA / "load_worker.py"), *paths], cwd=folder,
                          capture_output=True, text=True, timeout=timeout,
                          env=env_with_project())
    assert done.returncode == 0, done.stderr[-3000:]
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(paths), done.stderr[-3000:]
    return {Path(a["file"]).stem: a for a in answers}


def _assert_clear(answers: dict[str, dict]) -> None:
    bad = {name: a for name, a in answers.items() if a["outcome"] not in ("ok", "error")}
    assert bad == {}, "\n".join(f"{n}: {a['outcome']} {a.get('text', '')}" for n, a in bad.items())
    for name, answer in answers.items():
        if answer["outcome"] == "error":
            assert answer["reason"].strip() and answer["text"].startswith(answer["file"]), name


def test_load_module_mutated_modules(tmp_path):
    rng = random.Random(20240611)
    files = {}
    for n in range(80):
        name = rng.choice(sorted(SEEDS))
        data, _ = mutate(SEEDS[name], rng.randint, rng.randint(1, 3))
        files[f"m{n:03d}_{Path(name).stem}"] = data
    answers = _load_all(tmp_path, files)
    _assert_clear(answers)
    # the mutations do not all break the modules: loading is really exercised
    assert sum(a["outcome"] == "ok" for a in answers.values()) >= 5


_SELF_HARM = {
    "exits_at_import": b"import sys\nsys.exit(4)\n" + LOCAL_TEXT,
    "register_exits": LOCAL_TEXT.replace(b"def registerTypes(type_registry):\n",
                                         b"def registerTypes(type_registry):\n"
                                         b"    raise SystemExit(3)\n"),
    "template_name_exits": LOCAL_TEXT.replace(
        b'        return "localscheduler"', b"        raise SystemExit(5)"),
    "registers_a_number": LOCAL_TEXT.replace(b"registerScheduler(LocalScheduler",
                                             b"registerScheduler(42"),
    "no_register": LOCAL_TEXT.replace(b"def registerTypes", b"def registerTypos"),
    "recursion_at_import": b"def f():\n    return f()\nf()\n" + LOCAL_TEXT,
    "memory_at_import": b"x = 'a' * (1 << 62)\n" + LOCAL_TEXT,
}


def test_load_module_hostile_files(tmp_path):
    files = {name: data for name, data in HOSTILE.items() if name != "huge_20mb_code"}
    files.update(_SELF_HARM)
    answers = _load_all(tmp_path, files)
    _assert_clear(answers)
    for name in ("random_bytes", "binary_with_nul", "latin1", "utf16", "exits_at_import",
                 "register_exits", "template_name_exits", "registers_a_number",
                 "recursion_at_import", "memory_at_import",
                 "deep_binop_100000", "python2"):
        assert answers[name]["outcome"] == "error", (name, answers[name])
    assert "SystemExit" in answers["register_exits"]["reason"]
    for name in ("huge_20mb_comment", "deep_method_binop", "only_crlf", "long_line_call",
                 "no_register"):  # no registerTypes: its one class, as an HDA registers it
        assert answers[name]["outcome"] == "ok", (name, answers[name])
