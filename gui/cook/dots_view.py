"""One row of work-item dots per node, coloured by state, smooth at tens of thousands.

Each node's dots live in a cached pixel buffer, built by joining pre-rendered dot
scanlines (one `bytes.join` per pixel row, no per-dot Python painting), and patched in
place when an item changes state. A paint only blits the visible part of each buffer,
so a repaint costs the same for 40 items or 40,000.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from scheduler_studio.gui.cook.cook_state import CATEGORIES, FAILED, SUCCEEDED, Changes, CookState
from scheduler_studio.gui.cook.look import STATE_COLOURS, state_colour

PITCH = 10          # pixels per dot, gap included
DOT = 8
MARGIN = 10
HEADER_H = 22
BLOCK_GAP = 8
MIN_HEIGHT = MARGIN + HEADER_H + 2 * PITCH + 4  # a node's title and two lines of dots
FORMAT = QImage.Format.Format_ARGB32_Premultiplied


def _sprite_rows() -> list[list[bytes]]:
    """rows[r][category]: the r-th pixel row of one dot, as raw ARGB32 bytes."""
    rows: list[list[bytes]] = [[] for _ in range(PITCH)]
    for category in range(len(CATEGORIES)):
        image = QImage(PITCH, PITCH, FORMAT)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(state_colour(category))
        offset = (PITCH - DOT) / 2
        painter.drawEllipse(QRectF(offset, offset, DOT, DOT))
        painter.end()
        bits = bytes(image.constBits())
        line = image.bytesPerLine()
        for r in range(PITCH):
            rows[r].append(bits[r * line:r * line + PITCH * 4])
    return rows


@dataclass
class _Block:
    """One node: header plus its dot canvas."""

    node: str
    number: int = 0     # its index in the view's block list
    top: int = 0
    count: int = 0
    lines: int = 0
    buffer: bytearray = None

    def height(self) -> int:
        return HEADER_H + self.lines * PITCH + BLOCK_GAP


class DotsView(QAbstractScrollArea):
    """Dots of a `CookState`; call `refresh(changes)` after feeding the state."""

    sig_item_clicked = Signal(int)
    """The user clicked the dot of this item id."""

    def __init__(self, state: CookState, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._state = state
        self._rows = _sprite_rows()
        self._blank = bytes(PITCH * 4)
        self._blocks: list[_Block] = []
        self._tops: list[int] = []
        self._where: dict[int, tuple[int, int]] = {}   # id -> (block index, position)
        self._per_line = 1
        self._selected: Optional[int] = None
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setMinimumHeight(MIN_HEIGHT)  # a short window's dock: the rest scrolls
        self.verticalScrollBar().setSingleStep(PITCH * 2)

    # -- feeding ---------------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        """Redraw what `changes` names: new items re-lay the affected nodes, state
        changes patch single dots."""
        if changes.layout:
            self._sync_blocks()
        for item_id in changes.items:
            self._patch(item_id)
        if changes.layout or changes.items or changes.status:
            self.viewport().update()

    def reset(self) -> None:
        self._blocks, self._tops, self._where = [], [], {}
        self._selected = None
        self._sync_blocks()
        self.viewport().update()

    def select(self, item_id: Optional[int]) -> None:
        self._selected = item_id
        self.viewport().update()

    def item_at(self, pos: QPoint) -> Optional[int]:
        """The item id under a viewport position, or None."""
        y = pos.y() + self.verticalScrollBar().value()
        index = bisect.bisect_right(self._tops, y) - 1
        if index < 0:
            return None
        block = self._blocks[index]
        dy, dx = y - block.top - HEADER_H, pos.x() - MARGIN
        if dy < 0 or dx < 0 or dx >= self._per_line * PITCH:
            return None
        position = (dy // PITCH) * self._per_line + dx // PITCH
        ids = self._state.nodes[block.node].items
        return ids[position] if position < block.count else None

    def dot_rect(self, item_id: int) -> Optional[QRect]:
        """Where an item's dot is in viewport coordinates (tests click there)."""
        found = self._where.get(item_id)
        if found is None:
            return None
        block, position = self._blocks[found[0]], found[1]
        line, col = divmod(position, self._per_line)
        y = block.top + HEADER_H + line * PITCH - self.verticalScrollBar().value()
        return QRect(MARGIN + col * PITCH, y, PITCH, PITCH)

    def ensure_visible(self, item_id: int) -> None:
        rect = self.dot_rect(item_id)
        if rect is not None and not self.viewport().rect().contains(rect):
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // 2)

    def tooltip_at(self, pos: QPoint) -> str:
        item = self._state.item(self.item_at(pos)) if self.item_at(pos) is not None else None
        return f"{item.name} — {item.state}" if item else ""

    # -- layout ----------------------------------------------------------------------------
    def _sync_blocks(self) -> None:
        per_line = max(1, (self.viewport().width() - 2 * MARGIN) // PITCH)
        relayout = per_line != self._per_line
        self._per_line = per_line
        known = {b.node: b for b in self._blocks}
        blocks = []
        for number, (name, node) in enumerate(self._state.nodes.items()):
            block = known.get(name) or _Block(name, number=number)
            if relayout or block.buffer is None or len(node.items) != block.count:
                grown = block.buffer is not None and block.count <= len(node.items)
                self._build(block, node.items, block.count if grown and not relayout else 0)
            blocks.append(block)
        self._blocks = blocks
        top = 0
        self._tops = []
        for block in blocks:
            block.top = top
            self._tops.append(top)
            top += block.height()
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, top - self.viewport().height()))
        bar.setPageStep(self.viewport().height())

    def _build(self, block: _Block, ids: list[int], old_count: int) -> None:
        """(Re)build the canvas lines from the one holding item `old_count` onward."""
        per_line, width = self._per_line, self._per_line * PITCH * 4
        first_line = old_count // per_line
        items, rows, blank = self._state.items, self._rows, self._blank
        parts = []
        for start in range(first_line * per_line, len(ids), per_line):
            cats = [items[i].category for i in ids[start:start + per_line]]
            pad = blank * (per_line - len(cats))
            for r in range(PITCH):
                parts.append(b"".join([rows[r][c] for c in cats]) + pad)
        keep = first_line * PITCH * width
        if block.buffer is None:
            block.buffer = bytearray()
        del block.buffer[keep:]
        block.buffer += b"".join(parts)
        block.count = len(ids)
        block.lines = -(-len(ids) // per_line)
        for position in range(first_line * per_line, len(ids)):
            self._where[ids[position]] = (block.number, position)

    def _patch(self, item_id: int) -> None:
        found = self._where.get(item_id)
        item = self._state.item(item_id)
        if found is None or item is None:
            return
        block, position = self._blocks[found[0]], found[1]
        line, col = divmod(position, self._per_line)
        width = self._per_line * PITCH * 4
        offset = line * PITCH * width + col * PITCH * 4
        for r in range(PITCH):
            start = offset + r * width
            block.buffer[start:start + PITCH * 4] = self._rows[r][item.category]

    # -- painting and input ----------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self.viewport())
        scroll = self.verticalScrollBar().value()
        visible = event.rect().translated(0, scroll)
        if not self._blocks:
            self._paint_hint(painter)
            return
        start = max(0, bisect.bisect_right(self._tops, visible.top()) - 1)
        width = self._per_line * PITCH
        for block in self._blocks[start:]:
            if block.top > visible.bottom():
                break
            self._paint_header(painter, block, block.top - scroll)
            canvas_top = block.top + HEADER_H
            y0 = max(visible.top(), canvas_top) - canvas_top
            y1 = min(visible.bottom() + 1, canvas_top + block.lines * PITCH) - canvas_top
            if y1 > y0 and block.lines:
                image = QImage(block.buffer, width, block.lines * PITCH, width * 4, FORMAT)
                painter.drawImage(QRect(MARGIN, canvas_top + y0 - scroll, width, y1 - y0),
                                  image, QRect(0, y0, width, y1 - y0))
        self._paint_selection(painter)

    def _paint_header(self, painter: QPainter, block: _Block, y: int) -> None:
        node = self._state.nodes.get(block.node)
        if node is None:
            return
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().color(self.foregroundRole()))
        name_rect = QRect(MARGIN, y, self.viewport().width() - 2 * MARGIN, HEADER_H)
        label = f"{node.name}" + (f"  ({node.kind})" if node.kind else "")
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         label)
        painter.setFont(self.font())
        done = node.counts[SUCCEEDED]
        failed = f"  ·  {node.counts[FAILED]} failed" if node.counts[FAILED] else ""
        text = f"{done}/{len(node.items)} succeeded" + failed
        room = name_rect.width() - QFontMetrics(font).horizontalAdvance(label) - 12
        if self.fontMetrics().horizontalAdvance(text) > room:  # a narrow view: the short form
            text = f"{done}/{len(node.items)} ok" + failed
        painter.setPen(QColor(STATE_COLOURS["failed"]) if node.counts[FAILED]
                       else self.palette().color(self.foregroundRole()))
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         text)

    def _paint_selection(self, painter: QPainter) -> None:
        rect = self.dot_rect(self._selected) if self._selected is not None else None
        if rect is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(self.foregroundRole()), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(rect).adjusted(-1.5, -1.5, 1.5, 1.5))

    def _paint_hint(self, painter: QPainter) -> None:
        painter.setPen(self.palette().color(self.foregroundRole()))
        if self._state.status == "error":
            text = "No work items: the cook could not start (the reason is above)."
        elif self._state.status == "running":
            text = "Starting the cook…"
        else:
            text = "Press Cook to run the scheduler on the chosen graph."
        painter.drawText(self.viewport().rect().adjusted(MARGIN, 0, -MARGIN, 0),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._sync_blocks()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item_id = self.item_at(event.position().toPoint())
            if item_id is not None:
                self.select(item_id)
                self.sig_item_clicked.emit(item_id)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        over = self.item_at(event.position().toPoint()) is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over
                                  else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)
