"""The subcommands of ``schedstudio``; each returns the exit code."""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from ..cook import callboard
from ..cook.options import OPTIONS_BY_NAME, add_host_options, option_values
from ..debug.breakpoints import BreakpointError, resolve_spec
from ..debug.host import host_arguments
from ..hostclient import host_command
from ..hoststream import CANCELLED, TIMEOUT
from ..model.graph import GraphError, load_graph, resolve_graph, sample_graphs
from .classnote import classes_note
from .hostrun import HostRun
from .reporter import EXIT_ERROR, EXIT_FAILED, EXIT_OK, OUTPUTS_REMOVED, Reporter, exit_code
from .setup_commands import add_setup_subcommands


def cmd_cook(args: argparse.Namespace) -> int:
    reporter = Reporter()
    path = Path(args.file)
    if not (path.is_file() or (path / "__init__.py").is_file()):
        reporter.error(f"{args.file}: no such file (or package folder with an __init__.py)")
        return EXIT_ERROR
    options = option_values(args, cli_only=True)  # the host's options ours has too
    if not options["result_server_auth"]:
        reporter.error("warning: the result server accepts reports without the cook's "
                       "secret (--result-server-auth off), as Houdini's does")
    graph_file = None
    try:  # refused at once, before any process starts (`scheduler_studio.engine.model.graph` limits)
        graph_file = resolve_graph(args.graph)
        load_graph(graph_file)
    except GraphError as exc:
        return _refuse(reporter, args, str(exc), graph_file)
    problem = class_problem(args.file, args.class_name, args.type_name)
    if problem:
        return _refuse(reporter, args, problem, None)
    on_raw = _event_printer() if args.events else None
    try:
        debug = debug_options(args)
    except BreakpointError as exc:
        reporter.error(str(exc))
        return EXIT_ERROR
    # our own folder for the cook ($HIP), removed afterwards unless --keep; with a
    # working dir or $HIP given, a folder for the host's temporary files alone, removed
    # afterwards whatever happened (a host that os._exit, a crash or SIGKILL ended could
    # not remove what it made there itself)
    own_hip = not (args.workdir or "HIP" in os.environ)
    scratch = tempfile.mkdtemp(prefix="schedstudio-hip-" if own_hip else "schedstudio-cli-")
    board = _new_callboard()
    out_fd = None
    try:
        cmd = host_command(args.file, **options, scratch=scratch, callboard=board)
        on_event = None if args.events else stall_printer(reporter)
        run, out_fd = _start_host(cmd, on_raw, debug, on_event)
        with StopSignals(run) as stops:
            try:
                # a debugged cook can wait at a prompt for as long as it likes: the
                # host's own timeout (its clock stands still while paused) counts
                outcome = run.wait(None if debug else args.timeout)
            except KeyboardInterrupt:  # SIGINT where we could not take it (not main thread)
                run.stop()
                outcome = CANCELLED
        summary = run.summary or _summary_from_events(args, run, outcome, board)
    finally:
        if out_fd is not None:
            os.close(out_fd)
        os.unlink(board)
        if own_hip:
            _drop_scratch(reporter, scratch, args.keep)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if own_hip and not args.keep and any(
            str(path).startswith(scratch) for path in summary.get("outputs", [])):
        summary.setdefault("notes", []).append(OUTPUTS_REMOVED)
    if summary.get("scheduler") and summary.get("status") != "error":
        # the module loaded and a scheduler cooked: which of its classes it was
        note = classes_note(args.file, "cooked", args.class_name, summary["scheduler"])
        if note:
            summary.setdefault("notes", []).append(note[0])
    if outcome == TIMEOUT:
        summary["status"] = "timeout"
    if stops.received:
        summary["status"] = "cancelled"
        summary.setdefault("warnings", []).insert(
            0, f"schedstudio received {stops.received}: the cook was cancelled and its "
               "processes ended")
    try:
        if args.json:
            reporter.json(summary)
        elif not args.events:
            reporter.cook_summary(summary)
    except (BrokenPipeError, OSError):  # the reader or the terminal went away (SIGHUP)
        pass
    return exit_code(summary["status"])


