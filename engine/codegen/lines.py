"""Line-level helpers shared by render and parse.

Moving a block of code in or out of a class must not touch the inside of
multi-line strings, and must follow Python's own idea of indentation (only
lines that start a statement count). Both directions use the same line
classification, which is what makes ``parse(render(d)) == d`` hold.
"""
from __future__ import annotations

import ast
import bisect
import io
import itertools
import re
import tokenize
import warnings
from typing import Optional

# Line kinds.
BLANK = "blank"      # only whitespace
COMMENT = "comment"  # only a comment
LOGICAL = "logical"  # starts a statement: its indentation means something
FREE = "free"        # continues a statement (brackets, backslash)
STRING = "string"    # starts inside a multi-line string: never touched

_NON_CODE = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT,
             tokenize.DEDENT, tokenize.ENDMARKER}
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def split(text: str) -> list[str]:
    """Lines as Python sees them: only ``\\n`` ends a line (after normalising)."""
    return text.split("\n")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def try_parse(text: str) -> Optional[ast.Module]:
    """The syntax tree of a block, or None while it does not parse."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def tokens(text: str) -> list[tokenize.TokenInfo]:
    """All tokens of ``text``; raises SyntaxError/TokenError on broken code."""
    return list(tokenize.generate_tokens(io.StringIO(text).readline))


def classify(text: str, toks: Optional[list[tokenize.TokenInfo]] = None) -> list[str]:
    """One kind per line of ``text`` (see the constants above); ``toks``: its tokens,
    when the caller has them already (tokenizing a large module takes seconds)."""
    lines = split(text)
    if toks is None:
        try:
            toks = tokens(text)
        except (SyntaxError, tokenize.TokenError, ValueError):
            return [_guess(line) for line in lines]
    kinds = [None] * len(lines)
    starts_statement = True
    fstring_depth = 0
    fstring_line = 0
    for tok in toks:
        (srow, _), (erow, _) = tok.start, tok.end
        if tok.type == tokenize.STRING or tok.type == _FSTRING_END:
            first = fstring_line if tok.type == _FSTRING_END else srow
            for row in range(first + 1, erow + 1):
                kinds[row - 1] = STRING
        if tok.type == _FSTRING_START:
            if fstring_depth == 0:
                fstring_line = srow
            fstring_depth += 1
        elif tok.type == _FSTRING_END:
            fstring_depth -= 1
        if tok.type == tokenize.NEWLINE:
            starts_statement = True
        elif tok.type not in _NON_CODE and starts_statement:
            starts_statement = False
            if kinds[srow - 1] is None:
                kinds[srow - 1] = LOGICAL
        elif tok.type == tokenize.COMMENT and kinds[srow - 1] is None:
            kinds[srow - 1] = COMMENT
        elif tok.type not in _NON_CODE and kinds[srow - 1] is None:
            kinds[srow - 1] = FREE
    return [kind or (BLANK if not line.strip() else FREE)
            for kind, line in zip(kinds, lines)]


_BLOCK_WORD = re.compile(r"[ \t\f]*(?:else|finally)[ \t]*:")
_CASE = re.compile(r"[ \t\f]*case\b")


def classify_tree(text: str, tree: ast.Module) -> list[str]:
    """``classify(text)`` from the module's syntax tree, without tokenizing it.

    Tokenizing a 1 MB module costs more than a second in pure Python; the
    tree knows every statement start, and only strings that span rows need a
    look at their own tokens (``"a"\\n"b"`` is two one-row strings)."""
    lines = split(text)
    kinds: list = [None] * len(lines)
    starts: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.stmt, ast.excepthandler)):
            starts.add((node.lineno, node.col_offset))
            for decorator in getattr(node, "decorator_list", ()):
                starts.add((decorator.lineno, decorator.col_offset))
        elif isinstance(node, ast.match_case):  # no position of its own: case is
            row = node.pattern.lineno          # on the pattern's row or above it
            while row > 1 and not _CASE.match(lines[row - 1]):
                row -= 1
            starts.add((row, len(lines[row - 1]) - len(lines[row - 1].lstrip())))
        elif isinstance(node, (ast.Constant, ast.JoinedStr)) and \
                node.end_lineno > node.lineno and \
                (isinstance(node, ast.JoinedStr) or isinstance(node.value, (str, bytes))):
            for first, last in _string_rows(lines, node):
                for row in range(first + 1, last + 1):
                    kinds[row - 1] = STRING
    for row, col in starts:
        # a statement starts a line when nothing of another one comes before it
        # on its row (``) -> None: ...`` ends a header: the row continues it)
        if kinds[row - 1] is None and \
                not lines[row - 1].encode("utf-8")[:col].strip(b" \t\f@"):
            kinds[row - 1] = LOGICAL
    for index, line in enumerate(lines):
        if kinds[index] is not None:
            continue
        stripped = line.strip()
        if not stripped:
            kinds[index] = BLANK
        elif stripped.startswith("#"):
            kinds[index] = COMMENT
        elif _BLOCK_WORD.match(line):
            kinds[index] = LOGICAL  # else: / finally: start a clause, with no node of their own
        else:
            kinds[index] = FREE
    return kinds


def _string_rows(lines: list[str], node: ast.expr):
    """(first, last) rows of each string token in the literal ``node`` spans."""
    first, last = node.lineno, node.end_lineno
    rows = lines[first - 1:last]
    rows[-1] = rows[-1][:char_col(rows[-1], node.end_col_offset)]
    rows[0] = rows[0][char_col(rows[0], node.col_offset):]
    try:
        toks = tokens("(" + "\n".join(rows) + ")")
    except (SyntaxError, tokenize.TokenError, ValueError):
        return [(first, last)]
    return [(first + tok.start[0] - 1, first + tok.end[0] - 1) for tok in toks
            if tok.type == tokenize.STRING or tok.type == _FSTRING_END]


def char_col(line: str, byte_col: int) -> int:
    """ast counts columns in UTF-8 bytes; rows are text."""
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def _guess(line: str) -> str:
    """Kind of a line when the block does not tokenize (while editing)."""
    stripped = line.strip()
    if not stripped:
        return BLANK
    return COMMENT if stripped.startswith("#") else LOGICAL


def leading_ws(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" \t\f"))]


def common_indent(lines: list[str], kinds: list[str]) -> str:
    """The indentation shared by every line that starts a statement (in a
    block of comments only: the first comment's indentation)."""
    if LOGICAL not in kinds:
        return next((leading_ws(line) for line, kind in zip(lines, kinds)
                     if kind == COMMENT), "")
    prefix = None
    for line, kind in zip(lines, kinds):
        if kind != LOGICAL:
            continue
        ws = leading_ws(line)
        if prefix is None:
            prefix = ws
        else:
            n = 0
            while n < min(len(prefix), len(ws)) and prefix[n] == ws[n]:
                n += 1
            prefix = prefix[:n]
    return prefix or ""


def _width(ws: str) -> int:
    return len(ws.expandtabs(8))


def expand_indents(lines: list[str], kinds: list[str]) -> list[str]:
    """Leading tabs turned into spaces (tab stops of 8, as Python counts
    them), outside strings: the block structure stays the same."""
    return [line if kind == STRING else
            leading_ws(line).expandtabs(8) + line[len(leading_ws(line)):]
            for line, kind in zip(lines, kinds)]


def dedent_lines(lines: list[str], kinds: list[str]) -> list[str]:
    """Remove the common statement indentation; strings stay as they are."""
    prefix = common_indent(lines, kinds)
    logical = [_width(leading_ws(line))
               for line, kind in zip(lines, kinds) if kind == LOGICAL]
    if logical and _width(prefix) < min(logical):
        # Tabs and spaces spell the same indentation differently.
        lines = expand_indents(lines, kinds)
        prefix = common_indent(lines, kinds)
    out = []
    for line, kind in zip(lines, kinds):
        if kind == STRING or not prefix:
            out.append(line)
        elif line.startswith(prefix):
            out.append(line[len(prefix):])
        elif kind == BLANK:
            out.append("")
        else:
            ws = leading_ws(line)
            n = 0
            while n < len(ws) and n < len(prefix) and ws[n] == prefix[n]:
                n += 1
            out.append(line[n:])
    return out


def indent(text: str, prefix: str) -> list[str]:
    """Lines of ``text`` moved right by ``prefix``; empty lines stay empty.

    A prefix that is not a whole tab stop would shift tab-indented and
    space-indented statements differently, so such a mix is spelled with
    spaces first.
    """
    lines = split(text)
    kinds = classify(text)
    starts = {leading_ws(line) for line, kind in zip(lines, kinds)
              if kind == LOGICAL and leading_ws(line)}
    if _width(prefix) % 8 and any("\t" in ws for ws in starts) \
            and any(ws[0] == " " for ws in starts):
        lines = expand_indents(lines, kinds)
    return [line if kind == STRING or line == "" else prefix + line
            for line, kind in zip(lines, kinds)]


def flush_leading_comments(text: str) -> str:
    """Comments before a block's first statement, moved to column 0.

    Written under the member or class before them, deeper comments would
    read as that member's; at column 0 of the block they stay where they
    are when the module is parsed again.
    """
    lines = split(text)
    # Only blank and comment lines come before the first statement, so no
    # string can be open there: the lines are read as they are, not tokenized.
    for i, line in enumerate(lines):
        stripped = line.lstrip(" \t\f")
        if stripped.startswith("#"):
            lines[i] = stripped
        elif stripped.strip():
            break
    return "\n".join(lines)


def has_code(text: str) -> bool:
    """Whether ``text`` holds any statement (not only comments/blank lines)."""
    return any(kind not in (BLANK, COMMENT) for kind in classify(text))


def header_end(lines: list[str], node) -> tuple:
    """(row, col) just after the ``:`` ending the header of a def/class node
    (1-based row, column in characters): its own rows are tokenized, not the
    module."""
    row = node.lineno
    last = node.body[0].lineno if node.body else node.end_lineno
    start = char_col(lines[row - 1], node.col_offset)
    snippet = "\n".join([lines[row - 1][start:]] + lines[row:last]) + "\n"
    try:
        toks = tokens(snippet)
    except (SyntaxError, tokenize.TokenError, ValueError):
        toks = list(_tokens_until_error(snippet))
    found = _header_colon(toks, 1, 0)
    r, c = found
    return row + r - 1, c + (start if r == 1 else 0)


def _tokens_until_error(text: str):
    try:
        yield from tokenize.generate_tokens(io.StringIO(text).readline)
    except (SyntaxError, tokenize.TokenError, ValueError):
        return


def _header_colon(toks: list[tokenize.TokenInfo], row: int, col: int) -> tuple:
    """(row, col) just after the ``:`` ending a def/class header at (row, col)."""
    depth = 0
    first = bisect.bisect_left(toks, (row, col), key=_start)
    for tok in itertools.islice(toks, first, None):
        if tok.type == tokenize.OP:
            if tok.string in ("(", "[", "{"):
                depth += 1
            elif tok.string in (")", "]", "}"):
                depth -= 1
            elif tok.string == ":" and depth == 0:
                return tok.end
    raise ValueError(f"no header colon after line {row}")


def _start(tok: tokenize.TokenInfo) -> tuple[int, int]:
    return tok.start


def py_string(value: str) -> str:
    """A double-quoted Python literal for ``value``, escaping what is unsafe."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def docstring_literal(value: str) -> str:
    """A triple-quoted literal when ``value`` allows one, else ``py_string``."""
    plain = all(ch.isprintable() or ch in "\n\t" for ch in value)
    if plain and '"""' not in value and "\\" not in value \
            and not value.endswith('"'):
        return '"""' + value + '"""'
    return py_string(value)
