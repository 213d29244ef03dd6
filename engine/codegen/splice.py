"""Render a document opened from a file: its text, with only the edits spliced in.

Every field whose value equals the parsed one (``origin.base``) keeps its
rows byte for byte; an edited view (a callback body, the prelude, the extra
members, the trailer) is diffed line by line against its parsed value, and
only the lines that changed are replaced, in the file's indentation and
line ends. Structural edits touch only their own rows: a filled callback is
one new method beside the others, an emptied one loses exactly its method,
a new type name or label changes the string literals that hold them.
"""
from __future__ import annotations

import json
import re
from typing import Optional

from scheduler_studio.engine import catalogue
from scheduler_studio.engine.codegen import lines as L
from scheduler_studio.engine.codegen.document import Parameter, SchedulerDocument, param_type
from scheduler_studio.engine.codegen.origin import Origin, Span, View
from scheduler_studio.engine.codegen.spelling import (NO_CODE_MARKER, WORKING_DIR_LABEL,
                                                      WORKING_DIR_PARM)

# Fields render cannot splice into a module it did not write (they shape the
# class statement and __init__): ``export --normalise`` writes them anew.
_FIXED_FIELDS = ("doc", "bases", "use_callback_server", "callback_server_local",
                 "init_super")


class SchedulerEditError(ValueError):
    """An edit that cannot be written into the module's own text."""


def render_spliced(doc: SchedulerDocument) -> tuple[str, list]:
    """The module text of a document that has an origin, and its line map."""
    origin = doc.origin
    base = origin.base
    for name in _FIXED_FIELDS:
        if getattr(doc, name) != getattr(base, name):
            raise SchedulerEditError(
                f"{name} cannot be changed in a module opened from a file (its class "
                "statement and __init__ are the file's own); edit them in the code, "
                "or write the canonical layout with `schedstudio export --normalise`")
    plan = _Plan(origin)
    for callback in catalogue.CALLBACKS:
        if callback.tab:
            plan.callback(doc, callback.name)
    for key in ("prelude", "extra_members", "trailer"):
        old, new = getattr(base, key), getattr(doc, key)
        if old != new:
            plan.view(origin.views[key], old, new)
    plan.header(doc)
    plan.template(doc)
    return plan.assemble()


