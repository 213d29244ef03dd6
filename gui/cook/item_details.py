"""Everything about one work item: state story, command, attributes, files, log, status.

The log comes from the scheduler's ``getLogURI`` and is followed while the job runs;
the status URI (``getStatusURI``) is shown as a link with its current text.
"""
from __future__ import annotations

import html
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from scheduler_studio.engine.scheduler.jobenv import JobDirs, token_values
from scheduler_studio.gui.cook.cook_state import CATEGORIES, ItemRecord
from scheduler_studio.gui.cook.followers import LogFollower, StatusPoller, local_path
from scheduler_studio.gui.cook.look import STATE_COLOURS, code_html, is_dark

# tokens whose value the panel knows for sure; the rest stay as the scheduler wrote them
_KNOWN_TOKENS = ("__PDG_DIR__", "__PDG_ITEM_NAME__", "__PDG_ITEM_ID__", "__PDG_INDEX__",
                 "__PDG_INDEX4__", "__PDG_PYTHON__", "__PDG_SHARED_ROOT__")


def expanded_command(item: ItemRecord, workdir: str) -> str:
    """The command as the job runs it: the host's own expansion when it sends one,
    else the tokens the panel can know."""
    if item.command_expanded:
        return item.command_expanded
    values = token_values(JobDirs(workdir, "", ""), item)
    command = item.command
    for token in _KNOWN_TOKENS:
        if values.get(token) and token in command:
            command = command.replace(token, values[token])
    return command


def _plain(rich: str) -> str:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def _files(paths) -> str:
    if not paths:
        return "<i>none</i>"
    return "<br>".join(f"<code>{html.escape(str(p))}</code>" for p in paths)


