"""A real Scheduler Studio process for the crash tests (not a test module).

``python -m tests.reliability.studio_session edit FILE NOTE``: starts the app as
``schedstudio FILE`` does, adds NOTE to onTick the way an edit does, and prints
``autosaved PATH`` once the autosave holds it; then it waits to be killed.

``python -m tests.reliability.studio_session reopen [FILE] --answer recover ...``:
starts the app (with FILE, or bare), answers each recovery offer in turn (then
"later") printing it as JSON, and prints the onTick ends of every window once the
offers are done, then ends at once (as a crash would: nothing is cleaned up).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from scheduler_studio.gui import app
from scheduler_studio.gui.main_window import MainWindow
from scheduler_studio.gui.window import fields, prompts

ON_TICK = fields.callback_field("onTick")


def say(kind: str, **data) -> None:
    print(json.dumps({"kind": kind, **data}), flush=True)


def edit(note: str) -> None:
    real_show = app.show_window

    def show(window, *args, **kwargs):
        real_show(window, *args, **kwargs)
        autosave = window.autosave
        autosave.set_interval(50)
        autosave.sig_saved.connect(lambda path: say("autosaved", path=path, pid=os.getpid()))
        model = window.document_model
        model.set_value(ON_TICK, model.value(ON_TICK) + note)

    app.show_window = show


def reopen(answers: list[str]) -> None:
    def ask(_parent, offer):
        say("offer", title=offer.title, when=offer.when, window=offer.window,
            source=offer.source, diff=offer.diff, in_new_window=offer.in_new_window)
        return answers.pop(0) if answers else "later"

    prompts.ask_recover = ask
    real_offer = MainWindow.offer_recovery

    def offer(self):
        recovered = real_offer(self)
        from PySide6.QtWidgets import QApplication

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        say("done", recovered=recovered,
            windows=[w.document_model.value(ON_TICK).splitlines()[-1] for w in windows])
        os._exit(0)

    MainWindow.offer_recovery = offer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["edit", "reopen"])
    parser.add_argument("file", nargs="?")
    parser.add_argument("note", nargs="?", default="")
    parser.add_argument("--answer", action="append", default=[])
    args = parser.parse_args()
    if args.mode == "edit":
        edit(args.note)
    else:
        reopen(list(args.answer))
    return app.main([args.file] if args.file else [])


if __name__ == "__main__":
    sys.exit(main())
