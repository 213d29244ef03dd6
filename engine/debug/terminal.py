"""The terminal's debugger: a standard `pdb` prompt on the CLI's own stdin and stdout.

It is `pdb.Pdb` with the cook's manners (`tracing.CookTracing`): stops only in user code,
the cook's clock held while the prompt waits, ``q`` cancels the cook, and the end of the
input (a script piped in has run out) detaches: the cook goes on without the debugger.
"""
from __future__ import annotations

import pdb
from typing import IO, Callable, Optional

from .clock import PauseClock
from .tracing import CookTracing


class TerminalDebugger(CookTracing, pdb.Pdb):
    def __init__(self, stdin: IO[str], stdout: IO[str], clock: PauseClock,
                 post_mortem: bool = False, on_quit: Optional[Callable[[], None]] = None,
                 warn: Optional[Callable[[str], None]] = None):
        pdb.Pdb.__init__(self, stdin=stdin, stdout=stdout, nosigint=True, readrc=False)
        self.setup_tracing(clock, post_mortem, on_quit, warn)
        self.prompt = "(Pdb) "

    def interaction(self, frame, traceback) -> None:
        name, item = self.callback
        if name and frame is not None:
            self.message(f"-- stopped in {name}" + (f" (work item {item})" if item is not None
                                                    else "") + f": {self.stop_reason or 'step'}")
        self.stop_reason = ""
        self.hold(lambda: pdb.Pdb.interaction(self, frame, traceback))

    def post_mortem_interaction(self, tb) -> None:
        name = self.callback[0] or "a callback"
        self.message(f"-- post-mortem: {name} raised {self.exception_text}")
        self.interaction(None, tb)

    def nested_return(self, frame, return_value) -> None:
        pdb.Pdb.user_return(self, frame, return_value)

    def do_EOF(self, arg: str) -> bool:
        self.message("\n-- end of input: the cook goes on without the debugger")
        self.detach()
        return True

    def do_quit(self, arg: str) -> bool:
        """q(uit): cancel the cook (its jobs end as on Cancel)."""
        self.message("-- quit: cancelling the cook")
        self.detach()
        if self.on_quit is not None:
            self.on_quit()       # raises out of the callback, as a cancel does
        self.set_quit()
        return True

    do_q = do_exit = do_quit
