"""Submit As Job without a widget: one cook host run that calls ``submitAsJob``.

The cook host's ``--submit-as-job NODE_PATH`` mode loads the module, calls
``submitAsJob(graph_file, node_path)`` through its callback invoker (the usual
``callback`` event carries the result or the traceback; the summary's ``submitted``
holds the status URI and job id) and exits. `supported()` checks the host has that
mode, so an older engine gets a clear message instead of a usage error.
"""
from __future__ import annotations

import ast
from typing import Optional

from PySide6.QtCore import QObject, Signal

from scheduler_studio.engine.hostclient import host_command, host_env
from scheduler_studio.gui.cook.host_process import ABORT_BOUND_S, CookHostProcess

SUBMIT_FLAG = "--submit-as-job"


def supported() -> bool:
    """Whether this engine's cook host has the Submit As Job mode."""
    from scheduler_studio.engine.cookhost import build_parser
    return SUBMIT_FLAG in build_parser().format_help()


def parse_submit_result(text: Optional[str]) -> tuple[str, str]:
    """(status URI, job id) from the repr the host reports ("('uri', 'id')", "'uri'")."""
    if not text or text == "None":
        return "", ""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return "", ""
    if isinstance(value, str):
        return value, ""
    if isinstance(value, (tuple, list)) and value:
        return str(value[0] or ""), str(value[1]) if len(value) > 1 and value[1] else ""
    return "", ""


class JobSubmitter(QObject):
    """Runs one Submit As Job at a time and reports what came back."""

    sig_submitted = Signal(str, str)
    """submitAsJob returned: (status URI, job id); both may be empty."""
    sig_failed = Signal(str)
    """Submit As Job could not run or raised: a message for the user."""

    def __init__(self, parent: Optional[QObject] = None):
        super().__init__(parent)
        self._host = CookHostProcess(self)
        self._host.sig_events.connect(self._on_events)
        self._host.sig_output.connect(self._on_output)
        self._host.sig_finished.connect(self._on_finished)
        self._answered = False
        self._output: list[str] = []

    def is_running(self) -> bool:
        return self._host.is_running()

    def submit(self, module_path: str, graph: str, node_path: str,
               class_name: Optional[str] = None) -> bool:
        """Call submitAsJob of the scheduler class `class_name` (None: the type the
        module registers first), as a cook of it would."""
        if self._host.is_running():
            return False
        if not supported():
            self.sig_failed.emit("Submit As Job needs the cook host's "
                                 f"'{SUBMIT_FLAG} NODE_PATH' mode, which this engine does "
                                 "not have yet.")
            return False
        self._answered, self._output = False, []
        cmd = host_command(module_path, graph, class_name=class_name) + [SUBMIT_FLAG, node_path]
        self._host.start(cmd, host_env())
        return True

    def cancel(self) -> None:
        self._host.cancel()

    def abort(self, bound_s: float = ABORT_BOUND_S) -> None:
        """`CookHostProcess.abort`: at most about `bound_s` of the caller's time."""
        self._host.abort(bound_s)

    def _on_events(self, events: list) -> None:
        for event in events:
            if event.type == "callback" and event.name == "submitAsJob" and not self._answered:
                self._answered = True
                if event.error:
                    self.sig_failed.emit(str(event.error.get("message") or "submitAsJob raised"))
                else:
                    self.sig_submitted.emit(*parse_submit_result(event.result))
            elif event.type == "cook_finished" and not self._answered:
                submitted = event.summary.get("submitted") or {}
                if submitted:
                    self._answered = True
                    self.sig_submitted.emit(str(submitted.get("status_uri") or ""),
                                            str(submitted.get("job_id") or ""))

    def _on_output(self, lines: list) -> None:
        self._output = (self._output + lines)[-20:]

    def _on_finished(self, outcome: str, code: int) -> None:
        if not self._answered:
            tail = "\n".join(self._output[-5:])
            self.sig_failed.emit(f"the submit host ended ({outcome}, exit code {code}) "
                                 f"without an answer from submitAsJob\n{tail}".strip())
