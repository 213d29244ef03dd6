"""The package's names load with their modules on first use: the editor window
needs documents at its start, not the parser, the renderer or the saver."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import scheduler_studio.engine.codegen as codegen


def test_documents_load_without_the_parser_renderer_or_saver():
    code = ("import json, sys, scheduler_studio.engine.codegen.document; "
            "print(json.dumps([m for m in sys.modules if m.startswith('scheduler_studio.engine.codegen.')]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    loaded = json.loads(out)
    assert not {"scheduler_studio.engine.codegen.parsing", "scheduler_studio.engine.codegen.rendering",
                "scheduler_studio.engine.codegen.save"} & set(loaded)


def test_every_public_name_is_what_its_module_defines():
    from scheduler_studio.engine.codegen import document, parsing, rendering, save
    assert codegen.parse is parsing.parse and codegen.render is rendering.render
    assert codegen.save_module is save.save_module
    assert codegen.SchedulerDocument is document.SchedulerDocument
    assert set(codegen.__all__) <= set(dir(codegen))
    with pytest.raises(AttributeError):
        codegen.no_such_name  # noqa: B018
