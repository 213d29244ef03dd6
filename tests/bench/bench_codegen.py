"""Open and Save of a large module: parse + render of a 1 MB scheduler.

The baseline is what any reader of the file pays: ``ast.parse`` plus one
``tokenize`` pass over the same text (the document needs both: statements
and the comments/strings between them). Rows: parse + render of the
unedited module (must give the bytes back), the render of a one-line edit
(what every keystroke's live check pays), and parse + render with CRLF.
"""
from __future__ import annotations

import ast
import io
import statistics
import time
import tokenize

from scheduler_studio.engine.codegen import encode_module, parse, render

TARGET_BYTES = 1024 * 1024 - 4096


def big_module(crlf: bool = False) -> str:
    """A farm-shaped module just under 1 MB: helpers, comments, callbacks."""
    head = ('"""A large farm scheduler (generated for the benchmark)."""\n'
            "import json\nimport os\n\nimport pdg\nfrom pdg.scheduler import PyScheduler\n\n\n"
            "class BigScheduler(PyScheduler):\n"
            "    @classmethod\n    def templateName(cls):\n        return 'big'\n\n"
            "    def onSchedule(self, work_item):\n"
            "        # hand the item to the farm\n"
            "        self.createJobDirsAndSerializeWorkItems(work_item)\n"
            "        return pdg.scheduleResult.Succeeded\n\n")
    parts, size, index = [head], len(head), 0
    limit = TARGET_BYTES * (0.88 if crlf else 1.0) - 400  # CRLF adds a byte a line
    while size < limit:
        chunk = (f"    def _helper_{index}(self, work_item, retries=3):\n"
                 f"        '''Helper {index}: builds part of a command line.'''\n"
                 f"        # comment {index}: keep the farm's quoting happy\n"
                 f"        args = [str(work_item.index), 'frame_{index}', \"{index}\"]\n"
                 f"        if retries > {index % 7}:  # trailing note\n"
                 f"            args.append(os.path.join('a', 'b{index}'))\n"
                 f"        return ' '.join(args)\n\n")
        parts.append(chunk)
        size += len(chunk)
        index += 1
    parts.append("\ndef registerTypes(type_registry):\n"
                 "    type_registry.registerScheduler(BigScheduler, label='Big')\n")
    text = "".join(parts)
    return text.replace("\n", "\r\n") if crlf else text


def _median(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run():
    rows = []
    for crlf in (False, True):
        text = big_module(crlf)
        data = text.encode("utf-8")

        def baseline():
            ast.parse(text)
            list(tokenize.generate_tokens(io.StringIO(text).readline))

        def open_and_save():
            doc = parse(data, "big.py")
            assert encode_module(doc, render(doc)[0]) == data

        base = _median(baseline)
        took = _median(open_and_save, 3)
        name = "parse + render of a 1 MB module" + (" (CRLF)" if crlf else "")
        rows.append({"name": name, "value": took, "unit": "s", "baseline": base,
                     "ratio": took / base, "target": "< 2 s",
                     "note": f"{len(data) / 2**20:.2f} MB; baseline: ast.parse + tokenize"})
        if not crlf:
            doc = parse(data, "big.py")
            edited = doc.with_body("onSchedule", doc.bodies["onSchedule"] + "\nprint(1)")
            took = _median(lambda: render(edited))
            rows.append({"name": "render of a one-line edit in a 1 MB module",
                         "value": took * 1000, "unit": "ms", "baseline": base * 1000,
                         "ratio": took / base, "target": "-",
                         "note": "what each keystroke's live check pays to splice"})
    return rows
