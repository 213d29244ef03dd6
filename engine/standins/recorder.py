"""The recording stand-in: a module whose every attribute and call is accepted.

``import af`` gives a `RecordingModule`; ``af.Job('frames').send()`` walks through
`Recorder` objects, each answering with another one, and every call (and attribute
assignment) is handed to a sink as a `RecordedCall`, so the TD sees in the callback
trace what the scheduler would have submitted. A recorder cannot answer a question
with a real value: anything compared with it is unequal, iterating it yields nothing,
``int()`` of it is 0.
"""
from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Callable, Optional

TEXT_LIMIT = 1000
ARG_LIMIT = 400


@dataclass(frozen=True)
class RecordedCall:
    module: str      # the stand-in module: "af"
    text: str        # what was done: "af.Job('frames').send()" or "job.priority = 5"


def _short(value: Any) -> str:
    if isinstance(value, Recorder):
        text = object.__getattribute__(value, "_text")
    else:
        try:
            text = repr(value)
        except Exception:  # noqa: BLE001 - a user object with a broken __repr__
            text = f"<{type(value).__name__}>"
    return text if len(text) <= ARG_LIMIT else text[:ARG_LIMIT - 3] + "..."


def call_text(target: str, args: tuple, kwargs: dict) -> str:
    parts = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()]
    text = f"{target}({', '.join(parts)})"
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT - 3] + "..."


class Book:
    """Where a stand-in module's recorders report: counts, and the sink (the trace)."""

    def __init__(self, module: str, sink: Optional[Callable[[RecordedCall], None]]):
        self.module, self.sink = module, sink
        self.calls = 0

    def record(self, text: str) -> None:
        self.calls += 1
        if self.sink is not None:
            self.sink(RecordedCall(self.module, text))


class RecordedBase:
    """What a class deriving from a recorder derives from (``class J(af.Job)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


_EXCEPTION_ENDINGS = ("Error", "Exception", "Fault", "Failure", "Timeout")


def _exception_class(text: str) -> type:
    """``except af.SubmitError:`` needs a class: names that read as exceptions get one."""
    module, _, name = text.rpartition(".")
    return type(name, (Exception,), {"__module__": module})


class Recorder:
    """One value of a recording stand-in: every attribute and call is another recorder."""

    __slots__ = ("_text", "_book", "_children", "_values")

    def __init__(self, text: str, book: Book):
        object.__setattr__(self, "_text", text)
        object.__setattr__(self, "_book", book)
        object.__setattr__(self, "_children", {})
        object.__setattr__(self, "_values", {})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        children = object.__getattribute__(self, "_children")
        if name not in children:
            text = f"{object.__getattribute__(self, '_text')}.{name}"
            children[name] = _exception_class(text) if name.endswith(
                _EXCEPTION_ENDINGS) and name[:1].isupper() else Recorder(text, self._book)
        return children[name]

    def __setattr__(self, name: str, value: Any) -> None:
        object.__getattribute__(self, "_values")[name] = value
        self._book.record(f"{self._text}.{name} = {_short(value)}")

    def __call__(self, *args: Any, **kwargs: Any) -> "Recorder":
        text = call_text(self._text, args, kwargs)
        self._book.record(text)
        return Recorder(text, self._book)

    def __getitem__(self, key: Any) -> "Recorder":
        return Recorder(f"{self._text}[{_short(key)}]", self._book)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._book.record(f"{self._text}[{_short(key)}] = {_short(value)}")

    def __mro_entries__(self, bases: tuple) -> tuple:
        return (RecordedBase,)

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return True

    def __contains__(self, item: Any) -> bool:
        return False

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc: Any) -> bool:
        return False

    def __int__(self) -> int:
        return 0

    __index__ = __int__

    def __float__(self) -> float:
        return 0.0

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"<stand-in {self._text}>"

    def __fspath__(self) -> str:
        return self._text

    def __eq__(self, other: Any) -> bool:
        return other is self

    def __ne__(self, other: Any) -> bool:
        return other is not self

    def __hash__(self) -> int:
        return id(self)

    def __lt__(self, other: Any) -> bool:
        return False

    __le__ = __gt__ = __ge__ = __lt__


def _operator(symbol: str, reflected: bool = False):
    def apply(self: Recorder, other: Any) -> Recorder:
        left, right = (_short(other), self._text) if reflected else (self._text, _short(other))
        return Recorder(f"({left} {symbol} {right})", self._book)
    return apply


for _name, _symbol in (("add", "+"), ("sub", "-"), ("mul", "*"), ("truediv", "/"),
                       ("floordiv", "//"), ("mod", "%"), ("and", "&"), ("or", "|")):
    setattr(Recorder, f"__{_name}__", _operator(_symbol))
    setattr(Recorder, f"__r{_name}__", _operator(_symbol, reflected=True))


class RecordingModule(types.ModuleType):
    """``import af`` when `af` is stubbed: a package whose names are recorders."""

    def __init__(self, name: str, book: Book):
        super().__init__(name, f"Recording stand-in for {name} (Scheduler Studio test cook)")
        self.__path__ = []           # a package: ``import af.client`` works too
        self.__file__ = None
        object.__setattr__(self, "_book", book)
        object.__setattr__(self, "_children", {})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        children = object.__getattribute__(self, "_children")
        if name not in children:
            text = f"{self.__name__}.{name}"
            children[name] = _exception_class(text) if name.endswith(
                _EXCEPTION_ENDINGS) and name[:1].isupper() else Recorder(text, self._book)
        return children[name]
