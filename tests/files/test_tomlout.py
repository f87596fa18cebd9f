"""The plan writer: whatever it writes, tomllib reads back as the same document."""

from __future__ import annotations

import tomllib
from datetime import date, datetime

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from rarplan.assess.assessment import assess
from rarplan.catalogue import models as cat
from rarplan.files import tomlout
from rarplan.files.caseio import load_case
from rarplan.model.case import Case
from rarplan.model.errors import InvalidInput
from rarplan.model.plan import (
    AttendanceRecord,
    Availability,
    Completion,
    DateRange,
    HistoryEntry,
    InterventionResult,
    OutcomeReview,
    Plan,
    UnmetNeed,
    Unscheduled,
)
from tests.conftest import REPO

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


def every_kind_of_table() -> Plan:
    """A plan using every model of the file: schedule (with a timetable and unscheduled
    sessions), attendance, outcome reviews, the completion and a history entry holding the
    schedule it replaced; optional fields both set and left out."""
    from tests.deliver.test_attendance import scheduled_plan

    plan = scheduled_plan()
    schedule = plan.schedule
    assert schedule is not None
    schedule.timetable = {"msrp-home": {"weekday": "mon", "start": "10:00", "place": "Maidstone"}}
    schedule.unscheduled = [Unscheduled(intervention="job-club", sessions=0, reason="No count")]
    schedule.appointments[0].place = "Maidstone office"
    schedule.replanned_from = date(2027, 2, 1)
    plan.availability = Availability(
        days=["mon", "tue"], unavailable=[DateRange(start=date(2027, 2, 1), end=date(2027, 2, 5))]
    )
    plan.selected[0].override_reason = 'Chosen "anyway" \\ with care\x7f'
    plan.attendance = [
        AttendanceRecord(
            date=date(2027, 1, 11),
            intervention="msrp-home",
            session=1,
            outcome="attended",
            recorded_at=datetime(2027, 1, 11, 12, 0),
        ),
        AttendanceRecord(
            date=date(2027, 1, 18), intervention="msrp-home", session=2, outcome="late", note="x"
        ),
    ]
    plan.outcomes = [
        OutcomeReview(intervention="msrp-home", outcome="Outcome", result="partly_achieved")
    ]
    plan.completion = Completion(
        completed_on=date(2027, 3, 1),
        status="completed_early",
        rar_days_ordered=6,
        rar_days_completed=2,
        rationale="Needs met",
        record_file=None,
    )
    plan.history = [
        HistoryEntry(at=datetime(2027, 2, 1, 9, 30), action="replan", schedule=schedule),
        HistoryEntry(at=datetime(2027, 2, 2, 9, 30), by="RO", action="attend"),
    ]
    plan.unmet_needs = [UnmetNeed(need="accommodation", reason="None suitable")]
    plan.case.checks = {"refuses_treatment": False}
    plan.case.plan.hours = {"msrp-home": 4}
    return plan


def generated_plans(count: int) -> list[Plan]:
    """Plans of the bench generator's cases: all sorts of needs, circumstances and stages."""
    from tests.test_bench_generator import jsonl

    catalogue = cat.load()
    return [
        assess(Case.model_validate_json(line), catalogue, today=date(2026, 11, 23))
        for line in jsonl(count).splitlines()
    ]


def test_templates_write_what_the_general_loop_writes(monkeypatch):
    """A model's table is written by a function made for its fields' types (one f-string);
    the bytes are those of the general field-by-field loop, for every kind of table."""
    plans = [every_kind_of_table(), *generated_plans(300)]
    fast = [(tomlout.dumps(p, tomlout.SHARED), tomlout.dumpb(p, tomlout.SHARED)) for p in plans]
    assert any(key[0] is Plan for key in tomlout._TEMPLATES)
    monkeypatch.setattr(tomlout, "_TEMPLATES", {})
    monkeypatch.setattr(tomlout, "_template", lambda model, fields: None)
    slow = [(tomlout.dumps(p, tomlout.SHARED), tomlout.dumpb(p, tomlout.SHARED)) for p in plans]
    assert fast == slow
    assert not tomlout._TEMPLATES
    back = Plan.model_validate(tomllib.loads(fast[0][0]))
    assert back == plans[0]


def test_templates_read_values_by_name_and_write_them_in_field_order():
    """A model's values in another order (built by hand) are still written right: a template
    reads them by name. One missing a field is written by the general loop."""
    shuffled = {"reason": "r", "need": "accommodation"}
    odd = UnmetNeed.model_construct(**shuffled)
    object.__setattr__(odd, "__dict__", shuffled)
    partial = UnmetNeed.model_construct(need="housing")
    for _ in range(2):  # made, then taken from the cache
        text = tomlout.dumps({"unmet": [UnmetNeed(need="a", reason="b"), odd, partial]})
        assert tomllib.loads(text)["unmet"] == [
            {"need": "a", "reason": "b"},
            {"need": "accommodation", "reason": "r"},
            {"need": "housing"},
        ]
        assert text.index('need = "accommodation"') < text.index('reason = "r"')
    assert tomlout._TEMPLATES[(UnmetNeed, (str,))] is None
