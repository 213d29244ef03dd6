"""Live checks in a checker process: a quick syntax pass per field, a full pass per module.

Every edit asks for both. The quick pass compiles only the edited field
(milliseconds, even for a long body) so a syntax error is marked while the
user still looks at it. The full pass renders the whole document, runs
``check_source`` on it and maps each problem back through the line map;
it is throttled (one at a time, the next a short while after the last)
because a large module takes tens of milliseconds.

Both run in ``scheduler_studio.gui.window.lint_server``, a child process: their long C calls
hold the GIL, and in this process they would stall the GUI thread. The
process is started on the first request, talks NDJSON over its pipes
(read as it arrives, never waited for, cut into lines by the cook host's
`scheduler_studio.engine.hoststream.LineFramer` with a cap on one answer),
is started again if it dies, and is ended by closing its input. Answers
carry the model version they were computed from.
"""
from __future__ import annotations

import json
import logging
import sys
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import QObject, QTimer, Signal

from scheduler_studio.engine.hoststream import LineFramer
from scheduler_studio.gui.window import fields
from scheduler_studio.gui.window.doc_codec import document_to_json
from scheduler_studio.gui.window.document_model import DocumentModel
from scheduler_studio.gui.window.problem_map import FieldProblem

if TYPE_CHECKING:
    from PySide6.QtCore import QProcess

log = logging.getLogger(__name__)

QUICK_DELAY_MS = 0   # the edits of one key press (auto-indent, completion) land before
                     # the event loop turns: one request gathers them, at once
FULL_DELAY_MS = 80   # quiet time before the whole module is checked again
STOP_WAIT_MS = 3000
PROTOCOL = 1
# One answer at most: a full check's answer carries the rendered module (the editor
# opens 1 MiB at most, `engine.codegen.source.MAX_SOURCE_BYTES`), JSON-escaped, and its
# line map; a longer line is a checker gone wrong, dropped rather than held.
MAX_ANSWER_BYTES = 32 << 20