class _Plan:
    """The edits to make to the file's rows, then the text they give."""

    def __init__(self, origin: Origin):
        self.o = origin
        self.rows = list(origin.file.rows)
        self.deleted: set[int] = set()
        self.inserts: dict[int, list] = {}          # before row p: [(line, where)]
        self.spans: list = []                        # (Span, text)
        self.where: dict[int, tuple] = {}            # row -> where, for edited views
        self.edited_views: set[str] = set()
        self.removed_methods = 0

    # -- callbacks ---------------------------------------------------------------
    def callback(self, doc: SchedulerDocument, name: str) -> None:
        base = self.o.base
        old, new = base.bodies.get(name, ""), doc.bodies.get(name, "")
        if old == new:
            return
        if name in self.o.member_callbacks:
            raise SchedulerEditError(
                f"{name} is defined among the class's other members (Extra members); "
                "edit it there, so the class does not get a second one")
        method = self.o.methods.get(name)
        view = self.o.views.get(f"callback:{name}")
        if method is not None and new and (method.inline or view is None):
            self._rewrite_method(doc, name)
        elif method is not None and new:
            self.view(view, old, new)
            after = max(r for r in view.rows if r is not None) + 1
            if not L.has_code(new) and L.has_code(old):
                self._insert(after, [(view.indent + NO_CODE_MARKER, None)])
            elif L.has_code(new) and not L.has_code(old):  # the marker has done its job
                self.deleted.update(r for r in range(after, method.last + 1)
                                    if self.rows[r].strip() == NO_CODE_MARKER)
        elif method is not None:
            self._remove_method(method)
        else:
            self._add_method(doc, name)

    def _method_lines(self, doc, name: str, body_indent: str) -> list:
        signature = catalogue.by_name(name).signature(doc.args(name),
                                                      doc.method_name(name))
        field = f"callback:{name}"
        body = doc.bodies[name]
        lines = [(self.o.member_indent + signature, None)]
        lines += self._written(body, body_indent, field)
        if not L.has_code(body):
            lines.append((body_indent + NO_CODE_MARKER, None))
        return lines

    def _add_method(self, doc, name: str) -> None:
        """One new method next to the other callbacks, in tab order among them."""
        order = [cb.name for cb in catalogue.CALLBACKS]
        here = order.index(name)
        kept = [n for n in order if n in self.o.methods and n in doc.bodies
                and n in self.o.base.bodies]
        before = [n for n in kept if order.index(n) < here]
        after = [n for n in kept if order.index(n) > here]
        gap = [("", None)] * self.o.method_gap
        lines = self._method_lines(doc, name, self.o.member_indent + self.o.unit)
        if before:
            self._insert(self.o.methods[before[-1]].last + 1, gap + lines)
        elif after:
            self._insert(self.o.methods[after[0]].first, lines + gap)
        else:
            self._insert(self.o.class_end, gap + lines)

    def _rewrite_method(self, doc, name: str) -> None:
        """A method whose body shares the ``def`` row: written whole, header kept."""
        method = self.o.methods[name]
        header = method.header
        head = [(self.rows[r], None) for r in range(method.first, header.end_row)]
        head.append((self.rows[header.end_row][:header.end_col], None))
        self.deleted.update(range(method.first, method.last + 1))
        body = doc.bodies[name]
        lines = head + self._written(body, self.o.member_indent + self.o.unit,
                                     f"callback:{name}")
        if not L.has_code(body):
            lines.append((self.o.member_indent + self.o.unit + NO_CODE_MARKER, None))
        self._insert(method.first, lines)

    def _remove_method(self, method) -> None:
        rows = self.rows
        self.deleted.update(range(method.first, method.last + 1))
        self.removed_methods += 1
        above = method.first - 1
        while above >= self.o.body_start and not rows[above].strip():
            above -= 1
        if above >= self.o.body_start:  # a member above: the gap above goes with it
            self.deleted.update(range(above + 1, method.first))
        else:
            below = method.last + 1
            while below < self.o.class_end and not rows[below].strip():
                below += 1
            if below < self.o.class_end:
                self.deleted.update(range(method.last + 1, below))
        if self.removed_methods == self.o.member_count:
            self._insert(method.first, [(self.o.member_indent + "pass", None)])

    # -- views -------------------------------------------------------------------
    def view(self, view: View, old: str, new: str) -> None:
        """Replace the lines of ``view`` that differ between old and new."""
        self.edited_views.add(view.field)
        before = L.split(old) if old else []
        after = L.split(new) if new else []
        rows = view.rows
        kinds = L.classify(new) if new else []
        present = [r for r in rows if r is not None]
        for tag, i1, i2, j1, j2 in _opcodes(before, after):
            if tag == "equal":
                for k in range(i2 - i1):
                    row = rows[i1 + k]
                    if row is not None:
                        self.where[row] = (view.field, j1 + k)
                continue
            dead = [rows[i] for i in range(i1, i2) if rows[i] is not None]
            self.deleted.update(dead)
            if i1 == 0 < i2 and rows[0] is None:
                self._drop_header_comment(view)
            if j2 == j1:
                continue
            written = [(self._line(after[j], kinds[j], view.indent), (view.field, j))
                       for j in range(j1, j2)]
            if dead:
                self._insert(dead[0], written)
                continue
            earlier = [rows[i] for i in range(i1 - 1, -1, -1) if rows[i] is not None]
            later = [rows[i] for i in range(i2, len(rows)) if rows[i] is not None]
            if earlier:
                self._insert(earlier[0] + 1, written)
            elif later:
                self._insert(later[0], written)
            elif present:
                self._insert(max(present) + 1, written)
            else:
                pad = [("", None)]
                self._insert(view.anchor, pad * view.pad_before + written
                             + pad * view.pad_after)

    def _drop_header_comment(self, view: View) -> None:
        """The body's first line was the comment after the ``def``'s colon."""
        method = self.o.methods.get(view.field.partition(":")[2])
        if method is not None and not method.inline:
            row, col = method.header.end_row, method.header.end_col
            self.spans.append((Span(row, col, row, len(self.rows[row])), ""))

    def _written(self, text: str, indent: str, field: str) -> list:
        lines, kinds = L.split(text), L.classify(text)
        return [(self._line(line, kind, indent), (field, i))
                for i, (line, kind) in enumerate(zip(lines, kinds))]

    def _line(self, line: str, kind: str, indent: str) -> str:
        """A line typed in an editor, as the file writes it: its indentation
        in the file's unit (tabs or spaces), under ``indent``."""
        if kind == L.STRING:
            return line
        if not line.strip():
            return ""
        ws = L.leading_ws(line)
        return indent + _in_unit(ws, self.o.unit) + line[len(ws):]

    # -- header: type name, label, class name --------------------------------------
    def header(self, doc: SchedulerDocument) -> None:
        o, base = self.o, self.o.base
        if doc.type_name != base.type_name:
            template_json = o.template is not None and o.template.kind == "json"
            for span in o.type_literals:
                self._literal(span, doc.type_name)
            if not o.type_literals and not template_json:
                mi, unit = o.member_indent, o.unit
                self._insert(o.class_top, [
                    (mi + "@classmethod", None), (mi + "def templateName(cls):", None),
                    (mi + unit + "return " + _literal(doc.type_name, o.quote),
                     ("header", 0))] + [("", None)] * o.method_gap)
        if doc.label != base.label:
            text = _literal(doc.label, o.quote)
            if o.label_literal is not None:
                self._literal(o.label_literal, doc.label)
            elif o.register_end is not None:
                row, col = o.register_end
                joint = ", " if o.register_has_args else ""
                self.spans.append((Span(row, col, row, col), f"{joint}label={text}"))
            else:
                self._insert(o.views["trailer"].anchor, [
                    ("", None), ("", None), ("def registerTypes(type_registry):", None),
                    (o.unit + f"type_registry.registerScheduler({doc.class_name}, "
                     f"label={text})", ("header", 0))])
        if doc.class_name != base.class_name:
            for span in (o.class_name, o.register_class):
                if span is not None:
                    self.spans.append((span, doc.class_name))

    def _literal(self, span: Span, value: str) -> None:
        source = self.rows[span.row][span.col:]
        prefix = source[:len(source) - len(source.lstrip("rRuUbBfF"))]
        quote = source[len(prefix):][:1] or '"'
        self.spans.append((span, _literal(value, quote, raw="r" in prefix.lower())))

    # -- parameters and working directory -----------------------------------------
    def template(self, doc: SchedulerDocument) -> None:
        o, base = self.o, self.o.base
        tmpl = o.template
        changed = (doc.parameters, doc.working_dir) != (base.parameters, base.working_dir)
        renamed = doc.type_name != base.type_name and tmpl is not None \
            and tmpl.kind == "json"
        if not (changed or renamed):
            return
        if "parameters" in o.read_only():
            raise SchedulerEditError(o.template_note)
        entries = _entries(doc, tmpl)
        if tmpl is None:
            self._add_template(doc, entries)
        elif tmpl.kind == "json":
            self.spans.append((tmpl.literal, self._json_literal(doc, entries, tmpl)))
        else:
            self._edit_elements(doc, tmpl, entries)

    def _add_template(self, doc, entries) -> None:
        o = self.o
        mi, unit = o.member_indent, o.unit
        literal = self._json_literal(doc, entries, None)
        lines = literal.split("\n")
        body = [(mi + unit + "return " + lines[0], ("header", 0))]
        body += [(mi + unit + line if line else line, ("header", 0)) for line in lines[1:]]
        gap = [("", None)] * o.method_gap
        new = [(mi + "@classmethod", None), (mi + "def templateBody(cls):", None)] + body
        at = o.template_at
        if at == o.class_top:
            self._insert(at, new + gap)
        else:
            self._insert(at, gap + new)

    def _json_literal(self, doc, entries, tmpl) -> str:
        data = {"name": doc.type_name, "parameters": [_entry_json(p) for p in entries]}
        text = json.dumps(data, indent=4, ensure_ascii=False)
        if tmpl is not None:
            source = self.rows[tmpl.literal.row][tmpl.literal.col:]
            one_line = tmpl.literal.row == tmpl.literal.end_row
            if one_line:
                text = json.dumps(data, ensure_ascii=False)
            else:
                indent = L.leading_ws(self.rows[tmpl.literal.row])
                text = "\n".join([text.split("\n")[0]] +
                                 [indent + line for line in text.split("\n")[1:]])
            prefix = source[:len(source) - len(source.lstrip("rRuUbBfF"))]
            quotes = source[len(prefix):][:3]
            if quotes in ('"""', "'''") and quotes not in text and \
                    ("\\" not in text or "r" in prefix.lower()):
                return prefix + quotes + text + quotes
            if one_line:
                return _literal(text, tmpl.quote)
        raw = "r" if "\\" in text else ""
        return raw + '"""' + text + '"""'

    def _edit_elements(self, doc, tmpl, entries) -> None:
        rows = self.rows
        old = list(tmpl.entries)
        elements = tmpl.elements
        marks = _marks(entries)
        ops = _entry_ops(old, entries)
        in_place = all(tag in ("equal", "pair") for tag, *_ in ops)
        if in_place or (old and _whole_lines(rows, tmpl)):
            indent = L.leading_ws(rows[elements[0].row]) if old else ""
            inner = _inner_indent(rows, elements[0], indent, self.o.unit) if old else None
            for tag, i1, i2, j1, j2 in ops:
                if tag == "equal":
                    continue
                if tag == "pair":
                    self._edit_entry(tmpl, i1, entries[j1], marks[j1])
                    continue
                for element in elements[i1:i2]:
                    self.deleted.update(range(element.row, element.end_row + 1))
                written = []
                for j in range(j1, j2):
                    lines = _entry_lines(entries[j], tmpl.quote, inner)
                    written += [(indent + line, marks[j]) for line in lines]
                if not written:
                    continue
                if i2 > i1:
                    self._insert(elements[i1].row, written)
                elif i1 > 0:
                    last = elements[i1 - 1]
                    tail = rows[last.end_row][last.end_col:].lstrip()
                    if not tail.startswith(","):
                        self.spans.append((Span(last.end_row, last.end_col, last.end_row,
                                                last.end_col), ","))
                    self._insert(last.end_row + 1, written)
                else:
                    self._insert(elements[0].row, written)
            return
        brackets = tmpl.brackets
        indent = L.leading_ws(rows[brackets.row])
        unit = self.o.unit
        lines = ["["]
        for parm in entries:
            lines += [indent + unit + line
                      for line in _entry_lines(parm, tmpl.quote, unit)]
        lines.append(indent + "]")
        self.spans.append((brackets, "\n".join(lines) if entries else "[]"))

    def _edit_entry(self, tmpl, i: int, parm: Parameter, mark) -> None:
        """One entry edited in place: only the values that changed are
        rewritten (each in its own quotes), and keys it lacked are added after
        its last one, in its layout (on that row, or on rows of their own)."""
        element = tmpl.elements[i]
        pairs = tmpl.pairs[i] if i < len(tmpl.pairs) else None
        edits = _entry_edits(pairs, parm) if pairs else None
        first_key = pairs[0][1] if pairs else None
        quote = _quote_at(self.rows, first_key) if first_key is not None else tmpl.quote
        if edits is None:
            self._rewrite_entry(element, parm, quote)
            return
        changes, added = edits
        last = {key: span for key, _, span, _ in pairs}  # a key said twice: the last counts
        for key, value in changes.items():
            self.spans.append((last[key], self._value_text(value, quote, last[key])))
        if added:
            self._add_keys(element, pairs[-1], added, quote, mark)

    def _value_text(self, value, quote: str, span: Optional[Span] = None) -> str:
        if isinstance(value, str):
            if span is not None:
                source = self.rows[span.row][span.col:].lstrip("rRuUbBfF")
                if source[:1] in ("'", '"'):
                    quote = source[:1]
            return _literal(value, quote)
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(_literal(str(v), quote) for v in value) + "]"
        return repr(value)

    def _add_keys(self, element: Span, last_pair, added: list, quote: str, mark) -> None:
        _, key_span, value_span, _ = last_pair
        texts = [f"{_literal(key, quote)}: {self._value_text(value, quote)}"
                 for key, value in added]
        row, col = value_span.end_row, value_span.end_col
        after_value = Span(row, col, row, col)
        key_row = self.rows[key_span.row]
        if key_span.row == element.row or key_row[:key_span.col].strip():
            self.spans.append((after_value, "".join(", " + t for t in texts)))
            return
        indent = key_row[:key_span.col]          # a key a row: the new ones too
        tail = re.match(r"\s*(,?)\s*(#.*)?\Z", self.rows[row][col:])
        if tail is None:                          # the entry closes on that row
            self.spans.append((after_value, "".join(",\n" + indent + t for t in texts)))
            return
        comma = tail.group(1)
        lines = [indent + t + "," for t in texts]
        if not comma:
            self.spans.append((after_value, ","))
            lines[-1] = lines[-1][:-1]
        self._insert(row + 1, [(line, mark) for line in lines])

    def _rewrite_entry(self, element: Span, parm: Parameter, quote: str) -> None:
        """An entry written anew where it stands: one line stays one line."""
        rows = self.rows
        if element.row == element.end_row:
            text = _entry_lines(parm, quote, None)[0][:-1]
        else:
            indent = L.leading_ws(rows[element.row])
            lines = _entry_lines(parm, quote, _inner_indent(rows, element, indent,
                                                            self.o.unit))
            text = "\n".join([lines[0]] + [indent + line for line in lines[1:]])[:-1]
        self.spans.append((element, text))

    # -- the text ------------------------------------------------------------------
    def _insert(self, position: int, lines: list) -> None:
        self.inserts.setdefault(position, []).extend(lines)

    def assemble(self) -> tuple[str, list]:
        o = self.o
        rows = self.rows
        for span, text in sorted(self.spans, key=lambda s: (s[0].row, s[0].col),
                                 reverse=True):
            rows[span.row] = rows[span.row][:span.col] + text + rows[span.end_row][span.end_col:]
            self.deleted.update(range(span.row + 1, span.end_row + 1))
        where = list(o.fixed)
        for view in o.views.values():
            if view.field not in self.edited_views:
                for i, row in enumerate(view.rows):
                    if row is not None:
                        where[row] = (view.field, i)
        for row, mark in self.where.items():
            where[row] = mark
        newline = o.file.newline
        out_lines, out_ends, out_where = [], [], []
        total = len(rows)
        for position in range(total + 1):
            for line, mark in self.inserts.get(position, ()):
                out_lines.append(line)
                out_ends.append(newline)
                out_where.append(mark)
            if position == total or position in self.deleted:
                continue
            pieces = rows[position].split("\n")
            for k, piece in enumerate(pieces):
                out_lines.append(piece)
                out_ends.append(newline if k < len(pieces) - 1 else o.file.ends[position])
                out_where.append(where[position])
        for k in range(len(out_ends) - 1):
            if not out_ends[k]:
                out_ends[k] = newline
        if out_ends:
            out_ends[-1] = ""
        text = o.file.joined(out_lines, out_ends)
        if len(out_lines) > 1 and out_lines[-1] == "":
            out_where.pop()  # the empty row after a final line end is no line
        return text, out_where


