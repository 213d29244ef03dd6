"""Loads scheduler modules with `scheduler_studio.engine.factory.load_module`, one JSON line per file.

    python load_worker.py FILE...

Module code runs at import, so this runs in its own process: the test gives it a
timeout, and each file gets SECONDS_PER_FILE before the alarm ends its import
(reported as "hang"). Outcomes: "ok", "error" (a ModuleLoadError, with its text) or
"crash" (any other exception escaping load_module, with its traceback).
"""
import json
import os
import signal
import sys
import traceback

SECONDS_PER_FILE = 20


class Hang(BaseException):
    """Raised by the alarm inside a module that does not finish importing."""


def _alarm(signum, frame):
    raise Hang()


def main(paths):
    from scheduler_studio.engine.factory import ModuleLoadError, load_module
    signal.signal(signal.SIGALRM, _alarm)
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # what modules print must not mix with the answers
    for path in paths:
        answer = {"file": path}
        signal.alarm(SECONDS_PER_FILE)
        try:
            _, registry = load_module(path)
            answer.update(outcome="ok", types=[t.name for t in registry.schedulers])
        except ModuleLoadError as exc:
            hang = "Hang" in exc.reason
            answer.update(outcome="hang" if hang else "error", text=str(exc),
                          reason=exc.reason, line=exc.line)
        except Hang:
            answer.update(outcome="hang")
        except BaseException as exc:  # noqa: BLE001 - what the test is looking for
            answer.update(outcome="crash", type=type(exc).__name__,
                          text="".join(traceback.format_exception(exc)))
        finally:
            signal.alarm(0)
        out.write(json.dumps(answer) + "\n")
        out.flush()
    out.close()
    sys.stderr.flush()
    os._exit(0)  # modules may have left threads running: do not wait for them


if __name__ == "__main__":
    main(sys.argv[1:])
