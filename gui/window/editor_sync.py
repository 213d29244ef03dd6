"""Show a text the model rewrote in an editor as one edit the user can undo.

Convert to UTF-8 rewrites a coding cookie behind the editor's back; reloading
the whole text would drop the undo history and the caret, and leaving it
would let the editor's next key copy the old cookie back into the model.
"""
from __future__ import annotations


def replace_changed_span(editor, new: str) -> None:
    """Replace only the part of ``editor``'s text that differs from ``new``, as
    one undo step (caret and the rest of the history kept)."""
    old = editor.text()
    if new == old:
        return
    start, limit = 0, min(len(new), len(old))
    while start < limit and new[start] == old[start]:
        start += 1
    end = 0
    while end < limit - start and new[-1 - end] == old[-1 - end]:
        end += 1
    editor.beginUndoAction()
    try:  # Scintilla counts UTF-8 bytes
        editor.setTargetRange(len(old[:start].encode("utf-8")),
                              len(old[:len(old) - end].encode("utf-8")))
        editor.replaceTarget(-1, new[start:len(new) - end])
    finally:
        editor.endUndoAction()