def _opcodes(before: list, after: list):
    """Line (or entry) diff opcodes; common ends are matched without difflib."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    ops = []
    if start:
        ops.append(("equal", 0, start, 0, start))
    import difflib  # only for edits in the middle: kept off the window's start

    middle = difflib.SequenceMatcher(None, before[start:len(before) - end],
                                     after[start:len(after) - end], autojunk=False)
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        ops.append((tag, i1 + start, i2 + start, j1 + start, j2 + start))
    if end:
        ops.append(("equal", len(before) - end, len(before),
                    len(after) - end, len(after)))
    return ops


def _in_unit(ws: str, unit: str) -> str:
    """Leading whitespace in the file's unit: tabs for a tab-indented file
    (four spaces typed in the editor make one tab), spaces otherwise."""
    if unit == "\t":
        spaces = ws.replace("\t", "")
        return "\t" * (ws.count("\t") + len(spaces) // 4) + " " * (len(spaces) % 4)
    return ws.replace("\t", unit)


def _literal(value: str, quote: str, raw: bool = False) -> str:
    """A string literal for ``value`` in the file's quote character."""
    text = L.py_string(value)
    if quote == "'":
        inner = text[1:-1].replace('\\"', '"').replace("'", "\\'")
        text = "'" + inner + "'"
    return text


