"""A document's text as the bytes of its file: encoding, BOM, coding cookie.

The bytes are always in the encoding the text being saved declares (its
coding cookie, UTF-8 without one or after a BOM), not the one the file was
read in: the user may have edited the cookie, or converted the file, and
the file must read back, as Python reads it, as the text the editor shows.
"""
from __future__ import annotations

from dataclasses import replace

from scheduler_studio.engine.codegen.document import SchedulerDocument
from scheduler_studio.engine.codegen.textfile import (CookieProblem, TextFile, cookie_row,
                                                      python_encoding, split_rows,
                                                      with_utf8_cookie)


def encode_module(doc: SchedulerDocument, text: str) -> bytes:
    """``text`` (``render(doc)[0]``) as bytes in the encoding it declares, with
    the file's BOM; normalised documents keep their file's BOM and line ends.
    Raises SchedulerEncodingError naming the line of a character the encoding
    cannot hold, or of a cookie Python could not read the file in."""
    if doc.origin is None and doc.kept is not None:
        kept = doc.kept
        file = TextFile((), (), kept.encoding, kept.bom)
        return file.encode_as_declared(text.replace("\n", kept.newline))
    if doc.origin is None:
        return TextFile((), ()).encode_as_declared(text)
    return doc.origin.file.encode_as_declared(text)


def as_utf8(doc: SchedulerDocument) -> SchedulerDocument:
    """The document with its file converted to UTF-8: written as UTF-8 from now
    on, and the coding cookie of its text (if any) saying so. The cookie line
    is the one change the conversion makes to the text."""
    doc = _file_as_utf8(doc)
    from scheduler_studio.engine.codegen.rendering import render  # render sits above

    text, line_map = render(doc)
    rows = split_rows(text)[0]
    row = cookie_row(rows)
    if row is None or _says_utf8(rows, _bom(doc)):
        return doc
    where = line_map[row] if row < len(line_map) else None
    if where is None or where[0] != "prelude":
        return doc  # not text the user edits: _file_as_utf8 rewrote the file's own row
    lines = doc.prelude.split("\n")
    lines[where[1]] = with_utf8_cookie(lines[where[1]])
    return replace(doc, prelude="\n".join(lines))


def _bom(doc: SchedulerDocument) -> bool:
    if doc.origin is not None:
        return doc.origin.file.bom
    return doc.kept is not None and doc.kept.bom


def _says_utf8(rows: tuple[str, ...], bom: bool) -> bool:
    try:
        return python_encoding(rows[:2], bom) == "utf-8"
    except CookieProblem:
        return False


def _file_as_utf8(doc: SchedulerDocument) -> SchedulerDocument:
    """The file's own cookie row (and the prelude's copy of it, when the user
    left it as it was) saying UTF-8, the file written as UTF-8."""
    origin = doc.origin
    if origin is None or origin.file.encoding == "utf-8":
        return doc
    file = origin.file
    rows = list(file.rows)
    row = cookie_row(file.rows)
    base, changed = origin.base, {}
    if row is not None:
        old, new = rows[row], with_utf8_cookie(rows[row])
        rows[row] = new
        prelude = origin.views.get("prelude")
        if prelude is not None and row in prelude.rows:
            at = prelude.rows.index(row)
            base = replace(base, prelude=_swap_line(base.prelude, at, old, new))
            changed["prelude"] = _swap_line(doc.prelude, at, old, new)
    file = TextFile(tuple(rows), file.ends, "utf-8", file.bom, file.prefix)
    new_origin = replace(origin, file=file, base=replace(base, origin=None))
    return replace(doc, origin=new_origin, **changed)


def _swap_line(text: str, index: int, old: str, new: str) -> str:
    lines = text.split("\n")
    if index < len(lines) and lines[index].strip() == old.strip():
        lines[index] = lines[index].replace(old.strip(), new.strip())
    return "\n".join(lines)
