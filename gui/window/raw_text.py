"""A module that does not read as a scheduler, kept as the text it is.

A syntax error, Python 2 code or a module without a scheduler class cannot
become a SchedulerDocument, yet the user must be able to open it and fix it
in the window. It is then edited whole: the file's exact text (its own line
ends, no BOM) and how to write it back (encoding, BOM), so that saving
gives back the bytes the user did not edit. No Qt here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from scheduler_studio.engine.codegen.errors import SchedulerParseError
from scheduler_studio.engine.codegen.textfile import (TextFile, cookie_encoding, cookie_row,
                                                      read, with_utf8_cookie)

_LINE_END = re.compile(r"\r\n|\r|\n")  # the three Python knows (textfile's rows)


@dataclass(frozen=True)
class RawModule:
    """A module's text as read from disk and why it is not a scheduler document."""

    file: TextFile               # its encoding and BOM (rows: as read)
    text: str                    # the text exactly, line ends kept
    error: SchedulerParseError   # why it cannot be shown field by field
    filename: str = "<module>"

    @property
    def newline(self) -> str:
        """The line end a new line gets: the file's most common one."""
        return self.file.newline

    def encode(self, text: str) -> bytes:
        """``text`` in the encoding it declares, with the file's BOM
        (SchedulerEncodingError when that encoding cannot hold a character)."""
        return replace(self.file, encoding=self.encoding_for(text)).encode(text)

    def encoding_for(self, text: str) -> str:
        """The encoding Python reads ``text`` in once saved, so the file always reads
        back as the text shown: UTF-8 after a BOM, else its coding cookie's (the user
        may edit or delete it; UTF-8 without one). A cookie naming no codec keeps
        the file's encoding (Python cannot read that file whatever it holds)."""
        if self.file.bom:
            return "utf-8"
        try:
            declared = cookie_encoding(tuple(_LINE_END.split(text, maxsplit=2)[:2]))
            "".encode(declared or "utf-8")  # LookupError too for rot13 and other non-text codecs
        except LookupError:
            return self.file.encoding
        return declared or "utf-8"

    def as_utf8(self, text: str) -> tuple["RawModule", str]:
        """(this module written as UTF-8 from now on, ``text`` with its coding
        cookie saying so)."""
        from scheduler_studio.engine.codegen.textfile import split_rows

        rows, ends = split_rows(text)
        row = cookie_row(rows)
        if row is not None:
            rows = rows[:row] + (with_utf8_cookie(rows[row]),) + rows[row + 1:]
        new_text = "".join(r + e for r, e in zip(rows, ends))
        return replace(self, file=replace(self.file, encoding="utf-8")), new_text


def raw_module(data: bytes, filename: str, error: SchedulerParseError) -> RawModule:
    """The module's text for whole-module editing; raises SchedulerParseError when
    the bytes are not text at all (binary, undecodable, too large)."""
    from scheduler_studio.engine.codegen.source import MAX_SOURCE_BYTES

    file = read(data, filename, MAX_SOURCE_BYTES)
    return RawModule(file, file.original(), error, filename)


def analysis_text(text: str) -> str:
    """``text`` with ``\\n`` line ends (what a cook or a checker reads)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def try_parse(raw: RawModule, text: str):
    """(SchedulerDocument, None) when ``text`` now reads as a scheduler, else
    (None, SchedulerParseError)."""
    from scheduler_studio.engine.codegen import SchedulerEncodingError
    from scheduler_studio.engine.codegen.parsing import parse

    try:
        data = raw.encode(text)
    except SchedulerEncodingError as exc:
        return None, SchedulerParseError(raw.filename, exc.line, str(exc))
    try:
        return parse(data, filename=raw.filename), None
    except SchedulerParseError as exc:
        return None, exc


def error_text(error: Optional[SchedulerParseError]) -> str:
    """``line N: message`` for a bar or a status line."""
    return "" if error is None else f"line {error.line}: {error.message}"