def _entries(doc: SchedulerDocument, tmpl) -> list:
    """The template's parameters after the edit, the working directory where it was."""
    entries = list(doc.parameters)
    if doc.working_dir:
        at = tmpl.working_dir_at if tmpl is not None and tmpl.working_dir_at is not None \
            else 0
        entries.insert(min(at, len(entries)),
                       Parameter(WORKING_DIR_PARM, WORKING_DIR_LABEL, "String",
                                 doc.working_dir))
    return entries


def _marks(entries: list) -> list:
    marks, index = [], 0
    for parm in entries:
        if parm.name == WORKING_DIR_PARM and parm.label == WORKING_DIR_LABEL:
            marks.append(("header", 0))
        else:
            marks.append(("parameters", index))
            index += 1
    return marks


def _entry_ops(old: list, new: list) -> list:
    """The entry diff, an entry whose values changed ("pair": same place,
    or same name) told apart from ones removed and added."""
    import difflib

    ops = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new):
        if tag != "replace":
            ops.append((tag, i1, i2, j1, j2))
            continue
        names = difflib.SequenceMatcher(None, [p.name for p in old[i1:i2]],
                                        [p.name for p in new[j1:j2]], autojunk=False)
        for sub, a1, a2, b1, b2 in names.get_opcodes():
            if sub == "equal" or (sub == "replace" and a2 - a1 == b2 - b1):
                ops += [("pair", i1 + a1 + k, i1 + a1 + k + 1, j1 + b1 + k, j1 + b1 + k + 1)
                        for k in range(a2 - a1)]
            else:
                ops += _alike(old, new, i1 + a1, i1 + a2, j1 + b1, j1 + b2)
    return ops