def debug_options(args: argparse.Namespace) -> Optional[list[str]]:
    """The cook host's debugging words for --break / --pdb (and for ``breakpoint()``
    when the CLI has a terminal); None when the cook is not debugged."""
    breakpoints = [resolve_spec(spec, args.file, args.class_name) for spec in args.breaks]
    if not (breakpoints or args.pdb or _interactive()):
        return None
    return host_arguments("terminal", breakpoints, post_mortem=args.pdb)


def class_problem(file: str, class_name: Optional[str],
                  type_name: Optional[str] = None) -> str:
    """Why ``--class`` cannot be used with this module ("" when it can): a class that
    is none of its scheduler classes is named with the classes there are. A module
    that does not parse is left to whoever reads it next (it says why)."""
    if class_name is None:
        return ""
    if type_name is not None:
        return "give --class or --type, not both"
    from ..codegen import SchedulerParseError, scheduler_classes
    path = Path(file)
    try:
        found = scheduler_classes((path / "__init__.py" if path.is_dir() else path)
                                  .read_bytes(), file)
    except (OSError, SchedulerParseError):
        return ""
    names = [name for name, _type in found]
    if class_name in names:
        return ""
    return (f"{file}: no scheduler class {class_name!r} (its scheduler classes: "
            f"{', '.join(names) or 'none'})")


def _interactive() -> bool:
    try:
        return os.isatty(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return False


def stall_printer(reporter: Reporter):
    """Print the cook's note that items wait on reports that do not come (`cook.unreported`)
    as it comes: without it a cook with no --timeout waits in silence."""
    from ..cook.events import LogMessage
    from ..cook.unreported import STALL_SOURCE

    def show(event) -> None:
        if isinstance(event, LogMessage) and event.source == STALL_SOURCE:
            try:
                reporter.error(f"note: {event.message}")
            except (OSError, ValueError):  # the terminal went away
                pass
    return show


def _start_host(cmd: list[str], on_raw, debug: Optional[list[str]], on_event=None):
    """The host, given our stdin and a copy of our stdout when it is debugged (the pdb
    prompt is ours); returns it and the copy to close once it is done."""
    if debug is None:
        return HostRun(cmd, on_event=on_event, on_raw=on_raw), None
    sys.stdout.flush()
    out_fd = os.dup(sys.stdout.fileno())
    cmd = cmd + debug + ["--debug-out-fd", str(out_fd)]
    return HostRun(cmd, on_event=on_event, on_raw=on_raw, stdin=sys.stdin,
                   pass_fds=(out_fd,)), out_fd


def _refuse(reporter: Reporter, args: argparse.Namespace, message: str,
            graph_file: Optional[Path]) -> int:
    from ..cook.summary import empty_summary, error_entry
    if args.json:
        error = error_entry(message, file=str(graph_file) if graph_file else None)
        reporter.json(empty_summary("error", "", args.graph, [error]))
    else:
        reporter.error(message)
    return EXIT_ERROR


def _new_callboard() -> str:
    handle, path = tempfile.mkstemp(prefix="schedstudio-callboard-")
    os.close(handle)
    return path


def _drop_scratch(reporter: Reporter, scratch: Optional[str], keep: bool) -> None:
    if scratch is None:
        return
    if keep:
        reporter.error(f"kept the cook's working folder {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)


class StopSignals:
    """SIGTERM, SIGHUP and SIGINT during a cook: stop the host (it cancels and ends
    its jobs), end whatever is left, then let the CLI print and exit. Only in the main
    thread (where Python delivers signals); elsewhere a no-op."""

    SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

    def __init__(self, run: HostRun):
        self.run = run
        self.received: Optional[str] = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> "StopSignals":
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def _on_signal(self, signum: int, _frame: Any) -> None:
        self.received = self.received or signal.Signals(signum).name
        self.run.request_stop()

    def __exit__(self, *exc: Any) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def _event_printer():
    """Print event lines until the reader goes away (``| head``), then stay quiet."""
    state = {"open": True}

    def show(line: str) -> None:
        if state["open"]:
            try:
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
            except (BrokenPipeError, ValueError):
                state["open"] = False
    return show


# signals a process gets from its own code (a crash), not from someone ending it
OWN_FAULTS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL,
                        signal.SIGABRT})


