"""Searching an editor's text with Python's ``re`` (what a Python user expects).

Matches are found on the decoded text and converted to Scintilla's UTF-8
byte positions, so regex syntax and replacement templates (``\\1``,
``\\g<name>``) are Python's, not Scintilla's own regex dialect.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MATCHES = 10_000


@dataclass(frozen=True)
class SearchOptions:
    text: str
    match_case: bool = False
    whole_word: bool = False
    regex: bool = False


@dataclass(frozen=True)
class Match:
    """One match: byte span in the editor, and the text to put there on replace."""

    start: int
    end: int
    replacement: str


def compile_pattern(options: SearchOptions) -> re.Pattern | None:
    """The compiled pattern, None for an empty search; raises re.error if invalid."""
    if not options.text:
        return None
    source = options.text if options.regex else re.escape(options.text)
    if options.whole_word:
        source = rf"\b(?:{source})\b"
    flags = re.MULTILINE if options.match_case else re.MULTILINE | re.IGNORECASE
    return re.compile(source, flags)


def find_matches(text: str, pattern: re.Pattern | None, replace: str = "",
                 regex: bool = False) -> list[Match]:
    """Non-empty matches of ``pattern`` in ``text`` as byte spans (at most MAX_MATCHES)."""
    if pattern is None:
        return []
    offsets = _ByteOffsets(text)
    found = []
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        replacement = m.expand(replace) if regex else replace
        found.append(Match(offsets[m.start()], offsets[m.end()], replacement))
        if len(found) >= MAX_MATCHES:
            break
    return found


class _ByteOffsets:
    """Character index → UTF-8 byte offset, linear time for increasing indexes."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._ascii = text.isascii()
        self._char = 0
        self._byte = 0

    def __getitem__(self, index: int) -> int:
        if self._ascii:
            return index
        if index < self._char:
            self._char, self._byte = 0, 0
        self._byte += len(self._text[self._char:index].encode("utf-8"))
        self._char = index
        return self._byte


@dataclass(frozen=True)
class LineHit:
    """One match located by line: ``line`` 1-based, ``column`` and ``length`` in
    characters, ``text`` the whole line it is on."""

    line: int
    column: int
    length: int
    text: str


def find_lines(text: str, pattern: re.Pattern | None, limit: int = MAX_MATCHES) -> list[LineHit]:
    """Non-empty matches of ``pattern`` in ``text``, by line (at most ``limit``)."""
    if pattern is None:
        return []
    hits = []
    for number, line in enumerate(text.split("\n"), 1):
        for m in pattern.finditer(line):
            if m.end() > m.start():
                hits.append(LineHit(number, m.start(), m.end() - m.start(), line))
                if len(hits) >= limit:
                    return hits
    return hits
