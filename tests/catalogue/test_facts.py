"""The case facts a catalogue rule reads (rarplan/catalogue/facts.py).

A prison's name matches with or without "HMP" and in any case (issue 16; the rate card, 003,
writes both "East Sutton Park" and "HMP East Sutton Park"): the rule's words and the case's
value are compared by `establishment_key`.
"""

from __future__ import annotations

import pytest

from rarplan.catalogue.facts import FACTS, FactReader, case_facts, establishment_key
from rarplan.catalogue.rules import Condition, compile_condition
from rarplan.model.case import Case


@pytest.mark.parametrize(
    "name,key",
    [
        ("HMP East Sutton Park", "east sutton park"),
        ("East Sutton Park", "east sutton park"),
        ("  east   SUTTON park ", "east sutton park"),
        ("HMP/YOI Bronzefield", "bronzefield"),
        ("HMP & YOI Bronzefield", "bronzefield"),
        ("H.M.P. Lewes", "lewes"),
        ("HM Prison Maidstone", "maidstone"),
        ("Maidstone Prison", "maidstone"),
        ("St. Albans", "st albans"),
        ("HMP", "hmp"),  # nothing but the prefix: kept, not emptied
    ],
)
def test_establishment_key(name: str, key: str) -> None:
    assert establishment_key(name) == key


def test_establishment_is_a_text_fact_with_its_label() -> None:
    fact = FACTS["sentence.establishment"]
    assert (fact.kind, fact.label, fact.normalise) == ("text", "establishment", establishment_key)


def _case(establishment: str | None) -> Case:
    sentence = {"setting": "custody", "establishment": establishment}
    return Case.model_validate({"crn": "X123456", "sentence": sentence})


@pytest.mark.parametrize(
    "rule_words,case_value,matches",
    [
        ("HMP East Sutton Park", "east sutton park", True),
        ("east sutton park", "HMP EAST SUTTON PARK", True),  # a provider's file may omit HMP
        ("HMP Bronzefield", "Bronzefield", True),
        ("HMP Bronzefield", "HMP Maidstone", False),
        ("HMP East Sutton Park", "Sutton Park", False),
    ],
)
def test_rules_compare_establishments_by_their_key(
    rule_words: str, case_value: str, matches: bool
) -> None:
    """Both sides of `in`, `not_in`, `eq` and `ne` go through the fact's normalise."""
    facts = case_facts(_case(case_value))
    for op, expected in (("in", matches), ("not_in", not matches)):
        cond = Condition.model_validate({"fact": "sentence.establishment", op: [rule_words]})
        assert compile_condition(cond)(facts, {}) is expected, (op, rule_words, case_value)
    for op, expected in (("eq", matches), ("ne", not matches)):
        cond = Condition.model_validate({"fact": "sentence.establishment", op: rule_words})
        assert compile_condition(cond)(facts, {}) is expected, (op, rule_words, case_value)


def test_an_unrecorded_establishment_stays_unknown() -> None:
    cond = Condition.model_validate({"fact": "sentence.establishment", "in": ["HMP Maidstone"]})
    assert compile_condition(cond)(case_facts(_case(None)), {}) is None


def test_the_fact_reader_gives_the_same_key() -> None:
    """The batch's reader and `case_facts` agree on the normalised value."""
    case = _case("HMP  East Sutton Park")
    read = FactReader(["sentence.establishment", "sentence.setting"])
    values = dict(zip(read.names, read(case), strict=True))
    assert values["sentence.establishment"] == "east sutton park"
    assert values["sentence.establishment"] == case_facts(case)["sentence.establishment"]
