"""A document's text as the bytes of its file: encoding, BOM, coding cookie."""
from __future__ import annotations

from dataclasses import replace

from scheduler_studio.engine.codegen.document import SchedulerDocument
from scheduler_studio.engine.codegen.textfile import TextFile, cookie_row, with_utf8_cookie


def encode_module(doc: SchedulerDocument, text: str) -> bytes:
    """``text`` (``render(doc)[0]``) as bytes in the encoding the file declares,
    with its BOM; new documents are UTF-8, normalised ones keep their file's
    encoding, BOM and line ends. Raises SchedulerEncodingError naming the
    line of a character the encoding cannot hold."""
    if doc.origin is None and doc.kept is not None:
        kept = doc.kept
        file = TextFile((), (), kept.encoding, kept.bom)
        return file.encode(text.replace("\n", kept.newline))
    if doc.origin is None:
        return text.encode("utf-8")
    return doc.origin.file.encode(text)


def as_utf8(doc: SchedulerDocument) -> SchedulerDocument:
    """The document with its file converted to UTF-8: written as UTF-8 from now
    on, and its coding cookie (if any) saying so. The cookie line is the one
    change the conversion makes to the text."""
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
