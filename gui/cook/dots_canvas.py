"""The pixels of one node's dots, at any zoom: from 10-pixel dots down to runs of many
items in one pixel.

A canvas keeps each item's state as one byte (its *rank*, see `RANKS`) and a raw
ARGB32 pixel buffer built by joining pre-rendered cell scanlines (one `bytes.join` per
pixel row, no per-item painting). When items are smaller than a pixel, each pixel
shows a run of `per_cell` items in the colour of the run's most telling state (a failure
shows through thousands of successes), and hit testing names that very item.

A canvas can also be built a slice at a time (`relaid(..., build=False)`, then
`build_more`): the dots view re-lays a big node that way at a new zoom, over several
event-loop turns, while the old canvas is still shown.
"""
from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from scheduler_studio.gui.cook.cook_state import (CANCELLED, CATEGORIES, COOKING, FAILED, SCHEDULED,
                                                  SUCCEEDED, WAITING)
from scheduler_studio.gui.cook.look import state_colour

FORMAT = QImage.Format.Format_ARGB32_Premultiplied
# Which state a run of items shows, most telling first: one failed item colours its
# pixel red, a run is only green when all of it succeeded.
RANKS = (FAILED, COOKING, SCHEDULED, WAITING, CANCELLED, SUCCEEDED)
RANK_OF = bytes(RANKS.index(c) for c in range(len(CATEGORIES))).ljust(256, b"\0")
# Zoom levels: > 0 is the cell size in pixels (one item each), < 0 is items per pixel.
LEVELS = (10, 6, 4, 2, 1, -2, -4, -8, -16, -32, -64, -128, -256)
DOT_LEVEL = LEVELS[0]


def cell_of(level: int) -> tuple[int, int]:
    """(cell size in pixels, items per cell) of a zoom level."""
    return (level, 1) if level > 0 else (1, -level)


def _sprites(cell: int) -> list[list[bytes]]:
    """rows[r][rank]: the r-th pixel row of one cell, as raw ARGB32 bytes."""
    rows: list[list[bytes]] = [[] for _ in range(cell)]
    for category in RANKS:
        image = QImage(cell, cell, FORMAT)
        image.fill(Qt.GlobalColor.transparent)
        if cell >= 6:   # a dot, with room around it
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(state_colour(category))
            inset = cell / 10
            painter.drawEllipse(QRectF(inset, inset, cell - 2 * inset, cell - 2 * inset))
            painter.end()
        elif cell >= 4:  # a square, with a gap
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.fillRect(0, 0, cell - 1, cell - 1, state_colour(category))
            painter.end()
        else:           # solid
            image.fill(state_colour(category))
        bits = bytes(image.constBits())
        line = image.bytesPerLine()
        for r in range(cell):
            rows[r].append(bits[r * line:r * line + cell * 4])
    for row in rows:  # rank BLANK: no item there
        row.append(bytes(cell * 4))
    return rows


_SPRITES: dict[int, list[list[bytes]]] = {}


def sprites(cell: int) -> list[list[bytes]]:
    found = _SPRITES.get(cell)
    if found is None:
        found = _SPRITES[cell] = _sprites(cell)
    return found


BLANK = len(RANKS)  # the rank of a cell past the last item: transparent
PAD = 0x7F          # the rank an incomplete run is padded with: loses every min


def _pairwise_min(a: bytes, b: bytes) -> bytes:
    """min(a[i], b[i]) for every i (bytes < 128), as big-integer arithmetic: a byte's
    high bit survives `(a | 0x80) - b` exactly when a >= b, and no byte borrows."""
    n = len(a)
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    high = int.from_bytes(b"\x80" * n, "big")
    take_b = ((((x | high) - y) & high) >> 7) * 0xFF
    return (x ^ ((x ^ y) & take_b)).to_bytes(n, "big")


