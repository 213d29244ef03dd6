"""Per-editor completion glue: when to ask jedi, where the editor sits in the module.

The editor's text is one callback body; jedi needs the whole module around it
to know ``self`` and ``work_item``. The host's context function gives that
module and the body's place in it; this class maps the caret there, asks the
shared ``CompletionProvider``, and shows the answer only if the text has not
changed since the question (anything else is stale).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from scheduler_studio.gui.editor import completion_icons
from scheduler_studio.gui.editor.autoindent import leading_width
from scheduler_studio.gui.editor.completion import (CallTip, Completion, CompletionProvider,
                                                    Definition)

DEBOUNCE_MS = 150
MIN_WORD_FOR_AUTO = 3
# Lexilla Python styles where typing is not code: comments and strings.
_NOT_CODE_STYLES = frozenset({1, 3, 4, 6, 7, 12, 13, 16, 17, 18, 19})


class EditorCompleter(QObject):
    """Connects one CodeEditor to a CompletionProvider (owned by the editor)."""

    def __init__(self, editor, provider: CompletionProvider,
                 context: Callable[[], tuple] | None = None,
                 definition_context: Callable[[], tuple] | None = None) -> None:
        super().__init__(editor)
        self._editor = editor
        self._provider = provider
        self._context = context
        self._definition_context = definition_context
        self._version = 0
        self._pending: dict[str, tuple[int, int, int, bool]] = {}
        self._mapping = (0, 0)  # (line offset, indent) of the body in the last module asked
        self._definition_mapping = (0, 0)  # the same, for the last go-to-definition
        self._tip_text = ""
        self._private: tuple[int, list[Completion]] = (-1, [])  # (word start, "_" names) held back
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_debounce)
        provider.sig_completions_ready.connect(self._on_completions)
        provider.sig_call_tips_ready.connect(self._on_call_tips)
        provider.sig_definitions_ready.connect(self._on_definitions)
        editor.sig_text_changed.connect(self._on_text_changed)
        completion_icons.register_icons(editor)

    def detach(self) -> None:
        """Stop listening (the editor got another provider or none)."""
        self._timer.stop()
        self._provider.sig_completions_ready.disconnect(self._on_completions)
        self._provider.sig_call_tips_ready.disconnect(self._on_call_tips)
        self._provider.sig_definitions_ready.disconnect(self._on_definitions)
        self._editor.sig_text_changed.disconnect(self._on_text_changed)
        self.setParent(None)
        self.deleteLater()

    def call_tip_text(self) -> str:
        """Text of the call tip on show, "" when none."""
        return self._tip_text if self._editor.callTipActive() else ""

    # -- triggers -------------------------------------------------------------------
    def on_char_added(self, ch: int) -> None:
        """Decide from the typed character whether to ask for completions or a call tip."""
        editor = self._editor
        if editor.readOnly():
            return
        char = chr(ch)
        if char in "()":
            self._timer.stop()
            if char == "(":
                self.request_call_tip()
            else:
                editor.callTipCancel()
            return
        if char == "," and editor.callTipActive():
            self.request_call_tip()
        if editor.autoCActive():
            if char == "_":
                self._narrow_to_private()
            return
        pos = editor.currentPos()
        if char == "." and self._is_code(pos - 1) and not self._after_number(pos - 1):
            self._timer.start()
        elif char.isidentifier() or char.isdigit():
            start = editor.wordStartPosition(pos, True)
            after_dot = start > 0 and editor.charAt(start - 1) == ord(".")
            if (after_dot or pos - start >= MIN_WORD_FOR_AUTO) and self._is_code(pos - 1):
                self._timer.start()
            else:
                self._timer.stop()
        else:
            self._timer.stop()

    def _narrow_to_private(self) -> None:
        """The list is open and the word typed is now "_": show the "_" names held back
        from it (Scintilla would find none in the list and close it)."""
        editor = self._editor
        pos = editor.currentPos()
        start = editor.wordStartPosition(pos, True)
        held_at, items = self._private
        if pos - start == 1 and start == held_at and items:
            self._show(1, items)

    def request_completions(self, manual: bool = False) -> None:
        self._timer.stop()
        self._ask("complete", manual)

    def request_call_tip(self) -> None:
        self._ask("call_tip", True)

    def request_definition(self) -> None:
        """Go to the definition of the name at the caret (the answer comes later)."""
        self._ask("definition", True)

    def _on_debounce(self) -> None:
        self._ask("complete", False)

    def _ask(self, kind: str, manual: bool) -> None:
        position = self._module_position(kind == "definition")
        if position is None:
            return
        source, line, column = position
        if kind == "complete":
            request_id = self._provider.complete(source, line, column, private=True)
        elif kind == "definition":
            request_id = self._provider.definitions(source, line, column)
            self._definition_mapping = self._mapping
        else:
            request_id = self._provider.signatures(source, line, column)
        self._pending[kind] = (request_id, self._version, self._editor.currentPos(), manual)

    def _module_position(self, definition: bool = False) -> tuple[str, int, int] | None:
        """(module source, 1-based line, character column) of the caret for jedi.

        Go to definition asks ``definition_context`` when given: the module as the
        window would map its lines back to fields, not a quicker, older rendering."""
        editor = self._editor
        pos = editor.currentPos()
        line = editor.lineFromPosition(pos)
        before = bytes(editor.textRange(editor.positionFromLine(line), pos)).decode("utf-8", "replace")
        if self._context is None:
            self._mapping = (0, 0)
            return editor.text(), line + 1, len(before)
        context = (self._definition_context or self._context)() if definition else self._context()
        if not context:
            return None
        source, line_offset = context[0], int(context[1])
        indent = int(context[2]) if len(context) > 2 else self._infer_indent(source, line_offset)
        self._mapping = (line_offset, indent)
        return source, line_offset + line + 1, indent + len(before)

    def _editor_position(self, module_line: int, module_column: int) -> int | None:
        """Editor byte position of a jedi (line, column) in the module asked last."""
        line_offset, indent = self._mapping
        line = module_line - line_offset - 1
        if not 0 <= line < self._editor.lineCount() or module_column < indent:
            return None
        return self._editor.findColumn(line, module_column - indent)

    def _infer_indent(self, source: str, line_offset: int) -> int:
        """Indent of the body in the module: compare its first code line with the module's."""
        module_lines = source.splitlines()
        for index, text in enumerate(self._editor.text().splitlines()):
            if text.strip() and line_offset + index < len(module_lines):
                return max(0, leading_width(module_lines[line_offset + index]) - leading_width(text))
        body = module_lines[line_offset] if line_offset < len(module_lines) else ""
        return leading_width(body)

    def _is_code(self, pos: int) -> bool:
        editor = self._editor
        if pos < 0:
            return True
        # Restyle from the line start: Lexilla started mid-line takes an
        # unclosed string's end-of-line style for plain code.
        editor.colourise(editor.positionFromLine(editor.lineFromPosition(pos)), pos + 1)
        return editor.styleAt(pos) not in _NOT_CODE_STYLES

    def _after_number(self, dot: int) -> bool:
        start = self._editor.wordStartPosition(dot, True)
        word = bytes(self._editor.textRange(start, dot)).decode("utf-8", "replace")
        return word.isdigit()

    # -- results --------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        self._version += 1

    def _is_fresh(self, kind: str, request_id: int) -> tuple[bool, bool]:
        pending = self._pending.get(kind)
        if pending is None or pending[0] != request_id:
            return False, False
        _, version, pos, manual = pending
        fresh = version == self._version and pos == self._editor.currentPos()
        return fresh, manual

    def _on_completions(self, request_id: int, items: list[Completion]) -> None:
        fresh, manual = self._is_fresh("complete", request_id)
        if not fresh or not items:
            return
        editor = self._editor
        pos = editor.currentPos()
        entered = pos - editor.wordStartPosition(pos, True)
        typed = bytes(editor.textRange(pos - entered, pos)).decode("utf-8", "replace")
        if not typed.startswith("_"):  # "_" names wait for a "_" (see _narrow_to_private)
            self._private = (pos - entered, [i for i in items if i.name.startswith("_")])
            items = [item for item in items if not item.name.startswith("_")]
        if not items or (not manual and [item.name for item in items] == [typed]):
            return  # already complete: a list with just what was typed is noise
        self._show(entered, items)

    def _show(self, entered: int, items: list[Completion]) -> None:
        self._editor.autoCShow(entered, " ".join(completion_icons.list_item(item.name, item.kind)
                                                 for item in items))

    def _on_definitions(self, request_id: int, found: list[Definition]) -> None:
        fresh, _ = self._is_fresh("definition", request_id)
        if not fresh:
            return
        editor = self._editor
        if not found:
            self._show_tip(editor.currentPos(), "No definition found here")
            return
        definition = found[0]
        if not definition.in_module:  # pdg, hou, a library: say what it is
            pos = editor.currentPos()
            self._show_tip(editor.wordStartPosition(pos, True), definition.summary())
            return
        line_offset, indent = self._definition_mapping
        line = definition.line - line_offset
        if 0 < line <= editor.lineCount() and definition.column >= indent:
            editor.go_to_line(line, definition.column - indent)
        else:  # another field of the module: the window knows where it is shown
            editor.sig_definition_elsewhere.emit(definition.line, definition.column)

    def _show_tip(self, pos: int, text: str) -> None:
        self._tip_text = text
        self._editor.callTipShow(pos, text)

    def _on_call_tips(self, request_id: int, tips: list[CallTip]) -> None:
        fresh, _ = self._is_fresh("call_tip", request_id)
        if not fresh:
            return
        editor = self._editor
        if not tips:
            editor.callTipCancel()
            return
        tip = tips[0]
        self._tip_text = tip.text
        anchor = self._editor_position(*tip.bracket) if tip.bracket else None
        # Show under the called name, as IDEs do, not wherever the caret is.
        at = editor.wordStartPosition(anchor, True) if anchor is not None else editor.currentPos()
        editor.callTipShow(at, tip.text)
        start, end = tip.highlight
        editor.callTipSetHlt(len(tip.text[:start].encode()), len(tip.text[:end].encode()))
