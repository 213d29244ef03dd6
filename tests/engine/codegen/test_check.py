"""check_source: syntax errors, pyflakes warnings and unknown pdg names."""
from __future__ import annotations

import importlib

import pytest

from scheduler_studio.engine.check import Problem, check_source
from scheduler_studio.engine.codegen import default_document, render


def _codes(problems):
    return [(p.line, p.severity, p.code) for p in problems]


def test_rendered_default_module_is_clean():
    assert check_source(render(default_document())[0], "default.py") == []


def test_syntax_error_has_its_line():
    problems = check_source("import os\n\ndef f(:\n    pass\n", "broken.py")
    assert _codes(problems) == [(3, "error", "syntax-error")]
    assert problems[0].column == 6


def test_python_2_is_named():
    [problem] = check_source("x = 1\nprint 'old'\n")
    assert (problem.line, problem.code) == (2, "python2")


def test_pyflakes_warnings_have_their_lines():
    problems = check_source("import os\n\n\ndef f():\n    return missing\n")
    assert _codes(problems) == [(1, "warning", "UnusedImport"),
                                (5, "warning", "UndefinedName")]
    assert "missing" in problems[1].message


def test_compile_warnings_are_reported():
    [problem] = check_source('path = "C:\\temp\\new\\hip"\n')
    assert problem.severity == "warning" and "escape" in problem.message


def test_unreadable_bytes():
    [problem] = check_source(b"x = '\xff'\n")
    assert problem.severity == "error" and "UTF-8" in problem.message


def test_unknown_pdg_names_are_errors():
    problems = check_source(
        "import pdg\nimport pdg.nosuchmodule\n"
        "from pdg.scheduler import PyScheduler, NoSuchHelper\n"
        "x = pdg.NoSuchName\ny = pdg.scheduleResult.NoSuchMember\n"
        "z = PyScheduler\n")
    found = [(p.line, p.message.split("'")[1]) for p in problems
             if p.code == "pdg-name"]
    assert found == [(2, "pdg.nosuchmodule"),
                     (3, "pdg.scheduler.NoSuchHelper"),
                     (4, "pdg.NoSuchName"),
                     (5, "pdg.scheduleResult.NoSuchMember")]
    assert all(p.severity == "error" for p in problems if p.code == "pdg-name")


# Names pdg-api.md says real schedulers import or use: all must be known.
KNOWN = {
    "pdg": ["scheduleResult", "tickResult", "acceptResult", "workItemState",
            "CookError", "ServiceError", "attribFlag", "serviceState",
            "platform", "TypeRegistry"],
    "pdg.scheduler": ["PyScheduler", "evaluateParamOr", "convertEnvMapToUTF8",
                      "submitGraphAsJob"],
    "pdg.job.callbackserver": ["CallbackServerMixin"],
    "pdg.utils": ["expand_vars", "TickTimer", "print_headless"],
    "pdg.staticcook": ["StaticCookMixin"],
    "pdg.job.eventdispatch": ["EventDispatchMixin"],
}


def _missing_from_emulation():
    from scheduler_studio.engine.compatpath import compat_pdg
    compat_pdg()
    missing = []
    for module, names in KNOWN.items():
        try:
            found = importlib.import_module(module)
        except ImportError:
            missing.append(module)
            continue
        missing += [f"{module}.{n}" for n in names if not hasattr(found, n)]
    return missing


def test_names_houdini_has_are_accepted():
    missing = _missing_from_emulation()
    if missing:
        pytest.skip("engine/compat does not emulate these yet: "
                    + ", ".join(missing))
    lines = [f"from {module} import {', '.join(names)}"
             for module, names in KNOWN.items()]
    lines += ["import pdg", "x = pdg.scheduleResult.Succeeded",
              "y = pdg.tickResult.SchedulerReady", "z = pdg.workItemState.Cooking"]
    problems = check_source("\n".join(lines) + "\n")
    assert [p for p in problems if p.code == "pdg-name"] == []


def test_problem_is_a_value():
    assert Problem(1, 0, "warning", "m", "c") == Problem(1, 0, "warning", "m", "c")


def test_async_callbacks_are_warned_about_at_their_def():
    source = ("import pdg\nfrom pdg.scheduler import PyScheduler\n\n\n"
              "class S(PyScheduler):\n"
              "    async def onTick(self):\n"
              "        return pdg.tickResult.SchedulerReady\n\n"
              "    async def helper(self):\n"
              "        pass\n\n"
              "    def onSchedule(self, work_item):\n"
              "        return pdg.scheduleResult.Succeeded\n")
    problems = [p for p in check_source(source, "s.py") if p.code != "no-register-types"]
    assert _codes(problems) == [(6, "warning", "async-callback")]
    assert problems[0].message.startswith("onTick is an async def")
    assert problems[0].column == 4