def _value(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if len(value) == 1 else ", ".join(map(str, value))
    return html.escape(str(value))


class ItemDetails(QWidget):
    """Details of the item the user clicked; `update_item` when its record changed."""

    sig_error_activated = Signal(str, object)
    """The user clicked an error the item raised: (callback, the error dict)."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self._item: Optional[ItemRecord] = None
        self._workdir = ""
        self._status_text = ""
        self._locate = None
        self._title = QLabel("Click a dot to see its work item.", self)
        self._title.setTextFormat(Qt.TextFormat.RichText)
        self._errors = QLabel(self)
        self._errors.setObjectName("item_errors")
        self._errors.setTextFormat(Qt.TextFormat.RichText)
        self._errors.setWordWrap(True)
        self._errors.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self._errors.linkActivated.connect(self._on_error_link)
        self._errors.hide()
        self._info = QTextBrowser(self)
        self._info.setOpenExternalLinks(True)
        self._log_label = QLabel(self)
        self._log_label.setOpenExternalLinks(True)
        self._log_label.setWordWrap(True)  # a long URI must not hold the split open
        self._log = QTextBrowser(self)
        self._log.setObjectName("item_log")
        self._log.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self._log_label)
        lower_layout.addWidget(self._log)
        splitter = self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._info)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self._split_done = False  # True once the user moved the split
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_split_done", True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._title)
        layout.addWidget(self._errors)
        layout.addWidget(splitter, 1)
        self._follower = LogFollower(self)
        self._follower.sig_changed.connect(self._on_log_changed)
        self._status = StatusPoller(self)
        self._status.sig_status.connect(self._on_status)

    def resizeEvent(self, event) -> None:
        """Half each, whatever the texts' size hints, until the user moves the split."""
        super().resizeEvent(event)
        width = self._splitter.width()
        if not self._split_done and width > 0:
            self._splitter.setSizes([width // 2, width - width // 2])

    @property
    def item_id(self) -> Optional[int]:
        return self._item.id if self._item else None

    def log_text(self) -> str:
        return self._follower.text

    def info_text(self) -> str:
        return self._info.toPlainText()

    def title_text(self) -> str:
        return self._title.text()

    def set_locator(self, locate) -> None:
        """How to place an error the item raised: (callback, error dict) -> CookError."""
        self._locate = locate

    def errors_text(self) -> str:
        """What the error line says (plain text; "" when the item raised nothing)."""
        return _plain(self._errors.text()) if self._errors.isVisibleTo(self) else ""

    def log_label_text(self) -> str:
        return _plain(self._log_label.text())

    def show_item(self, item: Optional[ItemRecord], workdir: str = "") -> None:
        """Show `item` (None clears) and start following its log and status."""
        self._item, self._workdir = item, workdir
        self._status_text = ""
        live = item is not None and not item.finished
        self._follower.follow(local_path(item.log_uri) if item else "", live)
        if item is not None and item.status_uri:
            self._status.watch(item.status_uri, live)
        else:
            self._status.stop()
        self._render()

    def update_item(self, cook_running: bool) -> None:
        """The shown item's record changed (state, details, or the cook ended)."""
        item = self._item
        if item is None:
            return
        live = cook_running and not item.finished
        path = local_path(item.log_uri)
        if path and path != self._follower.path:
            self._follower.follow(path, live)
        else:
            self._follower.set_live(live)
        if item.status_uri and item.status_uri != self._status.uri:
            self._status.watch(item.status_uri, live)
        else:
            self._status.set_live(live)
            if not live:
                self._status.poll()
        self._render()

    def stop(self) -> None:
        """Stop following (the panel is closing or a new cook starts)."""
        self._follower.stop()
        self._status.stop()

    def _render(self) -> None:
        item = self._item
        if item is None:
            self._title.setText("Click a dot to see its work item.")
            self._info.clear()
            self._log_label.clear()
            self._errors.clear()
            self._errors.hide()
            return
        self._render_errors(item)
        colour = STATE_COLOURS[CATEGORIES[item.category]]
        self._title.setText(
            f"<b>{html.escape(item.name)}</b> &nbsp;·&nbsp; node <b>{html.escape(item.node)}"
            f"</b> &nbsp;·&nbsp; <span style='color:{colour}'><b>{item.state}</b></span>"
            + (f" &nbsp;·&nbsp; cooked in {item.cook_time:.2f} s" if item.cook_time else ""))
        self._info.setHtml(self._info_html(item))
        if item.log_uri:
            self._log_label.setText(f"Log (getLogURI): <a href='{html.escape(item.log_uri)}'>"
                                    f"{html.escape(item.log_uri)}</a>")
        elif item.errors:
            self._log_label.setText(f"Log: none — {html.escape(item.errors[0][0])} raised "
                                    "before the scheduler gave a log URI (the error is above).")
        else:
            self._log_label.setText("Log: the scheduler gave no log URI for this item.")

    def _render_errors(self, item: ItemRecord) -> None:
        if not item.errors:
            self._errors.clear()
            self._errors.hide()
            return
        colour = STATE_COLOURS["failed"]
        rows = []
        for index, (callback, error) in enumerate(item.errors[-3:]):
            number = index + max(len(item.errors) - 3, 0)
            place = self._locate(callback, error).place_text() if self._locate else ""
            where = f" — <a href='{number}'>{html.escape(place)}</a>" if place else ""
            rows.append(f"<span style='color:{colour}'><b>{html.escape(callback)} raised "
                        f"{html.escape(str(error.get('message') or 'an exception'))}</b></span>"
                        + where)
        self._errors.setText("<br>".join(rows))
        self._errors.show()

    def _on_error_link(self, link: str) -> None:
        item = self._item
        if item is None or not link.isdigit() or int(link) >= len(item.errors):
            return
        callback, error = item.errors[int(link)]
        self.sig_error_activated.emit(callback, error)

    def _info_html(self, item: ItemRecord) -> str:
        rows = [("Id", str(item.id)), ("Index", str(item.index)),
                ("Frame", "" if item.frame is None else f"{item.frame:g}"),
                ("Priority", str(item.priority)),
                ("Cook", "in process" if item.in_process else "out of process"),
                ("Cook time", f"{item.cook_time:.3f} s" if item.cook_time else "—")]
        out = ["<table cellspacing=0 cellpadding=2>"]
        out += [f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{html.escape(v)}</td></tr>"
            for k, v in rows]
        out.append("</table>")
        out.append("<h4>Command (expanded)</h4>")
        out.append(f"<code>{html.escape(expanded_command(item, self._workdir)) or '—'}</code>")
        out.append("<h4>Attributes</h4>")
        if item.attributes:
            out.append("<table cellspacing=0 cellpadding=2>")
            out += [f"<tr><td><code>{html.escape(str(k))}</code>&nbsp;&nbsp;</td><td>{_value(v)}</td></tr>"
                    for k, v in item.attributes]
            out.append("</table>")
        else:
            out.append("<i>none</i>")
        out.append("<h4>Inputs</h4>" + _files(item.inputs))
        out.append("<h4>Expected outputs</h4>" + _files(item.expected_outputs))
        out.append("<h4>Produced outputs</h4>" + _files(item.outputs))
        out.append("<h4>Status (getStatusURI)</h4>")
        if item.status_uri:
            out.append(f"<a href='{html.escape(item.status_uri)}'>{html.escape(item.status_uri)}"
                       f"</a><br><code>{html.escape(self._status_text or '…')}</code>")
        else:
            out.append("<i>no status URI</i>")
        out.append("<h4>History</h4>")
        out += [f"<code>{html.escape(state)}</code> — {html.escape(cause or '')}<br>"
                for state, cause in item.history[-8:]]
        return "".join(out)

    def _on_log_changed(self, text: str, truncated: bool) -> None:
        bar = self._log.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        prefix = "[… earlier lines dropped …]\n" if truncated else ""
        self._log.setHtml(code_html(prefix + text, "log", is_dark(self)) if text else "")
        if at_end:
            bar.setValue(bar.maximum())

    def _on_status(self, text: str) -> None:
        if text != self._status_text:
            self._status_text = text
            if self._item is not None:
                self._info.setHtml(self._info_html(self._item))
