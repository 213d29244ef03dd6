"""Live checks off the GUI thread: a quick syntax pass per field, a full pass per module.

Every edit asks for both. The quick pass compiles only the edited field
(milliseconds, even for a long body) so a syntax error is marked while the
user still looks at it. The full pass renders the whole document, runs
``check_source`` on it and maps each problem back through the line map;
it is throttled (at most one running, the next one starts a short while
after the last finished) because a large module takes tens of milliseconds.

Each pass runs on its own one-thread pool; results carry the model version
they were computed from and arrive on the GUI thread as signals (the
worker emits on a QObject that lives there, so the connection is queued).
"""
from __future__ import annotations

import logging
import threading
from typing import Optional

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from gui.window import fields
from gui.window.document_model import DocumentModel
from gui.window.problem_map import map_problems, quick_syntax_check

log = logging.getLogger(__name__)

QUICK_DELAY_MS = 5   # gathers the edits of one key press (auto-indent, completion)
FULL_DELAY_MS = 120  # quiet time before the whole module is checked again


class LintWorker(QObject):
    """Runs the checks for one DocumentModel; call ``shutdown()`` before it goes."""

    sig_quick_done = Signal(int, str, object)
    """(model version, field, FieldProblem or None): the quick syntax verdict of one field."""

    sig_full_done = Signal(int, list)
    """(model version, list[FieldProblem]): every problem of the whole module."""

    sig_busy_changed = Signal(bool)
    """A full check started (True) or the last one finished with nothing queued (False)."""

    _sig_rendered = Signal(int, str, list)  # the worker's rendering, kept by the model

    def __init__(self, model: DocumentModel, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._model = model
        self._lock = threading.Lock()
        self._closed = False
        self._quick_pool = QThreadPool(self)
        self._quick_pool.setMaxThreadCount(1)
        self._full_pool = QThreadPool(self)
        self._full_pool.setMaxThreadCount(1)
        self._quick_fields: set[str] = set()
        self._quick_latest: dict[str, int] = {}
        self._full_running = False
        self._quick_timer = QTimer(self, singleShot=True, interval=QUICK_DELAY_MS)
        self._quick_timer.timeout.connect(self._start_quick)
        self._full_timer = QTimer(self, singleShot=True, interval=FULL_DELAY_MS)
        self._full_timer.timeout.connect(self._start_full)
        self.sig_full_done.connect(self._on_full_done)  # first: bookkeeping before views
        self._sig_rendered.connect(model.set_rendered)
        model.sig_field_changed.connect(self._on_field_changed)
        model.sig_document_reset.connect(self.check_now)

    # -- requests --------------------------------------------------------------------
    def check_now(self) -> None:
        """Check the whole module as soon as the worker is free."""
        self._full_timer.start(0)

    def is_idle(self) -> bool:
        """No check running or waiting (tests and screenshots wait for this)."""
        return not (self._full_running or self._full_timer.isActive()
                    or self._quick_timer.isActive() or self._quick_pool.activeThreadCount())

    def _on_field_changed(self, key: str) -> None:
        if fields.is_code_field(key):
            self._quick_fields.add(key)
            if not self._quick_timer.isActive():
                self._quick_timer.start()
        if not self._full_running and not self._full_timer.isActive():
            self._full_timer.start(FULL_DELAY_MS)

    # -- quick pass ------------------------------------------------------------------
    def _start_quick(self) -> None:
        version = self._model.version()
        for field in sorted(self._quick_fields):
            text = self._model.value(field)
            with self._lock:
                if self._closed:
                    return
                self._quick_latest[field] = version
            self._quick_pool.start(lambda f=field, t=text: self._run_quick(version, f, t))
        self._quick_fields.clear()

    def _run_quick(self, version: int, field: str, text: str) -> None:
        if not self._is_latest_quick(field, version):
            return  # a newer edit of the field is queued behind this one
        try:
            problem = quick_syntax_check(field, text)
        except Exception:  # a checker bug must not end the live checks
            log.exception("quick check of %s failed", field)
            return
        if self._is_latest_quick(field, version):
            self.sig_quick_done.emit(version, field, problem)

    def _is_latest_quick(self, field: str, version: int) -> bool:
        with self._lock:
            return not self._closed and self._quick_latest.get(field) == version

    # -- full pass -------------------------------------------------------------------
    def _start_full(self) -> None:
        with self._lock:
            if self._closed:
                return
        version, document = self._model.version(), self._model.document()
        self._full_running = True
        self.sig_busy_changed.emit(True)
        self._full_pool.start(lambda: self._run_full(version, document))

    def _run_full(self, version: int, document) -> None:
        from engine.check import check_source  # loaded on the worker: keeps start-up short
        from engine.codegen import render

        problems: list = []
        try:
            text, line_map = render(document)
            self._sig_rendered.emit(version, text, line_map)
            problems = map_problems(document, text, line_map,
                                    check_source(text, document.type_name + ".py"))
        except Exception:  # a checker bug must not end the live checks
            log.exception("checking the module failed")
        with self._lock:
            if self._closed:
                return
        self.sig_full_done.emit(version, problems)

    def _on_full_done(self, version: int, _problems: list) -> None:
        self._full_running = False
        if self._model.version() != version:
            self._full_timer.start(FULL_DELAY_MS)  # edits came in meanwhile
        else:
            self.sig_busy_changed.emit(False)

    # -- end -------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop timers, drop queued checks and wait for running ones; no signal after."""
        with self._lock:
            self._closed = True
        self._quick_timer.stop()
        self._full_timer.stop()
        for pool in (self._quick_pool, self._full_pool):
            pool.clear()
            pool.waitForDone()

