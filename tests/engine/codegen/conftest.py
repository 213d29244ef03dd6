"""A stand-in ``pdg`` package, so rendered modules can be executed here.

It is deliberately tiny and independent of engine/compat: these tests are
about codegen, not about the emulation.
"""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

MODULES_DIR = Path(__file__).resolve().parents[2] / "data" / "modules"


class _Enum:
    def __init__(self, *names):
        for name in names:
            setattr(self, name, name)


class PyScheduler:
    def __init__(self, scheduler, name):
        self.name = name


class CallbackServerMixin:
    def __init__(self, flag):
        self.callback_flag = flag


class TypeRegistry:
    def __init__(self):
        self.registered = []

    def registerScheduler(self, cls, label=None, **keywords):
        self.registered.append((cls, label))


def _module(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


@pytest.fixture
def fake_pdg(monkeypatch):
    """Install the stand-in ``pdg`` for one test; the real modules come back."""
    for name in list(sys.modules):
        if name == "pdg" or name.startswith("pdg."):
            monkeypatch.delitem(sys.modules, name)
    modules = {
        "pdg": _module(
            "pdg", scheduleResult=_Enum("Succeeded", "Failed", "CookSucceeded"),
            tickResult=_Enum("SchedulerReady", "SchedulerBusy"),
            acceptResult=_Enum("Accept", "Reject", "Default"),
            workItemState=_Enum("CookedSuccess", "CookedFail")),
        "pdg.scheduler": _module("pdg.scheduler", PyScheduler=PyScheduler),
        "pdg.job": _module("pdg.job"),
        "pdg.job.callbackserver": _module(
            "pdg.job.callbackserver", CallbackServerMixin=CallbackServerMixin),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    return modules


def run_module(text: str, filename: str = "scheduler_under_test.py") -> dict:
    """Execute a module's text and return its namespace."""
    namespace = {"__name__": "scheduler_under_test"}
    exec(compile(text, filename, "exec"), namespace)
    return namespace