class LintWorker(QObject):
    """Runs the checks for one DocumentModel; call ``shutdown()`` before it goes."""

    sig_quick_done = Signal(int, str, object)
    """(model version, field, FieldProblem or None): the quick syntax verdict of one field."""

    sig_full_done = Signal(int, list)
    """(model version, list[FieldProblem]): every problem of the whole module."""

    sig_busy_changed = Signal(bool)
    """A full check started (True) or the last one finished with nothing queued (False)."""

    def __init__(self, model: DocumentModel, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._model = model
        self._closed = False
        self._process: Optional[QProcess] = None
        self._framer = LineFramer(MAX_ANSWER_BYTES)
        self._quick_fields: set[str] = set()
        self._quick_waiting: dict[str, int] = {}  # field -> newest version asked
        self._full_version: Optional[int] = None  # the full check being run
        self._cook: dict = {}          # what a test cook is given (`set_cook_context`)
        self._cook_changed = False     # since the running full check was asked for
        self._asked = False            # a full check was asked for (the first one waits)
        self._quick_timer = QTimer(self, singleShot=True, interval=QUICK_DELAY_MS)
        self._quick_timer.timeout.connect(self._start_quick)
        self._full_timer = QTimer(self, singleShot=True, interval=FULL_DELAY_MS)
        self._full_timer.timeout.connect(self._start_full)
        model.sig_field_changed.connect(self._on_field_changed)
        model.sig_document_reset.connect(self.check_now)

    # -- requests --------------------------------------------------------------------
    def check_now(self, delay_ms: int = 0) -> None:
        """Check the whole module as soon as the checker is free (or after ``delay_ms``)."""
        if not self._closed and self._full_version is None:
            self._asked = True
            self._full_timer.start(delay_ms)

    def set_cook_context(self, context: dict) -> None:
        """What a test cook of the module would be given: ``path`` (the module's file:
        its NAME.standins folder), ``standins`` (folders), ``stubs`` (modules), ``parms``
        (names given values). The full check says what the cook lacks, so a change
        re-runs it."""
        if context != self._cook:
            self._cook = dict(context)
            self.recheck()

    def recheck(self) -> None:
        """Check again though the document did not change (what the cook is given
        did, or files it would find appeared)."""
        if self._closed or not self._asked or self._full_timer.isActive():
            return   # the first check (after the first paint), or the waiting one, will
        if self._full_version is not None:
            self._cook_changed = True   # checked again when the running one answers
        else:
            self.check_now(FULL_DELAY_MS)   # typing in an option: one check at the end

    def is_idle(self) -> bool:
        """No check running or waiting (tests and screenshots wait for this)."""
        return not (self._full_version is not None or self._full_timer.isActive()
                    or self._quick_timer.isActive() or self._quick_waiting)

    def _on_field_changed(self, key: str) -> None:
        if self._closed:
            return
        if fields.is_code_field(key):
            self._quick_fields.add(key)
            if not self._quick_timer.isActive():
                self._quick_timer.start()
        if self._full_version is None and not self._full_timer.isActive():
            self._full_timer.start(FULL_DELAY_MS)

    def _start_quick(self) -> None:
        version = self._model.version()
        for field in sorted(self._quick_fields):
            self._quick_waiting[field] = version
            self._send({"kind": "quick", "version": version, "field": field,
                        "text": self._model.value(field)})
        self._quick_fields.clear()

    def _start_full(self) -> None:
        version = self._model.version()
        if self._model.raw() is not None:  # no document: the whole-module page
            self.sig_full_done.emit(version, [])  # checks it (raw_page) and says why
            return
        self._full_version = version
        self._cook_changed = False
        self.sig_busy_changed.emit(True)
        self._send({"kind": "full", "version": version, "cook": self._cook,
                    "document": document_to_json(self._model.document())})

    # -- the process -----------------------------------------------------------------
    def _send(self, request: dict) -> None:
        if self._closed:
            return
        process = self._ensure_process()
        data = json.dumps({"v": PROTOCOL, **request}, separators=(",", ":")) + "\n"
        process.write(data.encode("utf-8"))

    def _ensure_process(self) -> QProcess:
        if self._process is None:
            from PySide6.QtCore import QProcess  # with the first check, after the first paint

            process = QProcess(self)
            process.setProgram(sys.executable)
            # -P: the working folder cannot shadow our modules
            process.setArguments(["-P", "-m", "scheduler_studio.gui.window.lint_server"])
            process.readyReadStandardOutput.connect(self._on_output)
            process.readyReadStandardError.connect(self._on_stderr)
            process.finished.connect(self._on_finished)
            process.start()
            self._process = process
            self._framer = LineFramer(MAX_ANSWER_BYTES)  # a new stream
        return self._process

    def _on_output(self) -> None:
        process = self.sender()
        if process is None or process is not self._process:
            return
        lines = self._framer.feed(bytes(process.readAllStandardOutput()))
        if self._framer.dropped:
            self._framer.dropped = 0
            self._answer_lost()
        for raw in lines:
            line = raw.decode("utf-8", "replace")
            try:
                answer = json.loads(line)
            except ValueError:
                log.warning("checker said something unreadable: %.200s", line)
                continue
            if answer.get("v") == PROTOCOL and not self._closed:
                getattr(self, f"_handle_{answer.get('kind')}", self._handle_unknown)(answer)

    def _answer_lost(self) -> None:
        """An answer over MAX_ANSWER_BYTES was dropped: only a full check's can be that
        long, so that check is over (its problems stay as they were shown)."""
        log.warning("the checker's answer was over %d bytes: dropped", MAX_ANSWER_BYTES)
        version, self._full_version = self._full_version, None
        if version is None or self._closed:
            return
        if self._model.version() != version:
            self._full_timer.start(FULL_DELAY_MS)  # edits came in meanwhile
        else:
            self.sig_busy_changed.emit(False)

    def _handle_quick(self, answer: dict) -> None:
        field, version = answer["field"], answer["version"]
        if self._quick_waiting.get(field) == version:
            del self._quick_waiting[field]
        problem = FieldProblem(*answer["problem"]) if answer.get("problem") else None
        self.sig_quick_done.emit(version, field, problem)

    def _handle_full(self, answer: dict) -> None:
        version = answer["version"]
        if answer.get("text") is not None:
            line_map = [tuple(e) if e else None for e in answer["line_map"]]
            self._model.set_rendered(version, answer["text"], line_map)
        problems = [FieldProblem(*p) for p in answer.get("problems", [])]
        self.sig_full_done.emit(version, problems)
        if self._full_version == version:
            self._full_version = None
        if self._model.version() != version or self._cook_changed:
            self._full_timer.start(FULL_DELAY_MS)  # edits (or the cook's context) came in
        elif self._full_version is None:
            self.sig_busy_changed.emit(False)

    def _handle_unknown(self, answer: dict) -> None:
        log.warning("checker answered an unknown kind: %r", answer.get("kind"))

    def _on_stderr(self) -> None:
        process = self.sender()
        if process is not None:
            text = bytes(process.readAllStandardError()).decode("utf-8", "replace").strip()
            if text:
                log.warning("checker: %s", text[-2000:])

    def _on_finished(self, code: int, _status) -> None:
        process = self.sender()
        if process is not self._process:
            return
        self._process = None
        process.deleteLater()
        if self._closed:
            return
        log.warning("the checker process ended (exit %s); it starts again on the next edit", code)
        self._quick_waiting.clear()
        if self._full_version is not None:
            self._full_version = None
            self.sig_busy_changed.emit(False)

    # -- end -------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop timers and end the checker (its input closes; killed if it lingers)."""
        if self._closed:
            return
        self._closed = True
        self._quick_timer.stop()
        self._full_timer.stop()
        process, self._process = self._process, None
        if process is not None:
            process.finished.disconnect(self._on_finished)
            process.closeWriteChannel()
            if not process.waitForFinished(STOP_WAIT_MS):  # the window is closing anyway
                process.kill()
                process.waitForFinished(STOP_WAIT_MS)
            process.deleteLater()
