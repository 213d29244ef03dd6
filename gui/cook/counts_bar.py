"""Progress and per-state counts of the running cook, in one row."""
from __future__ import annotations

from typing import Optional

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from scheduler_studio.engine.model.graph import GraphError, load_graph, static_item_count
from scheduler_studio.gui.cook.cook_state import CATEGORIES, SUCCEEDED, CookState
from scheduler_studio.gui.cook.look import STATE_COLOURS

STATUS_TEXT = {
    "idle": "Ready", "running": "Cooking…", "succeeded": "Cook succeeded",
    "failed": "Cook failed", "cancelled": "Cook cancelled", "timeout": "Cook timed out",
    "error": "The cook could not start", "crashed": "The cook host crashed",
}


SIZE_STEP_PX = 40   # the counts label grows by this much at a time (a digit more, ...)


def _set(widget: QWidget, prop: str, value: str) -> None:
    """Set a text property only when it changes: under an application style sheet every
    setStyleSheet re-polishes, and every new label text may re-lay the window out."""
    getter = getattr(widget, prop)
    if getter() != value:
        getattr(widget, "set" + prop[0].upper() + prop[1:])(value)


class CountsBar(QWidget):
    """A progress bar, a status word and one coloured count per item state."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._progress = QProgressBar(self)
        self._progress.setRange(0, 1)
        self._progress.setValue(0)
        self._progress.setFormat("%v / %m items")
        self._progress.setMinimumWidth(160)
        self._chunk = ""
        self._expected: Optional[int] = None   # the chosen graph's items, known statically
        self._paused = ""                      # the status while the cook is paused
        self._status = QLabel(STATUS_TEXT["idle"], self)
        self._status.setObjectName("cook_status")
        self._counts = QLabel(self)
        self._counts.setObjectName("cook_counts")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._progress, 1)
        layout.addWidget(self._status)
        layout.addSpacing(8)
        layout.addWidget(self._counts)
        self.update_counts(CookState())

    def _set_chunk_colour(self, colour: str) -> None:
        """Colour the bar by outcome through the palette (a style sheet would drop the
        native look of the whole bar)."""
        if colour == self._chunk:
            return
        self._chunk = colour
        palette = self.palette()
        if colour:
            palette.setColor(QPalette.ColorRole.Highlight, QColor(colour))
        self._progress.setPalette(palette)

    @property
    def progress(self) -> QProgressBar:
        return self._progress

    def status_text(self) -> str:
        return self._status.text()

    def counts_text(self) -> str:
        return self._counts.text()

    def set_graph_file(self, path: str) -> None:
        """The graph the next cook uses: before its items come, the bar says how many
        it makes when the graph's specs say (`static_item_count`), else no count."""
        try:
            self._expected = static_item_count(load_graph(path)) if path else None
        except GraphError:   # the cook says what is wrong with it
            self._expected = None

    def expected_items(self) -> Optional[int]:
        return self._expected

    def update_counts(self, state: CookState, note: str = "") -> None:
        # QProgressBar repaints there and then (not with the next frame) when its value
        # moves: ~0.5-3 ms a refresh. With its updates off it only schedules the paint.
        self._progress.setUpdatesEnabled(False)
        expected = self._expected if not state.total else None
        self._progress.setRange(0, max(1, expected or state.total))
        self._progress.setValue(state.finished)
        self._progress.setUpdatesEnabled(True)
        ended = state.status not in ("idle", "running")
        if ended and not state.total:
            _set(self._progress, "format", "no work items")
        elif not state.total:   # no items yet: the graph's count, never a made-up one
            _set(self._progress, "format", "" if expected is None else
                 f"{expected:,} items" if state.status == "idle" else f"0 / {expected:,} items")
        else:
            _set(self._progress, "format", "%v / %m done" if ended else "%v / %m items")
        chunk = {"succeeded": STATE_COLOURS["succeeded"], "failed": STATE_COLOURS["failed"],
                 "error": STATE_COLOURS["failed"], "crashed": STATE_COLOURS["failed"],
                 "timeout": STATE_COLOURS["failed"],
                 # the cancel's purple only when items were cancelled: else it ended grey
                 "cancelled": STATE_COLOURS["cancelled" if state.count("cancelled")
                                            else "waiting"]}.get(state.status, "")
        self._set_chunk_colour(chunk)
        text = STATUS_TEXT.get(state.status, state.status)
        if state.running and self._paused:
            text = self._paused
        if state.callback_errors:
            text += f" · {state.callback_errors} callback error(s)"
        _set(self._status, "text", note or text)
        colour = {"succeeded": STATE_COLOURS["succeeded"],
                  "failed": STATE_COLOURS["failed"], "error": STATE_COLOURS["failed"],
                  "crashed": STATE_COLOURS["failed"]}.get(state.status, "")
        _set(self._status, "styleSheet", f"color: {colour}; font-weight: bold" if colour else "")
        chips, tip = [], ""
        counts = list(zip(CATEGORIES, state.counts))
        if ended:
            # the cook is over: what did not finish will not cook, wherever it got to
            # (the CLI's summary counts it "uncooked" too)
            unfinished = counts[:SUCCEEDED]
            counts = [("uncooked", sum(c for _, c in unfinished))] + counts[SUCCEEDED:]
            tip = "Uncooked: " + ", ".join(f"{c} {name}" for name, c in unfinished) \
                if any(c for _, c in unfinished[1:]) else ""
        for category, count in counts:
            colour = STATE_COLOURS["waiting" if category == "uncooked" else category]
            chips.append(f"<span style='color:{colour}'>●</span> {count} {category}")
        _set(self._counts, "text", " &nbsp; ".join(chips))
        _set(self._counts, "toolTip", tip)
        self._hold_size(self._counts)

    def set_paused(self, text: str) -> None:
        """While the cook runs, the status says this instead of "Cooking…" ("" : not
        paused); `update_counts` shows it."""
        self._paused = text

    @staticmethod
    def _hold_size(label: QLabel) -> None:
        """Give the label a fixed size that only grows (in steps of SIZE_STEP_PX): a
        label of fixed size takes a new text without asking the window for a new
        layout, which a live count did every refresh (~1 ms, and the repaint after)."""
        hint = label.sizeHint()
        if hint.width() > label.maximumWidth() or hint.height() != label.maximumHeight():
            width = -(-hint.width() // SIZE_STEP_PX) * SIZE_STEP_PX
            label.setFixedSize(max(width, label.minimumWidth()), hint.height())
