"""The local template opened at every start comes from the cache with its origin, so a
start does not parse it; a stale, torn or unwritable cache costs only the parse."""
from __future__ import annotations

import shutil

import pytest

from scheduler_studio.engine import codegen
from scheduler_studio.engine.codegen import render
from scheduler_studio.gui.window import templates
from scheduler_studio.gui.window.templates import TEMPLATES_DIR, template_document


@pytest.fixture
def folder(tmp_path):
    """A copy of the templates folder, so a test may change a template."""
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, copy)
    return copy


def _parses(monkeypatch) -> list:
    calls = []
    real = codegen.parse

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(codegen, "parse", counting)
    return calls


def test_a_second_start_reads_the_template_with_its_origin_without_parsing(
        tmp_path, folder, monkeypatch):
    cache = tmp_path / "cache"
    first = template_document(folder=folder, cache_dir=cache)
    calls = _parses(monkeypatch)
    again = template_document(folder=folder, cache_dir=cache)
    assert calls == []
    assert again == first and again.origin is not None
    text = (folder / "local.py").read_bytes().decode("utf-8")
    assert render(again)[0] == text == render(first)[0]          # saved unedited: the file
    assert again.read_only() == first.read_only()


def test_a_changed_template_is_parsed_again(tmp_path, folder, monkeypatch):
    cache = tmp_path / "cache"
    template_document(folder=folder, cache_dir=cache)
    path = folder / "local.py"
    path.write_bytes(path.read_bytes() + b"# more\n")
    calls = _parses(monkeypatch)
    doc = template_document(folder=folder, cache_dir=cache)
    assert len(calls) == 1
    assert render(doc)[0].endswith("# more\n")


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_a_torn_or_foreign_cache_file_is_parsed_again_and_replaced(tmp_path, folder,
                                                                  monkeypatch, garbage):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "template-local.pickle").write_bytes(garbage)
    calls = _parses(monkeypatch)
    doc = template_document(folder=folder, cache_dir=cache)
    assert len(calls) == 1 and doc.origin is not None
    assert render(doc)[0] == (folder / "local.py").read_text(encoding="utf-8")
    assert template_document(folder=folder, cache_dir=cache) == doc
    assert len(calls) == 1                                     # the cache was written again


def test_a_cache_folder_that_refuses_the_file_only_costs_the_parse(tmp_path, folder,
                                                                  monkeypatch):
    cache = tmp_path / "cache"

    def refused(source, target):
        raise PermissionError(13, "Permission denied", str(target))
    monkeypatch.setattr(templates.os, "replace", refused)
    doc = template_document(folder=folder, cache_dir=cache)
    assert doc.origin is not None and list(cache.iterdir()) == []


def test_a_full_disk_leaves_no_temporary_file(tmp_path, folder, monkeypatch):
    cache = tmp_path / "cache"

    def full(self, data):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(templates.Path, "write_bytes", full)
    doc = template_document(folder=folder, cache_dir=cache)
    assert doc.origin is not None
    assert [p.name for p in cache.iterdir()] == []


def test_the_cache_of_earlier_versions_is_removed(tmp_path, folder):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "template-local.json").write_text("{}", encoding="utf-8")
    template_document(folder=folder, cache_dir=cache)
    assert sorted(p.name for p in cache.iterdir()) == ["template-local.pickle"]