def run_minima(ranks: bytes, per_cell: int) -> bytes:
    """The least rank of each run of `per_cell` items (a power of two): log2(per_cell)
    halvings, each a few whole-buffer operations instead of one `min` per cell."""
    data = bytes(ranks)
    if per_cell == 1:
        return data
    cells = -(-len(data) // per_cell)
    data += bytes([PAD]) * (cells * per_cell - len(data))
    while len(data) > cells:
        data = _pairwise_min(data[0::2], data[1::2])
    return data


def pixels(cells: bytes, cell: int, per_line: int) -> bytes:
    """The ARGB32 rows of whole lines of cells (by rank; the last line padded blank).

    Each distinct sprite row is joined once for all cells, with `map` rather than a
    per-cell Python loop (a square's rows are all alike, its gap row is blank), and the
    lines are cut from those joins."""
    if not cells:
        return b""
    lines = -(-len(cells) // per_line)
    cells = cells + bytes([BLANK]) * (lines * per_line - len(cells))
    distinct = _distinct_rows(cell)
    joined = {r: memoryview(_row_pixels(cells, cell, r))
              for r in set(distinct) if r is not None}
    if len(distinct) == 1:
        return bytes(joined[0])
    line_bytes = per_line * cell * 4
    blank = bytes(line_bytes)
    parts = []
    for offset in range(0, lines * line_bytes, line_bytes):
        end = offset + line_bytes
        parts.extend(blank if r is None else joined[r][offset:end] for r in distinct)
    return b"".join(parts)


def _row_pixels(cells: bytes, cell: int, r: int) -> bytearray:
    """Pixel row `r` of every cell, side by side: each of its 4 * cell bytes is one
    `bytes.translate` of the ranks (rank -> that byte), written with a strided slice."""
    width = 4 * cell
    out = bytearray(len(cells) * width)
    for offset, table in enumerate(_tables(cell)[r]):
        out[offset::width] = cells.translate(table)
    return out


_TABLES: dict[int, list[list[bytes]]] = {}


def _tables(cell: int) -> list[list[bytes]]:
    """tables[r][byte]: rank -> byte `byte` of pixel row r (a 256-entry translate table)."""
    found = _TABLES.get(cell)
    if found is None:
        rows = sprites(cell)
        found = _TABLES[cell] = [
            [bytes([sprite[b] for sprite in row]).ljust(256, b"\0") for b in range(4 * cell)]
            for row in rows]
    return found


_DISTINCT: dict[int, tuple[Optional[int], ...]] = {}


def _distinct_rows(cell: int) -> tuple[Optional[int], ...]:
    """For each pixel row of a cell, the first row with the same pixels in every rank,
    or None for a row that is blank in every rank."""
    found = _DISTINCT.get(cell)
    if found is None:
        keys = [tuple(row) for row in sprites(cell)]
        blank = tuple(bytes(cell * 4) for _ in keys[0])
        found = _DISTINCT[cell] = tuple(None if key == blank else keys.index(key)
                                        for key in keys)
    return found


class Canvas:
    """One node's items at one zoom level and width (in cells per line)."""

    def __init__(self, level: int, per_line: int):
        self.level = level
        self.cell, self.per_cell = cell_of(level)
        self.per_line = max(1, per_line)
        self.ranks = bytearray()     # one byte per item, in the node's order
        self.buffer = bytearray()
        self.lines = 0

    # -- geometry --------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return len(self.ranks)

    @property
    def width(self) -> int:
        return self.per_line * self.cell

    @property
    def height(self) -> int:
        return self.lines * self.cell

    @staticmethod
    def lines_for(count: int, level: int, width_px: int) -> int:
        cell, per_cell = cell_of(level)
        per_line = max(1, width_px // cell)
        cells = -(-count // per_cell)
        return -(-cells // per_line)

    @property
    def complete(self) -> bool:
        """Whether every item's pixels are built (False while `build_more` has work)."""
        return self.lines == self.lines_for(self.count, self.level, self.width)

    def cell_at(self, x: int, y: int) -> Optional[int]:
        """The cell under canvas pixel (x, y), or None."""
        if x < 0 or y < 0 or x >= self.width:
            return None
        cell = (y // self.cell) * self.per_line + x // self.cell
        return cell if cell * self.per_cell < self.count else None

    def position_in(self, cell: int) -> int:
        """The item a cell stands for: the one whose state gives it its colour."""
        start = cell * self.per_cell
        run = self.ranks[start:start + self.per_cell]
        return start + run.index(min(run))

    def run_of(self, cell: int) -> range:
        start = cell * self.per_cell
        return range(start, min(start + self.per_cell, self.count))

    def cell_xy(self, position: int) -> tuple[int, int]:
        """Canvas pixel of the top-left corner of the cell holding item `position`."""
        line, col = divmod(position // self.per_cell, self.per_line)
        return col * self.cell, line * self.cell

    # -- building and patching -------------------------------------------------------------
    def extend(self, categories: bytes) -> None:
        """Items added at the end (their categories): rebuild from the line they join
        (a canvas still being built only keeps their ranks: `build_more` gets there)."""
        was_complete = self.complete
        old = self.count
        self.ranks += categories.translate(RANK_OF)
        if was_complete:
            self._build_from(old)

    def rebuild(self) -> None:
        self._build_from(0)

    def relaid(self, level: int, per_line: int, build: bool = True) -> "Canvas":
        """The same items at another zoom or width (their ranks are kept, not re-read);
        `build=False`: no pixels yet, `build_more` makes them a slice at a time."""
        canvas = Canvas(level, per_line)
        canvas.ranks = bytearray(self.ranks)
        if build:
            canvas.rebuild()
        return canvas

    def build_more(self, items: int) -> bool:
        """Build the pixels of about `items` more items (whole lines, at least one);
        True once the canvas is complete."""
        step = self.per_line * self.per_cell
        start = self.lines * step
        stop = min(self.count, start + max(step, items // step * step))
        if stop > start:
            cells = run_minima(self.ranks[start:stop], self.per_cell)
            self.buffer += pixels(cells, self.cell, self.per_line)
            self.lines += -(-len(cells) // self.per_line)
        return self.complete

    def _build_from(self, position: int) -> None:
        per_line, per_cell, cell = self.per_line, self.per_cell, self.cell
        first_line = position // per_cell // per_line
        step = per_line * per_cell
        cells = run_minima(self.ranks[first_line * step:], per_cell)
        row_bytes = per_line * cell * 4
        del self.buffer[first_line * cell * row_bytes:]
        self.buffer += pixels(cells, cell, per_line)
        total = -(-self.count // per_cell)
        self.lines = -(-total // per_line)

    def set_category(self, position: int, category: int) -> None:
        """One item changed state: patch the pixels of its cell."""
        self.set_categories([(position, category)])

    def set_categories(self, changes: Iterable[tuple[int, int]]) -> None:
        """Items changed state, as (position, category): patch the pixels of their cells
        (one loop with everything it needs at hand: a refresh patches thousands)."""
        ranks, buffer, per_cell, per_line = self.ranks, self.buffer, self.per_cell, self.per_line
        rows = sprites(self.cell)
        size = self.cell * 4
        row_bytes = per_line * size
        line_bytes = row_bytes * self.cell
        built = self.lines
        for position, category in changes:
            rank = ranks[position] = RANK_OF[category]
            index = position
            if per_cell > 1:
                index = position // per_cell
                rank = min(ranks[index * per_cell:(index + 1) * per_cell])
            line, column = divmod(index, per_line)
            if line >= built:   # not built yet: `build_more` reads the rank
                continue
            offset = line * line_bytes + column * size
            for row in rows:
                buffer[offset:offset + size] = row[rank]
                offset += row_bytes

    def image(self) -> QImage:
        """The buffer as an image (no copy: valid while the buffer is unchanged)."""
        return QImage(self.buffer, self.width, self.height, self.width * 4, FORMAT)

