"""pdgcmd must run under any job Python: stdlib only, 3.7 syntax, no import of the engine.
Its pure helpers (addresses, paths, tags) are tested in-process."""
from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from scheduler_studio.engine.jobhelper import pdgcmd

SOURCE = Path(pdgcmd.__file__).read_text(encoding="utf-8")


def _imported_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import in a standalone helper"
            names.add(node.module.split(".")[0])
    return names


def test_imports_only_the_standard_library():
    imported = _imported_modules(ast.parse(SOURCE))
    assert imported and imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)


def test_compiles_and_parses_as_python_3_7():
    compile(SOURCE, "pdgcmd.py", "exec")
    ast.parse(SOURCE, feature_version=(3, 7))


@pytest.mark.parametrize("addr, url, shown", [
    ("tok@127.0.0.1:4000", "http://tok@127.0.0.1:4000", "127.0.0.1:4000"),
    ("127.0.0.1:4000", "http://127.0.0.1:4000", "127.0.0.1:4000"),
    ("http://tok@farm-host:80/RPC2", "http://tok@farm-host:80", "farm-host:80"),
])
def test_server_addresses(addr, url, shown):
    assert pdgcmd._serverUrl(addr) == (url, shown)


@pytest.mark.parametrize("addr", ["just-a-token", "host:", "tok@host:port"])
def test_bad_addresses_are_refused_without_echoing_them(addr):
    with pytest.raises(ValueError) as info:
        pdgcmd._serverUrl(addr)
    assert addr not in str(info.value)


@pytest.mark.parametrize("path, tag", [
    ("/a/b.bgeo.sc", "file/geo"), ("/a/B.EXR", "file/image"), ("x.usdc", "file/usd"),
    ("/logs/job.log", "file/text/log"), ("/a/unknown.xyz", "file"), (b"/a/c.png", "file/image"),
])
def test_tags_are_guessed_from_extensions(path, tag):
    assert pdgcmd.guessTag(path) == tag


def test_delocalize_and_localize_round_trip(monkeypatch, tmp_path):
    monkeypatch.setenv("PDG_DIR", str(tmp_path))
    local = f"{tmp_path}/geo/out.bgeo"
    assert pdgcmd.delocalizePath(local) == "__PDG_DIR__/geo/out.bgeo"
    assert pdgcmd.delocalizePath(f"{tmp_path}-other/x") == f"{tmp_path}-other/x"
    assert pdgcmd.localizePath("__PDG_DIR__/geo/out.bgeo") == local


def test_localize_expands_tokens_and_env_vars(monkeypatch):
    monkeypatch.setenv("PDG_ITEM_NAME", "gen_3")
    monkeypatch.setenv("PDG_SHARED_TEMP", "/shared/tmp")
    monkeypatch.setenv("PDG_INDEX4", "0003")
    monkeypatch.setenv("SHOT", "sh010")
    monkeypatch.delenv("PDG_HYTHON", raising=False)
    path = pdgcmd.localizePath("__PDG_SHARED_TEMP__/$SHOT/__PDG_ITEM_NAME__.__PDG_INDEX4__.exr")
    assert path == "/shared/tmp/sh010/gen_3.0003.exr"
    assert pdgcmd.localizePath("__PDG_PYTHON__") == sys.executable.replace("\\", "/")
    assert pdgcmd.localizePath("__PDG_HYTHON__ x") == "__PDG_HYTHON__ x"  # unknown stays visible


def test_localize_applies_the_path_map_for_this_zone(monkeypatch):
    pathmap = {"paths": [{"/mnt/proj/": {"zone": "*", "path": "/local/proj/"}},
                         {"/other/": {"zone": "NOWHERE", "path": "/never/"}}]}
    monkeypatch.setenv("PDG_PATHMAP", json.dumps(pathmap))
    monkeypatch.setattr(pdgcmd, "thePathMaps", None)
    assert pdgcmd.localizePath("/mnt/proj/a.exr") == "/local/proj/a.exr"
    assert pdgcmd.localizePath("/other/a.exr") == "/other/a.exr"