def _summary_from_events(args, run: HostRun, outcome: Optional[str], board: str) -> dict:
    """What we know when the host died before its summary (killed, crashed): the
    events it sent, and from its call board the callback that was running. Its status:
    `outcome` (timeout, cancelled) when we stopped it; "failed" when a callback ended
    it (``os._exit``, a crash of its own such as SIGSEGV: the module loaded and cooked,
    so a cook failure, exit 1); else "error" (killed from outside, or before any
    callback ran: exit 2)."""
    from ..cook.events import CallbackCalled, CookStarted, ItemAdded, ItemState
    from ..cook.summary import empty_summary, error_entry, failed_item, item_counts
    states: dict[int, str] = {}
    names: dict[int, tuple[str, str]] = {}
    causes: dict[int, str] = {}
    calls: dict[str, int] = {}
    scheduler = ""
    for event in run.events:
        if isinstance(event, (ItemAdded, ItemState)):
            states[event.id] = event.state
            if isinstance(event, ItemAdded):
                names[event.id] = (event.name, event.node)
            else:
                causes[event.id] = event.cause
        elif isinstance(event, CallbackCalled):
            calls[event.name] = calls.get(event.name, 0) + 1
        elif isinstance(event, CookStarted):
            scheduler = event.scheduler
    message = f"the cook host ended without a summary (exit code {run.returncode})"
    if run.returncode is not None and run.returncode < 0:  # what a bare -9 means
        try:
            name = signal.Signals(-run.returncode).name
        except ValueError:
            name = f"signal {-run.returncode}"
        message = f"the cook host was killed by {name} before it sent its summary"
    running = callboard.read(board)
    by_callback = running is not None and (run.returncode is None or run.returncode >= 0
                                           or -run.returncode in OWN_FAULTS)
    status = outcome or ("failed" if by_callback else "error")
    errors = [error_entry(message)]
    if running:
        item = f" (item {running['item']})" if running["item"] is not None else ""
        note = f"; {running['note']}" if running["note"] else ""
        errors = [error_entry(f"{message}, while {running['callback']}{item} was running"
                              f"{note}", running["callback"], running["file"],
                              running["line"], running["item"])]
    return empty_summary(status, scheduler, args.graph, errors,
                         items=item_counts(Counter(states.values())),
                         failed_items=[failed_item(id, *names.get(id, (str(id), "")),
                                                   causes.get(id, ""))
                                       for id, state in states.items()
                                       if state == "CookedFail"],
                         callbacks=dict(sorted(calls.items())))


