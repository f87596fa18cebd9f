"""Loading a catalogue, and what a loaded catalogue answers about itself."""

from __future__ import annotations

import pickle

import pytest

from rarplan.catalogue import load as cat
from rarplan.catalogue.models import Catalogue
from rarplan.model.errors import InvalidInput


def test_the_option_wins_then_the_environment_then_the_shipped_file(monkeypatch, tmp_path):
    monkeypatch.delenv(cat.CATALOGUE_ENV, raising=False)
    assert cat.resolve_path(None) == cat.default_path()
    monkeypatch.setenv(cat.CATALOGUE_ENV, str(tmp_path / "env.toml"))
    assert cat.resolve_path(None) == tmp_path / "env.toml"
    assert cat.resolve_path(str(tmp_path / "own.toml")) == tmp_path / "own.toml"


def test_a_file_is_loaded_once_until_it_changes():
    assert cat.load() is cat.load()
    assert isinstance(cat.load(), Catalogue)


def test_bad_toml_names_the_file():
    with pytest.raises(InvalidInput, match=r"^own\.toml: not valid TOML"):
        cat.parse("provider = ", "own.toml")


def test_an_unknown_id_suggests_the_nearest():
    with pytest.raises(InvalidInput) as caught:
        cat.load().get("mentor-suport")
    assert "mentor-support" in (caught.value.hint or "")


def test_values_the_rules_compare_a_fact_with():
    prisons = cat.load().values_compared("sentence.establishment")
    assert "HMP Maidstone" in prisons
    assert len(prisons) == len(set(prisons))
    assert cat.load().values_compared("sex") == ["male", "female"]  # in the card's order


def test_prerequisites_are_the_ids_others_require_first():
    catalogue = cat.load()
    required = catalogue.prerequisites()
    assert "ttg-level-1" in required
    assert set(required) == {p for e in catalogue for p in e.prerequisites}


def test_a_catalogue_pickles_after_its_rules_are_compiled():
    """A worker process gets the catalogue, not its compiled functions: it compiles its own."""
    catalogue = cat.parse(cat.default_path().read_text(encoding="utf-8"), "own.toml")
    assert catalogue.compiled.rules
    copy = pickle.loads(pickle.dumps(catalogue))
    assert [e.id for e in copy] == [e.id for e in catalogue]
    assert copy.compiled is not catalogue.compiled
    assert copy.compiled.ids == catalogue.compiled.ids
