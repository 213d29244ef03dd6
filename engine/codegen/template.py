"""Reading ``templateName``/``templateBody`` back into document fields.

Only what the document can say again is taken: a classmethod that returns
a string, or JSON (as a string or ``json.dumps`` of a literal) made of
single-value parameters. Anything richer stays in the class verbatim.
"""
from __future__ import annotations

import ast
import copy
import json
from typing import Optional

from scheduler_studio.engine.codegen.document import Parameter
from scheduler_studio.engine.codegen.spelling import WORKING_DIR_LABEL, WORKING_DIR_PARM

_PARM_KEYS = {"name", "label", "type", "size", "value", "tag"}


def returned(fn: ast.stmt) -> Optional[ast.expr]:
    """The returned expression of a one-line ``@classmethod``, else None."""
    if not (isinstance(fn, ast.FunctionDef)
            and [ast.dump(d) for d in fn.decorator_list]
            == [ast.dump(ast.Name("classmethod", ast.Load()))]
            and plain_args(fn.args, 1)
            and len(fn.body) == 1 and isinstance(fn.body[0], ast.Return)
            and fn.body[0].value is not None and fn.returns is None):
        return None
    return fn.body[0].value


def plain_args(args: ast.arguments, count: int) -> bool:
    return (not args.posonlyargs and not args.kwonlyargs and not args.vararg
            and not args.kwarg and not args.defaults
            and len(args.args) == count
            and all(a.annotation is None for a in args.args))


def template_name(fn: ast.stmt) -> Optional[str]:
    value = returned(fn)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return None


def template_json(fn: ast.stmt, type_name: str):
    """What a one-line ``templateBody`` returns, decoded, or None when that
    cannot be known without running it."""
    value = returned(fn)
    if value is None:
        return None
    try:
        return _evaluate(value, fn.args.args[0].arg, type_name)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return None


def template_body(fn: ast.stmt, type_name: str):
    """(working_dir, parameters) when ``fn`` can be rendered again, else None."""
    data = template_json(fn, type_name)
    try:
        return None if data is None else _fields(data, type_name)
    except (ValueError, TypeError, KeyError):
        return None


def _evaluate(value: ast.expr, cls: str, type_name: str):
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return json.loads(value.value)
    if not (isinstance(value, ast.Call) and len(value.args) == 1
            and _is_json_dumps(value.func)):
        raise ValueError("not json.dumps(...)")
    # the transformer works in place: on a copy, the module's tree stays whole
    literal = _NameCall(cls, type_name).visit(copy.deepcopy(value.args[0]))
    return json.loads(json.dumps(ast.literal_eval(literal)))


def _is_json_dumps(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "dumps"
            and isinstance(func.value, ast.Name) and func.value.id == "json")


class _NameCall(ast.NodeTransformer):
    """``cls.templateName()`` inside the literal stands for the type name."""

    def __init__(self, cls: str, type_name: str):
        self.cls, self.type_name = cls, type_name

    def visit_Call(self, node: ast.Call):
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "templateName"
                and isinstance(func.value, ast.Name)
                and func.value.id == self.cls
                and not node.args and not node.keywords):
            return ast.Constant(self.type_name)
        return self.generic_visit(node)


def _fields(data, type_name: str):
    if not isinstance(data, dict) or set(data) - {"name", "parameters"}:
        raise ValueError("unexpected template keys")
    if data.get("name", type_name) != type_name:
        raise ValueError("template name differs from templateName")
    working_dir, parameters = "", []
    for entry in data.get("parameters", []):
        parm = parameter(entry)
        if parm.name == WORKING_DIR_PARM and not working_dir:
            if (parm.type, parm.label, parm.tags) != \
                    ("String", WORKING_DIR_LABEL, ()) or not parm.default:
                raise ValueError("working directory entry has extras")
            working_dir = parm.default
        else:
            parameters.append(parm)
    return working_dir, tuple(parameters)


def parameter(entry) -> Parameter:
    """One templateBody parameter entry as a Parameter (ValueError when the
    document cannot keep it)."""
    if not isinstance(entry, dict) or set(entry) - _PARM_KEYS:
        raise ValueError("parameter has keys the document cannot keep")
    if entry.get("size", 1) != 1 or not isinstance(entry["name"], str):
        raise ValueError("only single-value parameters")
    label = entry.get("label", entry["name"])
    tags = entry.get("tag", [])
    if not isinstance(label, str) or not isinstance(tags, list) \
            or not all(isinstance(t, str) for t in tags):
        raise ValueError("label and tags must be text")
    return Parameter(entry["name"], label, entry["type"], entry.get("value"),
                     tuple(tags))