def cmd_graphs(args: argparse.Namespace) -> int:
    reporter = Reporter()
    for name, path in sample_graphs().items():
        try:
            spec = load_graph(path)
        except GraphError as exc:
            reporter.error(str(exc))
            continue
        kinds = " -> ".join(f"{n.name}({n.kind}{', dynamic' if n.mode == 'dynamic' else ''})"
                            for n in spec.nodes)
        reporter.line(f"{name:12} {spec.description}")
        reporter.line(f"{'':12} {kinds}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ..check import Problem, check_source
    reporter = Reporter()
    try:
        data = Path(args.file).read_bytes()  # decoded as Python would: BOM, coding cookie
    except OSError as exc:
        return _check_refused(reporter, args, f"{args.file}: cannot read: {exc}")
    problem = class_problem(args.file, args.class_name)
    if problem:
        return _check_refused(reporter, args, problem)
    problems = check_source(data, args.file, args.standins, args.stubs,
                            [name for name, _value in args.parms], args.class_name)
    note = classes_note(args.file, "checked", args.class_name, default=True)
    if note:  # which class was read for parameters, and how to read the others
        problems = sorted(problems + [Problem(note[1], 0, "note", note[0],
                                              "scheduler-classes")],
                          key=lambda p: (p.line, p.column, p.code))
    problems = _in_characters(problems, data, args.file)
    if args.json:
        reporter.json([check_entry(args.file, p) for p in problems])
    else:
        for problem in problems:  # columns 1-based, in characters, as editors count
            reporter.line(f"{args.file}:{problem.line}:{problem.column + 1}: "
                          f"{problem.severity}: {problem.message}")
        if not any(p.severity != "note" for p in problems):
            reporter.line(f"{args.file}: no problems")
    if any(p.severity == "error" for p in problems):
        return EXIT_FAILED
    return EXIT_OK


def _in_characters(problems: list, data: bytes, filename: str) -> list:
    """The problems with their columns in characters of their lines (the AST's count
    bytes: "é" earlier on the line would put `file:line:col` past the name)."""
    from dataclasses import replace

    from ..codegen.errors import SchedulerParseError
    from ..codegen.source import decode
    try:
        lines = decode(data, filename).split("\n")
    except SchedulerParseError:
        return problems
    return [replace(p, column=p.character_column(lines[p.line - 1].rstrip("\r")))
            if p.column is not None and 0 < p.line <= len(lines) else p for p in problems]


def check_entry(file: str, problem) -> dict[str, Any]:
    """One problem of ``check --json``: lines and columns 1-based, as it prints them."""
    return {"file": file, "line": problem.line,
            "col": None if problem.column is None else problem.column + 1,
            "severity": problem.severity, "message": problem.message, "code": problem.code}


def _check_refused(reporter: Reporter, args: argparse.Namespace, message: str) -> int:
    """A module check cannot read, or a --class it does not hold: exit 2 (with --json,
    the one problem, placed nowhere in the file)."""
    reporter.error(message)
    if args.json:
        reporter.json([{"file": args.file, "line": None, "col": None, "severity": "error",
                        "message": message, "code": "unusable"}])
    return EXIT_ERROR


def cmd_new(args: argparse.Namespace) -> int:
    from ..codegen import new_document
    from ..codegen.document import type_name_problem
    reporter = Reporter()
    problem = type_name_problem(args.name)
    if problem:
        reporter.error(problem)
        return EXIT_ERROR
    if os.path.lexists(args.output) and not args.force:
        reporter.error(f"{args.output} exists; not replacing it (pass --force to replace "
                       "it: the version it replaces is kept in the studio's backups)")
        return EXIT_ERROR
    doc = new_document(args.name, args.label or args.name, template=args.template)
    return _write(reporter, doc, args.output,
                  f"(scheduler type {args.name!r}, template {args.template})")


def cmd_export(args: argparse.Namespace) -> int:
    from ..codegen import SchedulerParseError, parse
    reporter = Reporter()
    written = WriteReport(args.file, args.normalise) if args.json else None
    try:
        source = Path(args.file).read_bytes()
        doc = parse(source, args.file, class_name=args.class_name)
    except OSError as exc:
        return _export_refused(reporter, written, f"{args.file}: cannot read: {exc}")
    except SchedulerParseError as exc:
        return _export_refused(reporter, written, str(exc))
    note = classes_note(args.file, "exported", doc.class_name)
    notes = [note[0]] if note else []
    if written is not None:
        written.report["class"] = doc.class_name
        written.report["notes"] = notes
    code = _write(reporter, doc.normalised() if args.normalise else doc, args.output,
                  "(canonical layout)" if args.normalise else "", written)
    if written is not None:
        reporter.json(written.report)
    elif code == EXIT_OK:
        for text in notes:
            reporter.line(f"note: {text}")
    return code


class WriteReport:
    """What ``export --json`` prints: the module read (``file``), the scheduler
    ``class`` it read, ``normalised``, the file ``written`` (None when nothing was), the
    ``backup`` of the file it replaced, ``warnings``, ``notes`` and the ``error`` that
    stopped it (None)."""

    def __init__(self, file: str, normalised: bool):
        self.report: dict[str, Any] = {
            "file": file, "class": None, "normalised": bool(normalised), "written": None,
            "backup": None, "warnings": [], "notes": [], "error": None}


def _export_refused(reporter: Reporter, written: Optional[WriteReport], message: str) -> int:
    if written is None:
        reporter.error(message)
    else:
        written.report["error"] = message
        reporter.json(written.report)
    return EXIT_ERROR


def _write(reporter: Reporter, doc, path: str, note: str = "",
           written: Optional[WriteReport] = None) -> int:
    """Render a document and save it atomically; the one way the CLI writes modules.
    A file it replaces is kept in the studio's backups, and the output says where
    (`written`: into that report instead of lines, for --json)."""
    from ..codegen import (SaveError, SchedulerEncodingError, encode_module, render,
                           save_module)
    text, _ = render(doc)
    try:
        report = save_module(path, encode_module(doc, text))
    except (SaveError, SchedulerEncodingError) as exc:
        if written is not None:
            written.report["error"] = str(exc)
        else:
            reporter.error(str(exc))
        return EXIT_ERROR
    if written is not None:
        written.report.update(written=path, warnings=list(report.warnings),
                              backup=None if report.backup is None else str(report.backup))
        return EXIT_OK
    reporter.line(f"wrote {path} {note}".rstrip())
    if report.backup is not None:
        reporter.line(f"the previous version of {path} is kept in {report.backup}")
    for warning in report.warnings:
        reporter.error(f"warning: {warning}")
    return EXIT_OK


def _add_class_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--class NAME`` as ``cook`` takes it (the cook host's option)."""
    option = OPTIONS_BY_NAME["class_name"]
    parser.add_argument(option.flag, dest=option.name, metavar=option.metavar, help=help_text)


def add_subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Add the commands to `parser`; returns each command's own parser, by name."""
    # prog: the commands' usage is "schedstudio new ...", not the top-level usage text
    # (two lines, the window's too) that argparse would put in front of it
    subs = parser.add_subparsers(dest="command", required=True, prog=parser.prog)

    cook = subs.add_parser("cook", help="test-cook a scheduler module against a graph")
    cook.add_argument("file")
    add_host_options(cook, cli_only=True)  # the cook host's own (`cook.options`)
    cook.add_argument("--json", action="store_true", help="print one JSON summary")
    cook.add_argument("--events", action="store_true", help="stream NDJSON events")
    cook.add_argument("--keep", action="store_true",
                      help="keep the new temp folder (its path goes to stderr)")
    cook.add_argument("--break", dest="breaks", action="append", default=[],
                      metavar="CALLBACK[:LINE]|FILE.py:LINE",
                      help="stop at a pdb prompt there: LINE counts in the callback's "
                           "body as its editor does (none: its first statement)")
    cook.add_argument("--pdb", action="store_true",
                      help="a pdb prompt where an exception escapes a callback "
                           "(post-mortem)")
    cook.set_defaults(run=cmd_cook)

    graphs = subs.add_parser("graphs", help="list the sample graphs")
    graphs.set_defaults(run=cmd_graphs)

    check = subs.add_parser("check", help="lint a module and check it against Houdini's pdg")
    check.add_argument("file")
    for name in ("standins", "stubs"):  # as the cook takes them: no stand-in asked for twice
        option = OPTIONS_BY_NAME[name]
        check.add_argument(option.flag, dest=name, action="append", default=[],
                           metavar=option.metavar, help=option.help)
    parm = OPTIONS_BY_NAME["parms"]   # a parameter given a value is not reported unset
    check.add_argument(parm.flag, dest="parms", action="append", default=[], type=parm.type,
                       metavar=parm.metavar, help="a parameter the cook will be given "
                                                  "(as cook --parm)")
    _add_class_option(check, "the scheduler class a cook will use, when the module "
                             "holds several: its parameters are the ones checked")
    check.add_argument("--json", action="store_true",
                       help="print the problems as one JSON list")
    check.set_defaults(run=cmd_check)

    new = subs.add_parser("new", help="write a new scheduler module from a template")
    new.add_argument("name", help="scheduler type name: a letter, then letters, digits "
                     "and underscores")
    new.add_argument("--label")
    new.add_argument("--template", default="local", choices=("local", "dask", "farm"))
    new.add_argument("-o", "--output", required=True)
    new.add_argument("--force", action="store_true",
                     help="replace OUTPUT if it exists (its previous version is kept in "
                          "the studio's backups)")
    new.set_defaults(run=cmd_new)

    export = subs.add_parser(
        "export", help="write a module through parse/render: byte for byte as it "
        "was, or in the canonical layout with --normalise")
    export.add_argument("file")
    export.add_argument("-o", "--output", required=True)
    export.add_argument("--normalise", "--normalize", action="store_true",
                        help="rewrite the module in the layout Save To Python gives "
                        "new schedulers (tab order, standard imports, registerTypes)")
    _add_class_option(export, "the scheduler class to read, when the module holds "
                              "several (--normalise writes its layout)")
    export.add_argument("--json", action="store_true",
                        help="print what was written as one JSON object")
    export.set_defaults(run=cmd_export)
    add_setup_subcommands(subs)
    return dict(subs.choices)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(EXIT_ERROR)