def _alike(old: list, new: list, i1: int, i2: int, j1: int, j2: int) -> list:
    """Ops for entries removed and added at once: an added one that keeps
    most of a removed one's fields (renamed and relabelled, say) is that
    one edited; the others are removed and added."""
    def same(a, b):
        return sum(getattr(a, f) == getattr(b, f)
                   for f in ("name", "label", "type", "default", "tags"))

    ops, i, j = [], i1, j1
    for b in range(j1, j2):
        best = max(range(i, i2), key=lambda a: same(old[a], new[b]), default=None)
        if best is None or same(old[best], new[b]) < 3:
            continue
        if (best, b) != (i, j):
            ops.append(("replace", i, best, j, b))
        ops.append(("pair", best, best + 1, b, b + 1))
        i, j = best + 1, b + 1
    if (i, j) != (i2, j2):
        ops.append(("replace", i, i2, j, j2))
    return ops


_KEY_ORDER = ("name", "label", "type", "size", "value", "tag")


def _entry_edits(pairs: tuple, parm: Parameter):
    """(values to replace, keys to add) that make an entry say ``parm``,
    changing nothing it already says; None when that cannot be done."""
    entry = {key: list(value) if isinstance(value, tuple) else value
             for key, _, _, value in pairs}
    want = {}

    def put(key, value):
        want[key] = entry[key] = value

    if entry.get("name") != parm.name:
        put("name", parm.name)
    try:
        same_type = param_type(str(entry.get("type"))) == parm.type
    except ValueError:
        same_type = False
    if not same_type:
        put("type", parm.type)
    if entry.get("label", entry["name"]) != parm.label:
        put("label", parm.label)
    old = entry.get("value")
    try:
        holds = Parameter(parm.name, parm.label, parm.type, old).default == parm.default
    except ValueError:
        holds = False
    if not holds:
        value = _json_value(parm)
        put("value", bool(value) if isinstance(old, bool) else value)
    if tuple(entry.get("tag", ())) != parm.tags:
        put("tag", list(parm.tags))
    try:  # what parse will read there (template.parameter, the keys it knows)
        if Parameter(entry["name"], entry.get("label", entry["name"]), entry["type"],
                     entry.get("value"), tuple(entry.get("tag", ()))) != parm:
            return None
    except (ValueError, TypeError, KeyError):
        return None
    present = {key for key, *_ in pairs}
    changes = {key: value for key, value in want.items() if key in present}
    added = [(key, want[key]) for key in _KEY_ORDER if key in want and key not in present]
    return changes, added


