"""Work items as dots, one block per node, coloured by state, smooth at 100,000 items.

Each node's pixels live in a `dots_canvas.Canvas`, built by joining pre-rendered
scanlines and patched in place when an item changes state; a paint only blits the
visible part of each canvas, so a repaint costs the same for 40 items or 100,000.

The zoom goes from 10-pixel dots down to runs of many items per pixel (Ctrl+wheel,
Ctrl+plus / minus; Ctrl+0 is automatic: dots while the graph fits in MAX_CANVAS_PX of
scrolling, smaller cells past that). Hover and click always name one exact item: in
a run, the one whose state colours the pixel.

When the automatic zoom changes while a cook streams in (tens of thousands of items
re-laid: ~10 ms), the nodes are re-laid a slice per event-loop turn (RELAYOUT_SLICE_S,
within the frame budget of `turns`): each node shows its old canvas until its new one
is complete, so for a few turns nodes may differ in zoom or width, and every hit test
still asks the canvas shown. A resize re-lays the same way; a zoom the user asks for
re-lays at once. Likewise a burst of new items (a generator adds 40,000 at once) is
drawn NEW_PER_TURN a turn.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Optional

import time
from itertools import repeat
from operator import attrgetter

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from scheduler_studio.gui.cook import reclaim, turns
from scheduler_studio.gui.cook.cook_state import CATEGORIES, FAILED, SUCCEEDED, Changes, CookState
from scheduler_studio.gui.cook.dots_canvas import DOT_LEVEL, LEVELS, Canvas
from scheduler_studio.gui.cook.look import STATE_COLOURS

PITCH = DOT_LEVEL   # pixels per dot at the dots' own zoom, gap included
DOT = 8
MARGIN = 10
HEADER_H = 22
BLOCK_GAP = 8
MIN_HEIGHT = MARGIN + HEADER_H + 2 * PITCH + 4  # a node's title and two lines of dots
MIN_WIDTH = 2 * MARGIN + 16 * PITCH  # sixteen dots a line, and a name beside its counts
HEADER_SPACE = 12   # between a node's name and its counts
MAX_CANVAS_PX = 4000  # automatic zoom: the largest cells whose blocks fit this height
_CATEGORY = attrgetter("category")
RELAYOUT_SLICE_S = 0.002   # re-laying nodes at a new automatic zoom, per turn ...
RELAYOUT_CHUNK = 65536     # ... built this many pixels at a time between looks at the clock
RELAYOUT_MS = 1            # the next slice asks this much later (a timer: due ones first)
NEW_PER_TURN = 3000        # new items drawn in one refresh; the rest in turns of their own


@dataclass
class _Block:
    """One node: header plus its canvas."""

    node: str
    canvas: Canvas
    number: int = 0     # its index in the view's block list
    top: int = 0
    next: Optional[Canvas] = None   # being built at the new zoom; shown once complete

    def target(self) -> Canvas:
        """The canvas that will be shown: the one being built, else the shown one."""
        return self.next if self.next is not None else self.canvas

    def height(self) -> int:
        return HEADER_H + self.canvas.height + BLOCK_GAP


class DotsView(QAbstractScrollArea):
    """Dots of a `CookState`; call `refresh(changes)` after feeding the state."""

    sig_item_clicked = Signal(int)
    """The user clicked the dot of this item id."""

    def __init__(self, state: CookState, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._state = state
        self._blocks: list[_Block] = []
        self._tops: list[int] = []
        self._where: dict[int, tuple[int, int]] = {}   # id -> (block index, position)
        self._zoom: Optional[int] = None                # a level of LEVELS; None: automatic
        self._level = DOT_LEVEL
        self._per_line = 1                              # cells per line
        self._selected: Optional[int] = None
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setMinimumHeight(MIN_HEIGHT)  # a short window's dock: the rest scrolls
        self.setMinimumWidth(MIN_WIDTH)    # the tabs beside it cannot squeeze it to a strip
        self.verticalScrollBar().setSingleStep(PITCH * 2)
        self._relayout_timer = QTimer(self, singleShot=True, interval=RELAYOUT_MS)
        self._relayout_timer.timeout.connect(self._on_relayout_due)

    # -- feeding ---------------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        """Redraw what `changes` names: new items re-lay the affected nodes, state
        changes patch single cells."""
        if changes.layout:
            self._sync_blocks(gradual=True)
        if changes.items:
            self._patch(changes.items)
        if changes.layout or changes.items or changes.status:
            self.viewport().update()

    def reset(self) -> None:
        reclaim.later(self._where)   # 100,000 entries: freed a slice per turn
        self._blocks, self._tops, self._where = [], [], {}
        self._selected = None
        self._sync_blocks()
        self.viewport().update()

    def stop(self) -> None:
        """Stop re-laying in the background (the panel is going away)."""
        self._relayout_timer.stop()

    def select(self, item_id: Optional[int]) -> None:
        self._selected = item_id
        self.viewport().update()

    # -- zoom ------------------------------------------------------------------------------
    @property
    def level(self) -> int:
        """The zoom level in use: > 0 pixels per item, < 0 items per pixel."""
        return self._level

    def set_zoom(self, level: Optional[int]) -> None:
        """Show items at `level` (one of `dots_canvas.LEVELS`), or None: automatic."""
        if level is not None and level not in LEVELS:
            raise ValueError(f"no zoom level {level}; levels: {LEVELS}")
        self._zoom = level
        self._sync_blocks()
        self.viewport().update()

    def zoom_by(self, steps: int) -> None:
        """Zoom in (steps > 0) or out by whole levels from the one shown."""
        index = LEVELS.index(self._level) - steps
        self.set_zoom(LEVELS[max(0, min(len(LEVELS) - 1, index))])

    def fit_level(self, height_px: int) -> int:
        """The largest level at which every block fits in `height_px`."""
        width = self._canvas_width()
        nodes = self._state.nodes.values()
        fixed = len(self._state.nodes) * (HEADER_H + BLOCK_GAP)
        for level in LEVELS:
            cell = level if level > 0 else 1
            lines = sum(Canvas.lines_for(len(n.items), level, width) for n in nodes)
            if fixed + lines * cell <= height_px:
                return level
        return LEVELS[-1]

    # -- hit testing -----------------------------------------------------------------------
    def item_at(self, pos: QPoint) -> Optional[int]:
        """The item id under a viewport position, or None (in a run of items: the one
        whose state colours the pixel)."""
        found = self._cell_at(pos)
        if found is None:
            return None
        block, cell = found
        return self._state.nodes[block.node].items[block.canvas.position_in(cell)]

    def _cell_at(self, pos: QPoint) -> Optional[tuple[_Block, int]]:
        y = pos.y() + self.verticalScrollBar().value()
        index = bisect.bisect_right(self._tops, y) - 1
        if index < 0:
            return None
        block = self._blocks[index]
        cell = block.canvas.cell_at(pos.x() - MARGIN, y - block.top - HEADER_H)
        return None if cell is None else (block, cell)

    def _header_at(self, pos: QPoint) -> str:
        """The tooltip of the node header under `pos` ("" elsewhere)."""
        y = pos.y() + self.verticalScrollBar().value()
        index = bisect.bisect_right(self._tops, y) - 1
        if index < 0 or y - self._blocks[index].top >= HEADER_H:
            return ""
        return self.header_tooltip(self._blocks[index].node)

    def dot_rect(self, item_id: int) -> Optional[QRect]:
        """Where an item's cell is in viewport coordinates (tests click there)."""
        found = self._where.get(item_id)
        if found is None:
            return None
        block, position = self._blocks[found[0]], found[1]
        x, y = block.canvas.cell_xy(position)
        top = block.top + HEADER_H + y - self.verticalScrollBar().value()
        size = block.canvas.cell
        return QRect(MARGIN + x, top, size, size)

    def ensure_visible(self, item_id: int) -> None:
        rect = self.dot_rect(item_id)
        if rect is not None and not self.viewport().rect().contains(rect):
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // 2)

    def tooltip_at(self, pos: QPoint) -> str:
        found = self._cell_at(pos)
        if found is None:
            return self._header_at(pos)
        block, cell = found
        ids, canvas = self._state.nodes[block.node].items, block.canvas
        item = self._state.item(ids[canvas.position_in(cell)])
        if item is None:
            return ""
        text = f"{item.name} — {item.state}"
        run = canvas.run_of(cell)
        if len(run) > 1:  # a run of items in one pixel: say which and how they stand
            counts = [0] * len(CATEGORIES)
            for position in run:
                record = self._state.item(ids[position])
                counts[record.category if record else 0] += 1
            states = ", ".join(f"{n} {name}" for name, n in zip(CATEGORIES, counts) if n)
            first, last = self._state.item(ids[run[0]]), self._state.item(ids[run[-1]])
            text += (f"\none pixel of {len(run)} items, {first.name} … {last.name}: "
                     f"{states}")
        return text

    # -- layout ----------------------------------------------------------------------------
    def _canvas_width(self) -> int:
        return max(1, self.viewport().width() - 2 * MARGIN)

    def _sync_blocks(self, gradual: bool = False) -> None:
        """Bring the blocks in line with the state, the zoom and the width; `gradual`
        (a refresh during a cook): nodes to re-lay get their new canvas a slice a turn."""
        level = self._zoom if self._zoom is not None else self.fit_level(MAX_CANVAS_PX)
        cell = level if level > 0 else 1
        per_line = max(1, self._canvas_width() // cell)
        self._level, self._per_line = level, per_line
        known = {b.node: b for b in self._blocks}
        blocks = []
        items = self._state.items
        room = NEW_PER_TURN if gradual else None   # a generator adds 40,000 in a burst
        for number, (name, node) in enumerate(self._state.nodes.items()):
            block = known.get(name)
            placed = block.canvas.count if block is not None else 0  # in _where already
            if block is None:
                block = _Block(name, Canvas(level, per_line), number=number)
            else:
                block.number = number
                if (block.canvas.level, block.canvas.per_line) == (level, per_line):
                    block.next = None            # back at the zoom it shows
                elif (block.target().level, block.target().per_line) != (level, per_line):
                    # every item keeps its position, and its rank is not re-read
                    block.next = block.canvas.relaid(level, per_line, build=False)
            drawn = block.canvas.count
            end = len(node.items) if room is None else min(len(node.items), drawn + room)
            if end > drawn:   # thousands a refresh: no Python loop per item
                new = node.items[drawn:end]
                categories = bytes(map(_CATEGORY, map(items.__getitem__, new)))
                block.canvas.extend(categories)
                if block.next is not None:
                    block.next.extend(categories)
                self._where.update(zip(new, zip(repeat(number), range(placed, end))))
                if room is not None:
                    room -= end - drawn
            blocks.append(block)
        self._blocks = blocks
        if not gradual:
            self._relay(None)
        elif not self._relayout_timer.isActive() and self._behind():
            self._relayout_timer.start()   # the refresh stays short: the rest in turns of its own
        self._place_blocks()

    def _behind(self) -> bool:
        """Whether nodes are being re-laid, or items wait to be drawn."""
        nodes = self._state.nodes
        return any(b.next is not None or
                   (b.node in nodes and len(nodes[b.node].items) > b.canvas.count)
                   for b in self._blocks) or len(nodes) > len(self._blocks)

    def relayout(self) -> None:
        """Re-lay every node from scratch now, as a change of width does (the bench)."""
        for block in self._blocks:
            block.next = block.canvas.relaid(self._level, self._per_line, build=False)
        self._relay(None)
        self._place_blocks()
        self.viewport().update()

    def _relay(self, budget_s: Optional[float]) -> None:
        """Build the new canvases of nodes being re-laid, for `budget_s` (None: all of
        them); a complete one replaces the canvas shown."""
        deadline = None if budget_s is None else time.perf_counter() + budget_s
        for block in self._blocks:
            while block.next is not None:
                canvas = block.next
                chunk = canvas.count if deadline is None else \
                    max(1, RELAYOUT_CHUNK // canvas.cell ** 2) * canvas.per_cell
                if block.next.build_more(chunk):
                    block.canvas, block.next = block.next, None
                if deadline is not None and time.perf_counter() >= deadline:
                    return

    def _on_relayout_due(self) -> None:
        """The next slice of a gradual re-lay, or of the items still to draw, when the
        frame has room (`turns`)."""
        if not self._behind():
            return
        if turns.refresh_waits(RELAYOUT_SLICE_S):
            self._relayout_timer.start()
            return
        if any(b.next is not None for b in self._blocks):
            self._relay(RELAYOUT_SLICE_S)
            self._place_blocks()
        else:
            self._sync_blocks(gradual=True)
        turns.refreshed()
        self.viewport().update()
        if self._behind():
            self._relayout_timer.start()

    def _place_blocks(self) -> None:
        """The blocks' tops and the scroll range, from the canvases shown."""
        blocks = self._blocks
        top = 0
        self._tops = []
        for block in blocks:
            block.top = top
            self._tops.append(top)
            top += block.height()
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, top - self.viewport().height()))
        bar.setPageStep(self.viewport().height())

    def _patch(self, item_ids) -> None:
        """Patch the cells of items whose state changed, node by node."""
        where, items = self._where, self._state.items
        by_block: dict[int, list[tuple[int, int]]] = {}
        for item_id in item_ids:
            found = where.get(item_id)
            item = items.get(item_id)
            if found is not None and item is not None:
                by_block.setdefault(found[0], []).append((found[1], item.category))
        for number, changed in by_block.items():
            block = self._blocks[number]
            block.canvas.set_categories(changed)
            if block.next is not None:
                block.next.set_categories(changed)

    # -- painting and input ----------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self.viewport())
        scroll = self.verticalScrollBar().value()
        visible = event.rect().translated(0, scroll)
        if not self._blocks:
            self._paint_hint(painter)
            return
        start = max(0, bisect.bisect_right(self._tops, visible.top()) - 1)
        for block in self._blocks[start:]:
            if block.top > visible.bottom():
                break
            self._paint_header(painter, block, block.top - scroll)
            canvas, canvas_top = block.canvas, block.top + HEADER_H
            y0 = max(visible.top(), canvas_top) - canvas_top
            y1 = min(visible.bottom() + 1, canvas_top + canvas.height) - canvas_top
            if y1 > y0 and canvas.lines:
                width = canvas.width
                painter.drawImage(QRect(MARGIN, canvas_top + y0 - scroll, width, y1 - y0),
                                  canvas.image(), QRect(0, y0, width, y1 - y0))
        self._paint_selection(painter)

    def header_parts(self, block: _Block, y: int = 0) -> list[tuple[QRect, str, bool]]:
        """What a node's header shows, as (rect, text, bold): the name (with its kind
        and zoom while there is room) and its counts (the short form when narrow).
        Never two texts over each other: with no room for both the counts go, and a name
        that does not fit is elided (the header's tooltip says it all)."""
        node = self._state.nodes.get(block.node)
        if node is None:
            return []
        width = self.viewport().width() - 2 * MARGIN
        bold = QFont(self.font())
        bold.setBold(True)
        strong, plain = QFontMetrics(bold), self.fontMetrics()
        zoom = f"  · {block.canvas.per_cell} items per pixel" if block.canvas.per_cell > 1 \
            else ""
        kind = f"  ({node.kind})" if node.kind else ""
        labels = [node.name + kind + zoom, node.name + kind, node.name]
        done, total = node.counts[SUCCEEDED], len(node.items)
        failed = f"  ·  {node.counts[FAILED]} failed" if node.counts[FAILED] else ""
        counts = [f"{done}/{total} succeeded{failed}", f"{done}/{total} ok{failed}",
                  f"{done}/{total}"]
        for label in labels:
            for text in counts:
                # +2: a text drawn at exactly its advance may lose a pixel to rounding
                need = strong.horizontalAdvance(label) + 2
                used = plain.horizontalAdvance(text) + 2
                if need + HEADER_SPACE + used <= width:
                    return [(QRect(MARGIN, y, need, HEADER_H), label, True),
                            (QRect(MARGIN + width - used, y, used, HEADER_H), text, False)]
        name = strong.elidedText(node.name, Qt.TextElideMode.ElideRight, max(0, width))
        return [(QRect(MARGIN, y, max(0, width), HEADER_H), name, True)] if name else []

    def header_tooltip(self, node_name: str) -> str:
        """The whole header, for a view too narrow to show it."""
        node = self._state.nodes.get(node_name)
        if node is None:
            return ""
        states = ", ".join(f"{node.counts[i]} {name}" for i, name in enumerate(CATEGORIES)
                           if node.counts[i])
        kind = f" ({node.kind})" if node.kind else ""
        return f"{node.name}{kind}: {len(node.items)} items" + (f", {states}" if states else "")

    def _paint_header(self, painter: QPainter, block: _Block, y: int) -> None:
        node = self._state.nodes.get(block.node)
        if node is None:
            return
        bold = QFont(self.font())
        bold.setBold(True)
        foreground = self.palette().color(self.foregroundRole())
        for rect, text, is_name in self.header_parts(block, y):
            painter.setFont(bold if is_name else self.font())
            painter.setPen(QColor(STATE_COLOURS["failed"]) if not is_name and
                           node.counts[FAILED] else foreground)
            align = Qt.AlignmentFlag.AlignLeft if is_name else Qt.AlignmentFlag.AlignRight
            painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, text)
        painter.setFont(self.font())

    def _paint_selection(self, painter: QPainter) -> None:
        rect = self.dot_rect(self._selected) if self._selected is not None else None
        if rect is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(self.foregroundRole()), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if rect.width() >= 6:
            painter.drawEllipse(QRectF(rect).adjusted(-1.5, -1.5, 1.5, 1.5))
        else:  # a small cell: a square around it that can be seen
            grow = (8 - rect.width()) / 2
            painter.drawRect(QRectF(rect).adjusted(-grow, -grow, grow, grow))

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
        # gradual: the scroll bar showing up mid-cook narrows the viewport (100,000
        # items re-laid), and a window dragged wider stays smooth
        self._sync_blocks(gradual=True)

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

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = 1 if event.angleDelta().y() > 0 else -1
            self.zoom_by(steps)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.ZoomIn):
            self.zoom_by(1)
        elif event.matches(QKeySequence.StandardKey.ZoomOut):
            self.zoom_by(-1)
        elif event.key() == Qt.Key.Key_0 and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(None)
        else:
            super().keyPressEvent(event)

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
