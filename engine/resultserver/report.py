"""What the server tells the outside world: log lines and the accepted/refused counters.

Every line passes through here, so this is the one place that guarantees the
token never reaches a log, whatever text an exception or a client smuggles in.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

LogFn = Callable[[str, str], None]

_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
_logger = logging.getLogger("scheduler_studio.engine.resultserver")


def shown(value: object, limit: int = 80) -> str:
    """Client-supplied text as a short one-line repr, safe to put in a log line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _to_logging(level: str, message: str) -> None:
    _logger.log(_LEVELS.get(level, logging.WARNING), message)


class ServerReport:
    """Counts calls and writes log lines, with the secret redacted."""

    def __init__(self, log: LogFn | None, secret: str) -> None:
        self._log = log or _to_logging
        self._secret = secret
        self._lock = threading.Lock()
        self._counts = {"accepted": 0, "refused": 0}

    def accepted(self) -> None:
        self._count("accepted")

    def refused(self, message: str, level: str = "warning") -> None:
        """A call or request was turned away: count it and say why."""
        self._count("refused")
        self.note(level, f"refused: {message}")

    def note(self, level: str, message: str) -> None:
        """A line that is not a refusal (server start/stop, dropped connections)."""
        line = message.replace(self._secret, "[token]")
        try:
            self._log(level, line)
        except Exception:  # noqa: BLE001 - a broken log sink must not stop the server
            _logger.exception("result server log callback failed")

    @property
    def stats(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def _count(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1
