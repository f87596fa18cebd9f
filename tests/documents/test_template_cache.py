"""The compiled templates kept in rarplan's cache folder (rarplan.documents.template_cache):
a document is the same from a cold cache and a warm one, HTML and text never share compiled
code, and a damaged entry is compiled again."""

from __future__ import annotations

import hashlib
import types
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from rarplan.catalogue import load as catalogue
from rarplan.documents import render, template_cache
from rarplan.files import cache
from tests import factories

CASES = [(d, f) for d in render.DOCUMENTS for f in render.FORMATS]


def _new_process() -> None:
    """As a new process would start: the environments (and what they compiled) made again."""
    render._environment.cache_clear()


def _entries() -> list[Path]:
    return sorted(p for p in cache.base_folder().glob("templates-*/*") if p.is_file())


def _doc(document: str, fmt: str) -> str:
    plan = factories.plan(["msrp-home", "job-club"], appointments={"msrp-home": 3})
    plan.case.sentence.stage = "pre_sentence"  # the court proposal is a pre-sentence document
    return render.render(plan, catalogue.load(), document, fmt)


@pytest.mark.parametrize(("document", "fmt"), CASES)
def test_a_document_is_the_same_from_a_cold_and_a_warm_cache(document, fmt):
    _new_process()
    cold = _doc(document, fmt)
    assert _entries()
    _new_process()
    assert _doc(document, fmt) == cold


def test_html_and_text_keep_their_compiled_templates_apart():
    """The same template (the shared word macros) compiles differently with autoescaping."""
    _new_process()
    markdown = _doc("person", "md")
    html = _doc("person", "html")
    folders = {p.parent.name.rsplit("-", 1)[0] for p in _entries()}
    assert folders == {"templates-html", "templates-text"}
    _new_process()
    assert _doc("person", "html") == html  # html first this time, from the warm cache
    assert _doc("person", "md") == markdown


MAGIC = len(bc_magic)  # jinja2's header: its version and Python's


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"garbage" * 10,
        lambda data: data[:MAGIC] + b"\x80garbage",  # a good header, then nothing readable
        lambda data: data[: MAGIC + 60],  # cut short
        lambda data: data[:MAGIC] + data[MAGIC:].replace(b"\x00", b"\x01"),
    ],
)
def test_a_damaged_entry_is_compiled_again_and_rewritten(damage):
    _new_process()
    good = _doc("court", "html")
    damaged = {}
    for entry in _entries():
        damaged[entry] = damage(entry.read_bytes())
        entry.write_bytes(damaged[entry])
    _new_process()
    assert _doc("court", "html") == good
    assert all(entry.read_bytes() != damaged[entry] for entry in _entries())


def test_no_cache_folder_to_use_is_no_error(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    _new_process()
    assert "RAR" in _doc("person", "md")
    _new_process()


def test_an_older_versions_compiled_templates_are_removed(monkeypatch):
    """A new rarplan (another digest of the set-up module) compiles into a new folder and
    removes the old one of the same kind; the other kind's folder stays."""
    _new_process()
    _doc("person", "html")
    _doc("person", "md")
    old_html = {p.parent for p in _entries() if p.parent.name.startswith("templates-html-")}
    assert len(old_html) == 1
    text = {p.parent for p in _entries() if p.parent.name.startswith("templates-text-")}
    newer = types.SimpleNamespace(sha256=lambda data: hashlib.sha256(data + b" a new version"))
    monkeypatch.setattr(template_cache, "hashlib", newer)  # this module's digest only
    _new_process()
    assert _doc("person", "html")
    folders = {p.parent for p in _entries()}
    assert not old_html & folders
    assert text <= folders
