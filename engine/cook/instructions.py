"""What the cook core asks its shell to do, and what the shell answers.

The core (`scheduler_studio.engine.cook.core.CookCore`) never calls user code, reads a clock or a file,
or waits: it returns instructions. Most are one-way (`Emit`, `Problem`, `Close`,
`Finished`); a *question* (`Call`, `Generate`, `Exists`...) ends a batch, and the shell
answers it with `Answer` before the core goes on. `Sleep` is the question "what
arrived?": its answer is the next message (a report), or None when the time ran out.
Records are slotted dataclasses, not frozen ones (those cost a 10,000-item cook a tenth
of its speed): treat them as read-only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


class Instruction:
    """One thing the core asks for; `question`: the shell must answer it."""

    __slots__ = ()
    question = False


# -- one-way -----------------------------------------------------------------------------
@dataclass(slots=True)
class Emit(Instruction):
    """Send `event` (an `scheduler_studio.engine.cook.events` record) to the event stream."""
    event: Any


@dataclass(slots=True)
class EmitDetails(Instruction):
    """Send the item's `ItemDetails` (the shell expands its command, hides the secret)."""
    item: Any
    log_uri: str = ""
    status_uri: str = ""


@dataclass(slots=True)
class Problem(Instruction):
    """Record an error of `callback` that is not an exception (a wrong return value)."""
    callback: str
    message: str
    item: Any = None
    line: Optional[int] = None


@dataclass(slots=True)
class WatchLog(Instruction):
    """The item's job writes its log at `uri` (``getLogURI``): keep it under the cap."""
    item_id: int
    uri: str


@dataclass(slots=True)
class LogDone(Instruction):
    """The item whose log was watched ended (None: the cook ended, every log)."""
    item_id: Optional[int] = None


@dataclass(slots=True)
class Close(Instruction):
    """The cook is ending: from now on the result server's calls are refused."""


@dataclass(slots=True)
class Finished(Instruction):
    """The cook is over with `status`; nothing more will be asked."""
    status: str


# -- questions ---------------------------------------------------------------------------
@dataclass(slots=True)
class Call(Instruction):
    """Call the scheduler's `name` with `args`; answer (value, error-record or None).

    `base`: call our base class's own method (PDG's behaviour, not the module's), as
    when the module does not override it. `guarded`: an end-of-cook step, whose failure
    (even a second cancel) is answered as `Answer(error=exc)` instead of ending the flow.
    """
    question = True
    name: str
    args: tuple = ()
    item: Any = None
    base: bool = False
    guarded: bool = False


@dataclass(slots=True)
class Prepare(Instruction):
    """Set up the cook's parameters and folders; answer (workdir, None) or (None, why)."""
    question = True


@dataclass(slots=True)
class Generate(Instruction):
    """Make the node's items (those `finished` lets it make); answer the new items."""
    question = True
    node: Any
    finished: Any = None


@dataclass(slots=True)
class Exists(Instruction):
    """Which of `paths` exist; answer a set of them."""
    question = True
    paths: tuple


@dataclass(slots=True)
class LogEnd(Instruction):
    """The last line of the item's job log (``getLogURI``, a local file); answer it,
    or "" when there is none."""
    question = True
    item_id: int


@dataclass(slots=True)
class ReturnLine(Instruction):
    """The line of the first ``return`` in the module's `callback` naming `needle`."""
    question = True
    callback: str
    needle: str


@dataclass(slots=True)
class Drain(Instruction):
    """The next message already waiting (None when there is none), without waiting."""
    question = True


@dataclass(slots=True)
class Sleep(Instruction):
    """Wait for a message until `until` (None: no limit); answer it, or None."""
    question = True
    until: Optional[float]


@dataclass(slots=True)
class SharedServers(Instruction):
    """The shared servers the scheduler started; answer their names."""
    question = True


@dataclass(slots=True)
class EndSharedServer(Instruction):
    """Forget the shared server `name` (its ``endSharedServer`` was called)."""
    name: str


@dataclass(slots=True)
class StopResultServer(Instruction):
    """Stop the result server if the scheduler left it running; answer whether it did."""
    question = True
    guarded = True


@dataclass(slots=True)
class Undefined(Instruction):
    """The parameters the scheduler read that nobody defined; answer their names."""
    question = True


# -- answers and notices ------------------------------------------------------------------
@dataclass(slots=True)
class Answer:
    """The shell's answer to the last question, at time `now` (the shell's clock).
    `error`: what carrying it out raised (a cancel breaking out of a callback...)."""
    value: Any = None
    now: float = 0.0
    error: Optional[BaseException] = None


@dataclass(slots=True)
class CancelRequested:
    """Someone (a signal, the user, a helper thread) asked the cook to stop."""
    reason: str = "cancelled"


@dataclass(slots=True)
class CookNote:
    """An error or warning about the cook: the scheduler's (``cookError``...) or the
    shell's (a job log it had to cut)."""
    level: str
    message: str
    source: str = "scheduler"
