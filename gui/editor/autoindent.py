"""Python-aware indentation: what Enter, Shift+Tab and ':' do to the indent.

The rules are a pure function of line text (``next_line_indent``) so they are
testable without a widget; the editor functions below only read the lines
around the caret and apply the result as one undo step.
"""
from __future__ import annotations

import re

INDENT_WIDTH = 4
DEDENT_KEYWORDS = frozenset({"return", "pass", "raise", "break", "continue"})
_OPENERS, _CLOSERS = "([{", ")]}"
_FIRST_WORD = re.compile(r"\s*([A-Za-z_]\w*)")
_BLOCK_CONTINUATION = re.compile(r"\s*(else|elif\b.*|except\b.*|finally)\s*:\s*(#.*)?$")


def leading_width(line: str) -> int:
    """Columns of leading whitespace (a tab counts as one indent level)."""
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(INDENT_WIDTH))


def scan_brackets(line: str) -> tuple[str, list[int], list[int]]:
    """Split off a trailing comment and find brackets outside strings.

    Returns (code, columns of unclosed openers, columns of closers that match
    nothing on this line).
    """
    stack: list[int] = []
    unmatched: list[int] = []
    quote = ""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
        elif ch == "#":
            return line[:i], stack, unmatched
        elif ch in "\"'":
            quote = line[i:i + 3] if line[i:i + 3] in ('"""', "'''") else ch
            i += len(quote)
            continue
        elif ch in _OPENERS:
            stack.append(i)
        elif ch in _CLOSERS:
            if stack:
                stack.pop()
            else:
                unmatched.append(i)
        i += 1
    return line, stack, unmatched


def next_line_indent(line: str, statement_start: str | None = None) -> int:
    """Indent (in columns) for the line that Enter opens after ``line``.

    ``statement_start`` is the first line of a statement that ``line`` ends
    (after a bracket spanning lines), whose indent is then the base.
    """
    base = statement_start if statement_start is not None else line
    indent = leading_width(base)
    code, open_columns, _ = scan_brackets(line)
    code = code.rstrip()
    if not code.strip():
        return leading_width(line)
    if open_columns:
        if code.endswith(tuple(_OPENERS)):
            return leading_width(line) + INDENT_WIDTH
        return open_columns[-1] + 1
    if code.endswith(":") or code.endswith("\\"):
        return indent + INDENT_WIDTH
    first = _FIRST_WORD.match(base)
    if first and first.group(1) in DEDENT_KEYWORDS:
        return max(0, indent - INDENT_WIDTH)
    return indent


def dedented(width: int) -> int:
    """The indent one level left of ``width`` (snapping to the indent grid)."""
    return max(0, (width - 1) // INDENT_WIDTH * INDENT_WIDTH) if width > 0 else 0


def _line_text(editor, line: int) -> str:
    start = editor.positionFromLine(line)
    return bytes(editor.textRange(start, editor.lineEndPosition(line))).decode("utf-8", "replace")


def indent_text(editor, width: int) -> str:
    """Leading whitespace of ``width`` columns as the editor indents: tabs
    when it uses them (a tab-indented file), spaces otherwise."""
    if editor.useTabs():
        return "\t" * (width // INDENT_WIDTH) + " " * (width % INDENT_WIDTH)
    return " " * width


def newline_and_indent(editor) -> None:
    """Enter: break the line and indent the new one by the Python rules."""
    editor.beginUndoAction()
    try:
        if editor.selectionStart() != editor.selectionEnd():
            editor.replaceSel("")
        pos = editor.currentPos()
        line = editor.lineFromPosition(pos)
        start = editor.positionFromLine(line)
        before = bytes(editor.textRange(start, pos)).decode("utf-8", "replace")
        indent = next_line_indent(before, _statement_start(editor, line, start, before))
        end = pos
        while editor.charAt(end) in (0x20, 0x09):  # whitespace after the caret moves down
            end += 1
        if not before.strip():  # Enter on a blank line leaves no trailing spaces
            pos = start
        editor.setSel(pos, end)
        editor.replaceSel("\n" + indent_text(editor, indent))
    finally:
        editor.endUndoAction()
    editor.scrollCaret()


def _statement_start(editor, line: int, start: int, before: str) -> str | None:
    """Text of the line where a bracket closed on ``line`` was opened, if earlier."""
    _, _, unmatched = scan_brackets(before)
    if not unmatched:
        return None
    closer = start + len(before[: unmatched[-1]].encode("utf-8"))
    opener = editor.braceMatch(closer, 0)
    if opener < 0 or editor.lineFromPosition(opener) >= line:
        return None
    return _line_text(editor, editor.lineFromPosition(opener))


def dedent_lines(editor) -> None:
    """Shift+Tab: move the caret line, or every selected line, one level left."""
    first = editor.lineFromPosition(editor.selectionStart())
    last = editor.lineFromPosition(editor.selectionEnd())
    if last > first and editor.selectionEnd() == editor.positionFromLine(last):
        last -= 1  # a selection ending at column 0 does not include that line
    editor.beginUndoAction()
    try:
        for line in range(first, last + 1):
            width = editor.lineIndentation(line)
            if width:
                editor.setLineIndentation(line, dedented(width))
    finally:
        editor.endUndoAction()


def dedent_block_continuation(editor) -> None:
    """After ':' on ``else:``/``elif …:``/``except …:``/``finally:``, line it up with its ``if``.

    Only when the line is still at the depth of the block above it, which is
    where Enter left it; a line the user already moved left is kept.
    """
    line = editor.lineFromPosition(editor.currentPos())
    text = _line_text(editor, line)
    width = leading_width(text)
    if not width or not _BLOCK_CONTINUATION.match(text):
        return
    above = line - 1
    while above >= 0 and not _line_text(editor, above).strip():
        above -= 1
    if above >= 0 and leading_width(_line_text(editor, above)) == width:
        editor.setLineIndentation(line, dedented(width))
