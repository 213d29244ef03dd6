"""Where a parsed document's fields live in the file it came from.

Plain data, filled in by parse and read by render: a document opened from a
file carries an ``Origin`` (its rows, and the span of every field), and
render splices only the fields whose values differ from ``base``, the
document as parsed. Rows are 0-based; a position "before row p" is where
inserted lines go (p == number of rows: the end of the file).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from scheduler_studio.engine.codegen.textfile import TextFile

if TYPE_CHECKING:  # the document holds the origin, the origin its base document
    from scheduler_studio.engine.codegen.document import Parameter, SchedulerDocument

Where = Optional[tuple[str, int]]


@dataclass(frozen=True)
class Span:
    """A piece of source text: (row, column) to (row, column), end exclusive;
    columns count characters."""

    row: int
    col: int
    end_row: int
    end_col: int


@dataclass(frozen=True)
class View:
    """A field shown as text whose lines are rows of the file.

    ``rows[i]`` is the row line ``i`` of the parsed value came from (None
    for a line parse made up or moved, e.g. a comment after a ``def``'s
    colon). ``indent`` goes before lines written into the view; ``anchor``
    is where they go when no line around them has a row; ``pad_before`` /
    ``pad_after`` blank lines separate such lines from their neighbours.
    """

    field: str
    rows: tuple[Optional[int], ...]
    indent: str
    anchor: int
    pad_before: int = 0
    pad_after: int = 0


@dataclass(frozen=True)
class Method:
    """A callback's method: its rows (decorators to the last trailing
    comment) and whether the body shares the ``def`` row."""

    first: int
    last: int
    inline: bool
    header: Span  # from the start of ``def`` to just after its colon


@dataclass(frozen=True)
class Template:
    """The ``templateBody`` the parameters and working directory live in.

    ``kind`` is "json" (a string literal holding JSON) or "dumps"
    (``json.dumps`` of a dict literal). ``entries`` are the parameters in
    file order, the working directory among them at ``working_dir_at``;
    for "dumps", ``elements`` are their spans and ``brackets`` the list's,
    and ``pairs[i]`` what element ``i`` writes, key by key, so an edit of one
    value replaces only that value's text: ``(key, key span, value span,
    value)`` in file order (the value as the template gives it, JSON-like;
    ``pairs[i]`` is None when the element cannot be edited in place).
    """

    kind: str
    literal: Span
    entries: tuple["Parameter", ...]
    working_dir_at: Optional[int]
    elements: tuple[Span, ...] = ()
    brackets: Optional[Span] = None
    quote: str = '"'
    pairs: tuple = ()


@dataclass(frozen=True)
class Kept:
    """What a normalised document keeps of its file, so the canonical layout
    means what the file meant: the file's indentation unit, encoding, BOM and
    line ends; the class statement's bases as written (their order is the
    MRO); the header members the class inherits instead of defining
    (``__init__``, ``templateName``, ``templateBody``: writing one would
    override the base's); and the document as parsed, to tell whether those
    fields were edited since."""

    unit: str
    bases: tuple[str, ...]
    inherited: frozenset
    base: "SchedulerDocument"
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"


@dataclass(frozen=True)
class Origin:
    """The file a document was parsed from, and where its fields are."""

    file: TextFile
    base: "SchedulerDocument"
    views: dict = field(default_factory=dict)        # field -> View
    methods: dict = field(default_factory=dict)      # callback -> Method
    fixed: tuple[Where, ...] = ()                    # per row, when no view holds it
    member_indent: str = "    "
    unit: str = "    "                               # one indentation level of the file
    method_gap: int = 1                              # blank lines between methods
    member_count: int = 0                            # statements in the class body
    class_top: int = 0                               # where a new first member goes
    body_start: int = 0                              # the class body's first row
    template_at: int = 0                             # where a new templateBody goes
    class_end: int = 0                               # the row after the class
    class_name: Optional[Span] = None
    type_literals: tuple[Span, ...] = ()             # string literals holding the type name
    label_literal: Optional[Span] = None
    register_class: Optional[Span] = None            # the class passed to registerScheduler
    register_end: Optional[tuple[int, int]] = None   # just before the call's ")"
    register_has_args: bool = True
    template: Optional[Template] = None
    template_note: str = ""                          # why the parameters are read-only
    quote: str = '"'                                 # the file's usual string quote
    member_callbacks: frozenset = frozenset()        # callbacks written as extra members
    kept: Optional[Kept] = None                      # what a normalised copy keeps
    chosen_class: Optional[str] = None               # parse's class_name (None: its default)

    def __hash__(self) -> int:  # origins ride along documents, never as dict keys
        return id(self)

    def read_only(self) -> frozenset[str]:
        """Document fields an edit cannot be spliced into (see ``template_note``)."""
        fields = {"use_callback_server", "doc", "bases"}
        if self.template is None and self.template_note:
            fields |= {"parameters", "working_dir"}
        fields |= {f"callback:{name}" for name in self.member_callbacks}
        return frozenset(fields)
