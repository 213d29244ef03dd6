"""A module file's text exactly as written: rows, line ends, encoding, BOM.

Saving must give back the bytes the user wrote, so reading keeps what
Python itself ignores: each row's own line end (CRLF, LF or a lone CR),
a UTF-8 byte-order mark, the PEP 263 coding cookie's encoding, a missing
final newline. The analysis (ast, tokenize) runs on ``text`` with ``\\n``
ends; rows line up one to one with its lines, because only the three line
ends Python knows split rows (a form feed or U+2028 does not).
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Optional, Union

from scheduler_studio.engine.codegen.errors import SchedulerParseError

UTF8_BOM = codecs.BOM_UTF8
_LINE_END = re.compile(r"\r\n|\r|\n")
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


class SchedulerEncodingError(ValueError):
    """The module's text cannot be written in the file's declared encoding."""

    def __init__(self, line: int, column: int, char: str, encoding: str):
        self.line, self.column, self.char, self.encoding = line, column, char, encoding
        super().__init__(
            f"line {line}, column {column}: {char!r} cannot be written in "
            f"{encoding}, the encoding this file declares; convert the file to "
            "UTF-8 (its coding cookie is updated) or remove the character")


@dataclass(frozen=True)
class TextFile:
    """The rows of a module and how they were written."""

    rows: tuple[str, ...]         # each row's text, without its line end
    ends: tuple[str, ...]         # each row's line end ("" for a last row without one)
    encoding: str = "utf-8"       # what the bytes are in (the cookie's codec name)
    bom: bool = False             # the bytes began with a UTF-8 byte-order mark
    prefix: str = ""              # "\ufeff" when the *text* given began with one

    @property
    def text(self) -> str:
        """The text for analysis: rows joined with ``\\n`` (no BOM)."""
        return "\n".join(self.rows)

    @property
    def newline(self) -> str:
        """The line end new lines get: the file's most common one."""
        counts = {end: self.ends.count(end) for end in ("\n", "\r\n", "\r")}
        best = max(counts, key=counts.get)
        return best if counts[best] else "\n"

    def joined(self, rows: list[str], ends: list[str]) -> str:
        return self.prefix + "".join(r + e for r, e in zip(rows, ends))

    def original(self) -> str:
        """The text exactly as it was given (line ends and all)."""
        return self.joined(list(self.rows), list(self.ends))

    def encode(self, text: str) -> bytes:
        """``text`` (as render returns it) in this file's encoding and BOM."""
        try:
            data = text.encode(self.encoding)
        except UnicodeEncodeError as exc:
            before = text[:exc.start]
            line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
            column = exc.start - max(before.rfind("\n"), before.rfind("\r"))
            raise SchedulerEncodingError(line, column, text[exc.start],
                                         self.encoding) from None
        return (UTF8_BOM if self.bom else b"") + data


def split_rows(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(rows, line ends) of ``text``; a text ending in a line end has an
    empty last row with no end."""
    rows, ends, start = [], [], 0
    for match in _LINE_END.finditer(text):
        rows.append(text[start:match.start()])
        ends.append(match.group())
        start = match.end()
    rows.append(text[start:])
    ends.append("")
    return tuple(rows), tuple(ends)


def read(data: Union[str, bytes], filename: str, max_bytes: int) -> TextFile:
    """The module's rows, or a parse error naming the line that is wrong."""
    if len(data) > max_bytes:
        raise SchedulerParseError(
            filename, 1, f"the file is {len(data) / 2**20:.1f} MB; a scheduler module "
            f"larger than {max_bytes // 2**20} MB is not opened (is it really one?)")
    prefix, bom, encoding = "", False, "utf-8"
    if isinstance(data, bytes):
        if b"\0" in data:
            raise SchedulerParseError(filename, _line_at(data, data.index(b"\0")),
                                      "this is a binary file, not Python source")
        bom = data.startswith(UTF8_BOM)
        encoding = declared_encoding(data, filename)
        body = data[len(UTF8_BOM):] if bom else data
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            line = _line_at(body, exc.start)
            column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
            hint = ("save the module as UTF-8" if encoding == "utf-8" else
                    "fix the character or the file's coding cookie")
            raise SchedulerParseError(
                filename, line, f"line {line}, column {column}: byte "
                f"0x{body[exc.start]:02x} is not {encoding} text; {hint}") from None
    else:
        if "\0" in data:
            raise SchedulerParseError(filename, data[:data.index("\0")].count("\n") + 1,
                                      "this is a binary file, not Python source")
        text = data
        if text.startswith("\ufeff"):
            prefix, text = "\ufeff", text[1:]
    for index, ch in enumerate(text):
        if "\ud800" <= ch <= "\udfff":
            raise SchedulerParseError(filename, text[:index].count("\n") + 1,
                                      "the text holds an invalid character")
    rows, ends = split_rows(text)
    return TextFile(rows, ends, encoding, bom, prefix)


def declared_encoding(data: bytes, filename: str) -> str:
    """The codec name a PEP 263 cookie declares ("utf-8" without one)."""
    head = data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data
    rows = tuple(head.split(b"\n", 2)[:2])
    row = cookie_row(tuple(r.decode("latin-1") for r in rows))
    if row is None:
        return "utf-8"
    name = _COOKIE.match(rows[row].decode("latin-1")).group(1)
    try:
        found = codecs.lookup(name).name
    except LookupError:
        raise SchedulerParseError(filename, row + 1, f"the coding cookie names "
                                  f"{name!r}, which is no encoding Python knows") from None
    if data.startswith(UTF8_BOM) and found != "utf-8":
        raise SchedulerParseError(filename, row + 1, f"the file starts with a UTF-8 "
                                  f"byte-order mark but its coding cookie says {name}")
    return "utf-8" if found in ("utf-8-sig", "utf-8") else found


def cookie_row(rows: tuple[str, ...]) -> Optional[int]:
    """The row (0 or 1) holding a coding cookie, as PEP 263 finds it."""
    for index in range(min(2, len(rows))):
        if _COOKIE.match(rows[index]):
            return index
        if rows[index].strip() and not rows[index].lstrip().startswith("#"):
            return None
    return None


def cookie_encoding(rows: tuple[str, ...]) -> Optional[str]:
    """The codec a coding cookie in ``rows`` declares, as Python reads it (None:
    no cookie, the text is UTF-8); LookupError when it names no codec."""
    row = cookie_row(rows)
    if row is None:
        return None
    found = codecs.lookup(_COOKIE.match(rows[row]).group(1)).name
    return "utf-8" if found in ("utf-8-sig", "utf-8") else found


def with_utf8_cookie(row: str) -> str:
    """A cookie row that declares UTF-8 instead."""
    match = _COOKIE.match(row)
    return row[:match.start(1)] + "utf-8" + row[match.end(1):]


def _line_at(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1
