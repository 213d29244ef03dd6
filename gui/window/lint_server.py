"""The checker process: ``python -m scheduler_studio.gui.window.lint_server``, NDJSON over stdin/stdout.

Rendering and checking a large module is pure Python plus long C calls
(``ast.parse`` of the whole module) that hold the GIL; run in the editor's
process, they would stall its GUI thread for tens of milliseconds. Here
they run in a process of their own. No Qt is imported.

Requests (one JSON object a line):
  {"v": 1, "kind": "quick", "version": N, "field": F, "text": T}
  {"v": 1, "kind": "full", "version": N, "document": {...doc_codec...},
   "cook": {"path": FILE, "standins": [DIR], "stubs": [MODULE], "parms": [NAME]}}
   ("cook", optional: what a test cook would be given, as `schedstudio check` takes it)
Answers:
  {"v": 1, "kind": "quick", "version": N, "field": F, "problem": [...] | null}
  {"v": 1, "kind": "full", "version": N, "problems": [[...], ...],
   "text": MODULE, "line_map": [[field, line] | null, ...]}
Only the newest request of a kind (of a field, for quick ones) is worked
on; older ones waiting behind it are dropped. End of input ends the process.
"""
from __future__ import annotations

import importlib
import json
import sys
import threading
from dataclasses import astuple
from typing import Optional

PROTOCOL = 1


class _Latest:
    """A mailbox that keeps only the newest item per key."""

    def __init__(self) -> None:
        self._items: dict = {}
        self._ready = threading.Condition()
        self._closed = False

    def put(self, key, item) -> None:
        with self._ready:
            self._items.pop(key, None)
            self._items[key] = item
            self._ready.notify()

    def take(self) -> Optional[object]:
        """The oldest waiting key's item; None once closed and empty."""
        with self._ready:
            while not self._items and not self._closed:
                self._ready.wait()
            if not self._items:
                return None
            key = next(iter(self._items))
            return self._items.pop(key)

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()


class Server:
    """Reads requests, answers from two worker threads (quick never waits for full)."""

    def __init__(self, out=None) -> None:
        self._out = out or sys.stdout
        self._write_lock = threading.Lock()
        self._quick = _Latest()
        self._full = _Latest()
        self._threads = [threading.Thread(target=self._serve, args=(box, handler), daemon=True)
                         for box, handler in ((self._quick, self._do_quick),
                                              (self._full, self._do_full))]

    def run(self, lines) -> int:
        for module in ("scheduler_studio.engine.check", "scheduler_studio.engine.codegen",
                       "scheduler_studio.gui.window.problem_map"):
            importlib.import_module(module)  # loaded before the first request waits on them
        for thread in self._threads:
            thread.start()
        for line in lines:
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if request.get("v") != PROTOCOL:
                continue
            if request.get("kind") == "quick":
                self._quick.put(request.get("field"), request)
            elif request.get("kind") == "full":
                self._full.put("full", request)
        self._quick.close()
        self._full.close()
        for thread in self._threads:
            thread.join()
        return 0

    def _serve(self, box: _Latest, handler) -> None:
        while True:
            request = box.take()
            if request is None:
                return
            try:
                answer = handler(request)
            except Exception as exc:  # a checker bug must not end the checks
                print(f"lint_server: {request.get('kind')} check failed: {exc!r}",
                      file=sys.stderr, flush=True)
                answer = {"kind": request.get("kind"), "version": request.get("version"),
                          "field": request.get("field"), "problem": None, "problems": [],
                          "text": None, "line_map": None, "error": repr(exc)}
            self._send(answer)

    def _send(self, answer: dict) -> None:
        data = json.dumps({"v": PROTOCOL, **answer}, separators=(",", ":"))
        with self._write_lock:
            self._out.write(data + "\n")
            self._out.flush()

    @staticmethod
    def _do_quick(request: dict) -> dict:
        from scheduler_studio.gui.window.problem_map import quick_syntax_check

        problem = quick_syntax_check(request["field"], request["text"])
        return {"kind": "quick", "version": request["version"], "field": request["field"],
                "problem": list(astuple(problem)) if problem else None}

    @staticmethod
    def _do_full(request: dict) -> dict:
        from scheduler_studio.engine.check import check_source
        from scheduler_studio.engine.codegen import render
        from scheduler_studio.gui.window.doc_codec import document_from_json
        from scheduler_studio.gui.window.problem_map import map_problems

        document = document_from_json(request["document"])
        text, line_map = render(document)
        cook = request.get("cook") or {}
        checked = check_source(text, cook.get("path") or document.type_name + ".py",
                               cook.get("standins") or (), cook.get("stubs") or (),
                               cook.get("parms") or ())
        problems = map_problems(document, text, line_map, checked)
        return {"kind": "full", "version": request["version"],
                "problems": [list(astuple(p)) for p in problems],
                "text": text, "line_map": [list(e) if e else None for e in line_map]}


def main() -> int:
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    return Server().run(sys.stdin)


if __name__ == "__main__":
    sys.exit(main())
