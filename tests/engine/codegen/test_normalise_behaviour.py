"""`export --normalise` never changes what a module does.

Property: for every hand-written test module, the template modules and the
normalise-specific shapes (inherited members, base order, tabs and header
comments), the normalised module loads into the same scheduler type, with
the same parameters (read through ``self[...]`` as a callback would), and a
test cook of it gives the same summary as the original's.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_studio.engine.codegen import encode_module, parse, render
from scheduler_studio.engine.factory import ModuleLoadError
from scheduler_studio.engine.model.graph import RESOURCES_DIR
from scheduler_studio.engine.session import CookSession
from tests.engine.cookkit import cook

from .conftest import MODULES_DIR

ROOT = Path(__file__).resolve().parents[3]
NORMALISE_DIR = ROOT / "tests" / "data" / "normalise"
TEMPLATES_DIR = ROOT / "resources" / "templates"
MODULES = (sorted(MODULES_DIR.glob("*.py")) + sorted(NORMALISE_DIR.glob("*.py"))
           + sorted(TEMPLATES_DIR.glob("*.py")))
FRAMES = RESOURCES_DIR / "graphs" / "frames.json"


def _normalised(source: Path, folder: Path) -> Path:
    doc = parse(source.read_bytes(), str(source)).normalised()
    out = folder / f"normalised_{source.name}"
    out.write_bytes(encode_module(doc, render(doc)[0]))
    return out


def _copy(source: Path, folder: Path) -> Path:
    out = folder / f"original_{source.name}"
    out.write_bytes(source.read_bytes())
    return out


def _loaded(path: Path):
    """What Houdini would see of the module: its type, label and parameters."""
    try:
        with CookSession(str(path)) as session:
            scheduler = session.scheduler
            params = {port.name: (port.type, scheduler[port.name].evaluate())
                      for port in scheduler._pdg_state.params}
            return (session.stype.name, session.stype.label, type(scheduler).__name__,
                    params)
    except ModuleLoadError as exc:
        return ("cannot load", exc.missing_module or exc.reason)


def _summary(path: Path, tmp_path: Path) -> dict:
    try:
        summary = cook(path, str(FRAMES), tmp_path / path.stem, timeout_s=20.0).summary
    except ModuleLoadError as exc:
        return {"status": "cannot load", "error": exc.missing_module or exc.reason}
    return {"status": summary["status"], "items": summary["items"],
            "callbacks": summary["callbacks"],
            "errors": sorted((e.get("callback"), e["message"]) for e in summary["errors"]),
            "undefined": summary["undefined_parameters"]}


@pytest.mark.parametrize("source", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_normalised_module_loads_the_same_scheduler(source, tmp_path):
    original = _loaded(_copy(source, tmp_path))
    assert _loaded(_normalised(source, tmp_path)) == original


@pytest.mark.parametrize("source", sorted(NORMALISE_DIR.glob("*.py")) + [
    MODULES_DIR / "tabs_derived.py", MODULES_DIR / "hda_local_subclass.py"],
    ids=lambda p: p.name)
def test_normalised_module_cooks_the_same(source, tmp_path):
    original = _summary(_copy(source, tmp_path), tmp_path)
    assert _summary(_normalised(source, tmp_path), tmp_path) == original


def test_an_inherited_code_built_template_keeps_its_parameters(tmp_path):
    # the trial's twosched.py shape: the base builds templateBody in code
    path = _normalised(NORMALISE_DIR / "inherited_members.py", tmp_path)
    name, _, _, params = _loaded(path)
    assert name == "studiobase"
    assert params["pool"] == ("String", "render")
    text = path.read_text(encoding="utf-8")
    shot = text[text.index("class ShotScheduler"):]
    assert "templateBody" not in shot and "templateName" not in shot
    assert "__init__" not in shot
