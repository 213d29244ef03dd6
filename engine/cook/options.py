"""Options of one test cook, as the CLI and the cook panel set them, and the one table of
the cook host's command-line options.

`HOST_OPTIONS` is the only list of them: the cook host's parser
(`scheduler_studio.engine.cookhost`), the shared part of ``schedstudio cook``'s and the
command line `scheduler_studio.engine.hostclient.host_command` writes are all made from
it, so an option added here reaches all three (tests/engine/test_cook_options.py checks
that each one survives the trip).
"""
from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional


@dataclass
class CookOptions:
    static: bool = False
    workdir: Optional[str] = None
    tick_period: Optional[float] = None    # overrides pdg_tickperiod for this cook
    max_items: Optional[int] = None        # overrides pdg_maxitems for this cook
    timeout_s: Optional[float] = None
    parameters: dict[str, Any] = field(default_factory=dict)
    # False: the result server accepts reports without the cook's secret, as Houdini's
    # does (for schedulers that rebuild the address and drop it); shown as a warning
    result_server_auth: bool = True


def parse_parm(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def _positive(kind: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    """An argparse type: a finite number above zero (a timeout, a tick period or an
    item budget of zero or less means nothing: a usage error, as "abc" is)."""
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not value > 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"expected {what} above zero, got {text!r}")
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its own messages
    return parse


seconds = _positive(float, "a number of seconds")
positive_int = _positive(int, "a whole number")


# kinds of option: how a value is written on the command line and read back
SWITCH = "switch"   # a flag alone when True
VALUE = "value"     # FLAG VALUE when not None
LIST = "list"       # FLAG VALUE for each of a list
PARMS = "parms"     # FLAG NAME=VALUE for each of a dict
ON_OFF = "on_off"   # True by default; FLAG off when False


@dataclass(frozen=True)
class HostOption:
    """One option of the cook host. `name` is `host_command`'s keyword and the parsed
    value's name; `field` the `CookOptions` attribute it carries, if any."""

    name: str
    flag: str
    kind: str = VALUE
    type: Callable[[str], Any] = str
    help: Optional[str] = None
    metavar: Optional[str] = None
    path: bool = False          # made absolute by host_command (the host's folder differs)
    cli: bool = True            # ``schedstudio cook`` has it too
    required: bool = False
    field: Optional[str] = None

    @property
    def default(self) -> Any:
        return {SWITCH: False, LIST: (), PARMS: {}, ON_OFF: True}.get(self.kind)


HOST_OPTIONS: tuple[HostOption, ...] = (
    HostOption("graph", "--graph", required=True,
               help="sample graph name or graph JSON file"),
    HostOption("static", "--static", SWITCH, help="static cook (onScheduleStatic)",
               field="static"),
    HostOption("timeout", "--timeout", type=seconds, metavar="S",
               help="end the cook after S seconds", field="timeout_s"),
    HostOption("workdir", "--workdir", help="working directory (default: a new temp "
                                            "folder, removed after the cook)",
               field="workdir"),
    HostOption("type_name", "--type",
               help="scheduler type, when the module registers several"),
    HostOption("class_name", "--class", metavar="NAME",
               help="scheduler class, when the module holds several (one registerTypes "
                    "does not register is registered as the module's HDA would)"),
    HostOption("tick_period", "--tick-period", type=seconds, metavar="S",
               help="override pdg_tickperiod", field="tick_period"),
    HostOption("max_items", "--max-items", type=positive_int, metavar="N",
               help="override pdg_maxitems", field="max_items"),
    HostOption("parms", "--parm", PARMS, type=parse_parm, metavar="NAME=VALUE",
               help="set a scheduler parameter for this cook; it may be one the module "
                    "does not declare (its HDA's)", field="parameters"),
    HostOption("parms_file", "--parms-file", metavar="FILE.json", path=True,
               help="parameter values for this cook, a JSON object (--parm wins)"),
    HostOption("standins", "--standins", LIST, metavar="DIR", path=True,
               help="a folder of stand-in modules and farm tools (besides "
                    "NAME.standins/ next to the module)"),
    HostOption("stubs", "--stub", LIST, metavar="MODULE",
               help="give MODULE a recording stand-in whose calls show in the trace; "
                    "'*' for every import this machine lacks"),
    HostOption("result_server_auth", "--result-server-auth", ON_OFF,
               help="off: accept job reports without the cook's secret, as Houdini does "
                    "(for schedulers that rebuild the address)", field="result_server_auth"),
    # the host's alone: what its callers (CLI, window) work out for it
    HostOption("source", "--source", path=True, cli=False,
               help="the file the module was rendered from: its package and "
                    "NAME.standins folder are used"),
    HostOption("scratch", "--scratch", metavar="DIR", cli=False,
               help="the caller's folder for this cook ($HIP unless set, and the host's "
                    "temp files); the caller removes it"),
    HostOption("callboard", "--callboard", metavar="FILE", cli=False,
               help="where to keep the running callback "
                    "(`scheduler_studio.engine.cook.callboard`)"),
    HostOption("submit_node", "--submit-as-job", metavar="NODE_PATH", cli=False,
               help="cook nothing: call submitAsJob(graph file, NODE_PATH) once"),
)
OPTIONS_BY_NAME = {option.name: option for option in HOST_OPTIONS}


def add_host_options(parser: argparse.ArgumentParser, cli_only: bool = False) -> None:
    """Add the table's options to `parser` (`cli_only`: those ``schedstudio cook``
    shares with the host)."""
    for option in HOST_OPTIONS:
        if cli_only and not option.cli:
            continue
        extra: dict[str, Any] = {"dest": option.name, "help": option.help}
        if option.metavar:
            extra["metavar"] = option.metavar
        if option.kind == SWITCH:
            parser.add_argument(option.flag, action="store_true", **extra)
        elif option.kind == ON_OFF:
            parser.add_argument(option.flag, choices=("on", "off"), default="on", **extra)
        elif option.kind in (LIST, PARMS):
            parser.add_argument(option.flag, action="append", type=option.type, default=[],
                                **extra)
        else:
            parser.add_argument(option.flag, type=option.type, required=option.required,
                                **extra)


def option_values(args: argparse.Namespace, cli_only: bool = False) -> dict[str, Any]:
    """The table's options parsed into `args`, as `host_command` takes them."""
    values = {}
    for option in HOST_OPTIONS:
        if cli_only and not option.cli:
            continue
        value = getattr(args, option.name)
        if option.kind == PARMS:
            value = dict(value)
        elif option.kind == ON_OFF:
            value = value != "off"
        elif option.kind == LIST:
            value = list(value)
        values[option.name] = value
    return values


def option_argv(values: Mapping[str, Any]) -> list[str]:
    """The command-line words for `values` (names of `HOST_OPTIONS`; those left out
    or at their default are not written)."""
    unknown = set(values) - set(OPTIONS_BY_NAME)
    if unknown:
        raise TypeError(f"not a cook host option: {', '.join(sorted(unknown))}")
    argv: list[str] = []
    for option in HOST_OPTIONS:
        value = values.get(option.name, option.default)
        if option.kind == SWITCH:
            argv += [option.flag] if value else []
        elif option.kind == ON_OFF:
            argv += [] if value else [option.flag, "off"]
        elif option.kind == LIST:
            for item in _words(value):
                argv += [option.flag, _abs(item) if option.path else str(item)]
        elif option.kind == PARMS:
            for name, item in (value or {}).items():
                argv += [option.flag, f"{name}={item}"]
        elif option.path:
            argv += [option.flag, _abs(value)] if value else []  # "" is no path, not "."
        elif value is not None or option.required:
            argv += [option.flag, str(value)]
    return argv


def cook_option_values(options: CookOptions) -> dict[str, Any]:
    """`options` as `host_command`'s keywords (the table's `field`s)."""
    return {option.name: getattr(options, option.field)
            for option in HOST_OPTIONS if option.field}


def cook_options(values: Mapping[str, Any]) -> CookOptions:
    """A `CookOptions` from parsed values (the table's `field`s)."""
    return CookOptions(**{option.field: values[option.name]
                          for option in HOST_OPTIONS if option.field and option.name in values})


def _words(value: Iterable[Any]) -> Iterable[Any]:
    return [value] if isinstance(value, str) else (value or ())


def _abs(path: Any) -> str:
    return os.path.abspath(str(path))
