"""The plan writer: whatever it writes, tomllib reads back as the same document."""

from __future__ import annotations

import tomllib
from datetime import date, datetime

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from rarplan import catalogue as cat
from rarplan import tomlout
from rarplan.assessment import assess
from rarplan.caseio import load_case
from rarplan.errors import InvalidInput
from rarplan.plan import InterventionResult, Plan

from .conftest import REPO

keys = st.text(min_size=1, max_size=12)
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(min_value=datetime(1900, 1, 1)),
)
tables = st.recursive(
    st.dictionaries(keys, scalars | st.lists(scalars, max_size=3), max_size=4),
    lambda inner: st.dictionaries(
        keys, inner | st.lists(inner, min_size=1, max_size=2) | scalars, max_size=4
    ),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_round_trip_through_tomllib(doc):
    assert tomllib.loads(tomlout.dumps(doc)) == doc


@pytest.mark.parametrize("name", ["X100001", "X100002", "X100003", "X100004", "X100005"])
def test_plans_read_back_equal_and_match_tomli_w(name):
    case, _ = load_case(REPO / "examples" / "cases" / f"{name}.toml")
    plan = assess(case, cat.load(), today=date(2026, 11, 23))
    text = tomlout.dumps(plan, tomlout.SHARED)
    assert Plan.model_validate(tomllib.loads(text)) == plan
    # the bytes writer joins the shared results as bytes: the same bytes in the end
    assert tomlout.dumpb(plan, tomlout.SHARED) == text.encode("utf-8")
    assert tomlout.dumpb(plan) == text.encode("utf-8")
    reference = tomli_w.dumps(plan.model_dump(mode="python", exclude_none=True))
    assert Plan.model_validate(tomllib.loads(reference)) == plan
    # one line per catalogue entry, defaults left out; the rest as tomli_w writes it
    lines = text.split("interventions = [\n", 1)[1].split("]\n", 1)[0].splitlines()
    assert [line.split('"')[1] for line in lines] == [r.id for r in plan.assessment.interventions]
    assert all(line.startswith("    { id = ") and line.endswith(" },") for line in lines)
    assert "reasons = []" not in text.split("interventions = [", 1)[1]
    ours, theirs = tomllib.loads(text), tomllib.loads(reference)
    ours["assessment"].pop("interventions")
    theirs["assessment"].pop("interventions")
    assert ours == theirs


def test_unpaired_surrogates_are_refused_cleanly():
    with pytest.raises(InvalidInput, match="surrogate"):
        tomlout.dumps({"note": "bad \ud800 text"})
    with pytest.raises(InvalidInput, match="surrogate"):
        tomlout.dumpb({"notes": ["fine", "bad \ud800 text"]})


@pytest.mark.parametrize(
    "doc",
    [
        {"a\x7fb": "c\x7fd", "list": ["\x7f", "e"], "t": {"x": ["\x7f"]}},
        {"mixed": ["a", 1, True, 2.5, date(2027, 1, 1)], "strings": ["a", "b"], "empty": []},
        {"inline": ["a", {"b": 1}], "rows": [{"x": "\x7f"}, {"x": 2}]},
    ],
)
def test_del_characters_and_mixed_lists_round_trip(doc):
    """DEL is escaped over the whole text at the end; lists of strings take a faster path."""
    text = tomlout.dumps(doc)
    assert "\x7f" not in text
    assert tomllib.loads(text) == doc
    assert tomlout.dumpb(doc) == text.encode("utf-8")


@pytest.mark.parametrize("doc", [{"0\n": False}, {"0\n": {}}, {"0\n": [{}]}, {"a": {"b\n": 1}}])
def test_keys_ending_in_a_newline_are_quoted(doc):
    """A key is bare only if the whole of it is letters, digits, '_' or '-' (found by the
    round-trip property: '$' also matched before a final newline)."""
    assert tomllib.loads(tomlout.dumps(doc)) == doc


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.builds(
            InterventionResult,
            id=st.text(min_size=1, max_size=20),
            status=st.sampled_from(["eligible", "excluded", "check"]),
            reasons=st.lists(st.text(max_size=30), max_size=3),
            addresses_identified_need=st.booleans(),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_inline_rows_read_back_as_the_same_results(rows):
    """Results are written one inline table a line, defaults left out: read back the same."""
    text = tomlout.dumps({"interventions": rows})
    assert text.count("\n") == len(rows) + 2
    back = tomllib.loads(text)["interventions"]
    assert [InterventionResult.model_validate(r) for r in back] == rows
    shared = {id(r): tomlout.fragment(r) for r in rows}
    assert tomlout.dumpb({"interventions": rows}, shared) == text.encode("utf-8")