def _quote_at(rows: list[str], span: Span) -> str:
    source = rows[span.row][span.col:].lstrip("rRuUbBfF")
    return "'" if source.startswith("'") else '"'


def _entry_json(parm: Parameter) -> dict:
    entry = {"name": parm.name, "label": parm.label, "type": parm.type, "size": 1,
             "value": _json_value(parm)}
    if parm.tags:
        entry["tag"] = list(parm.tags)
    return entry


def _json_value(parm: Parameter):
    return (1 if parm.default else 0) if parm.type == "Toggle" else parm.default


def _entry_lines(parm: Parameter, quote: str, inner: Optional[str]) -> list[str]:
    """One parameter entry as dict-literal lines (one line when ``inner`` is None)."""
    q = lambda v: _literal(v, quote)  # noqa: E731
    value = _json_value(parm)
    pairs = [(q("name"), q(parm.name)), (q("label"), q(parm.label)),
             (q("type"), q(parm.type)), (q("size"), "1"),
             (q("value"), q(value) if isinstance(value, str) else repr(value))]
    if parm.tags:
        pairs.append((q("tag"), "[" + ", ".join(q(t) for t in parm.tags) + "]"))
    if inner is None:
        return ["{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "},"]
    return ["{"] + [f"{inner}{k}: {v}," for k, v in pairs] + ["},"]


def _whole_lines(rows: list[str], tmpl) -> bool:
    """Whether each entry of the parameters list has rows of its own."""
    brackets = tmpl.brackets
    previous_end = brackets.row
    for element in tmpl.elements:
        if element.row <= previous_end or rows[element.row][:element.col].strip():
            return False
        tail = rows[element.end_row][element.end_col:].strip()
        if tail not in ("", ",") and not tail.startswith(("#", ",#", ", #")):
            return False
        previous_end = element.end_row
    return previous_end < brackets.end_row


def _inner_indent(rows, element: Span, indent: str, unit: str) -> Optional[str]:
    if element.row == element.end_row:
        return None
    inner = L.leading_ws(rows[element.row + 1])
    return inner[len(indent):] if inner.startswith(indent) and len(inner) > len(indent) \
        else unit
