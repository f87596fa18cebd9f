"""Plan files round trip: what rarplan writes, it reads back as the same plan.

The writer (`rarplan.files.toml_writer`) is checked against tomllib on any document, and plans
against the `Plan` model: load(dump(plan)) == plan. Plans written before the writer changed
(`old_plans/`, written by the previous writer: intervention results one inline table a line,
their defaults left out) still load, and plans written now load in that version too (the same
keys and values, schema_version 2).
"""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rarplan.files import toml_writer
from rarplan.files.planfile import dump_plan, load_plan, migrate, parse_plan, plan_bytes, save_plan
from rarplan.files.planview import fast_tables, read_view
from rarplan.model.errors import InvalidInput
from rarplan.model.plan import (
    SCHEMA_VERSION,
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
from tests.deliver.test_attendance import scheduled_plan

OLD_PLANS = sorted((Path(__file__).parent / "old_plans").glob("*.plan.toml"))

# --- the writer, on any document ---------------------------------------------------------------

keys = st.text(max_size=12)
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 2), timezones=st.just(UTC)),
)
tables = st.recursive(
    st.dictionaries(keys, scalars | st.lists(scalars, max_size=3), max_size=4),
    lambda inner: st.dictionaries(
        keys, inner | st.lists(inner, min_size=1, max_size=2) | scalars, max_size=4
    ),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(tables, st.booleans())
def test_any_document_reads_back_the_same(doc: dict[str, Any], multiline: bool) -> None:
    assert tomllib.loads(toml_writer.dumps(doc, multiline_strings=multiline)) == doc


@pytest.mark.parametrize(
    "doc",
    [
        {"a\x7fb": "c\x7fd", "list": ["\x7f", "e"], "t": {"x": ["\x7f"]}},
        {"mixed": ["a", 1, True, 2.5, date(2027, 1, 1)], "empty": [], "rows": [{"x": 1}, 2]},
        {"0\n": False, "": {"b\n": 1}, "c": [{}], "d": {}},
        {"inf": float("inf"), "small": 1e-05, "big": 1e16, "neg": -0.0},
        {"text": 'a """ b\\n\r\n"quoted"\\', "tab": "\t", "nul": "\x00", "end": 'ends "'},
    ],
)
@pytest.mark.parametrize("multiline", [False, True])
def test_awkward_values_read_back_the_same(doc: dict[str, Any], multiline: bool) -> None:
    """DEL (which JSON's escaping leaves alone), control characters, keys that must be quoted,
    mixed arrays, floats in exponent form; quotes and backslashes in multi-line strings."""
    text = toml_writer.dumps(doc, multiline_strings=multiline)
    assert "\x7f" not in text
    assert tomllib.loads(text) == doc


def test_none_is_left_out_and_unknown_types_are_refused() -> None:
    assert toml_writer.dumps({"a": None, "t": {"b": None, "c": 1}}) == "[t]\nc = 1\n"
    with pytest.raises(TypeError):
        toml_writer.dumps({"a": object()})


def test_the_layout_scalars_first_then_tables_in_order() -> None:
    doc = {"a": 1, "t": {"x": "y"}, "rows": [{"n": 1}, {"n": 2}], "b": [1, 2], "u": {}}
    assert toml_writer.dumps(doc) == (
        'a = 1\nb = [1, 2]\n\n[t]\nx = "y"\n\n[[rows]]\nn = 1\n\n[[rows]]\nn = 2\n\n[u]\n'
    )


# --- plans -------------------------------------------------------------------------------------


def every_kind_of_table() -> Plan:
    """A plan using every model of the file: schedule (with a timetable and unscheduled
    sessions), attendance, outcome reviews, the completion and a history entry holding the
    schedule it replaced; optional fields both set and left out."""
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


# Free text as officers and catalogues write it, and as it should never break a file: any
# character (hypothesis leaves out unpaired surrogates, which `plan_bytes` refuses).
texts = st.text(max_size=60)
ids = st.text(min_size=1, max_size=20)
times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.none()
) | st.datetimes(min_value=datetime(2000, 1, 1), timezones=st.just(UTC))


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    plan = every_kind_of_table()
    plan.created = draw(times)
    plan.responsible_officer = draw(texts)
    plan.case.name = draw(st.none() | texts)
    plan.case.checks = draw(st.dictionaries(st.text(max_size=20), st.booleans(), max_size=3))
    plan.case.plan.hours = draw(st.dictionaries(texts, st.integers(1, 36), max_size=3))
    a = plan.assessment
    a.ogrs = draw(st.none() | st.floats(0, 100))
    a.average_needs = draw(st.none() | st.floats(0, 10))
    a.guideline_days = draw(st.none() | st.just({"min": 1, "max": 15}))
    a.proposed_days = draw(st.none() | st.integers(1, 365))
    a.rationale = draw(texts)
    a.warnings = draw(st.lists(texts, max_size=3))
    a.interventions = draw(
        st.lists(
            st.builds(
                InterventionResult,
                id=ids,
                status=st.sampled_from(["eligible", "excluded", "check"]),
                reasons=st.lists(texts, max_size=3),
                addresses_identified_need=st.booleans(),
            ),
            max_size=6,
        )
    )
    plan.unmet_needs = draw(st.lists(st.builds(UnmetNeed, need=ids, reason=texts), max_size=3))
    plan.agreement.note = draw(texts)
    plan.attendance[1].note = draw(texts)
    plan.attendance[0].recorded_at = draw(st.none() | times)
    plan.history[1].reason = draw(texts)
    return plan


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_a_plan_reads_back_as_the_same_plan(plan: Plan) -> None:
    data = plan_bytes(plan)
    assert data.decode("utf-8") == dump_plan(plan)
    assert parse_plan(tomllib.loads(data.decode("utf-8")), "plan") == plan


def test_a_saved_plan_loads_as_the_same_plan_in_the_layout_the_caseload_reads_fast(
    tmp_path: Path,
) -> None:
    """The caseload (`status`) reads the tables it shows straight from the file's layout;
    the full reader must agree with it on what rarplan writes."""
    plan = every_kind_of_table()
    path = tmp_path / "X123456.plan.toml"
    save_plan(plan, path)
    back, data = load_plan(path)
    assert back == plan
    assert data == plan_bytes(plan)
    fast_tables(data.decode("utf-8"))  # the fast reader reads this layout (no fallback)
    assert read_view(path) == read_view(path, full=True)


def test_every_field_is_written_none_left_out(tmp_path: Path) -> None:
    """The same keys and values the previous writer wrote: nothing is renamed, None (an
    optional field not given) is left out, schema_version is written."""
    plan = every_kind_of_table()
    doc = tomllib.loads(dump_plan(plan))
    assert doc["schema_version"] == SCHEMA_VERSION == 3
    assert doc == plan.model_dump(mode="python", exclude_none=True)
    assert "record_file" not in doc["completion"]


def test_unpaired_surrogates_are_refused_cleanly() -> None:
    plan = every_kind_of_table()
    plan.assessment.rationale = "bad \ud800 text"
    with pytest.raises(InvalidInput, match="surrogate"):
        plan_bytes(plan)


# --- plans written before: they load, and what is written now loads there -----------------


@pytest.mark.parametrize("path", OLD_PLANS, ids=lambda p: p.name)
def test_plans_written_by_the_previous_writer_still_load(path: Path) -> None:
    plan, _ = load_plan(path)
    assert plan.schema_version == SCHEMA_VERSION
    again = parse_plan(tomllib.loads(dump_plan(plan)), "again")
    assert again == plan
    # the previous writer left each result's defaults out; they read back as the defaults
    old = tomllib.loads(path.read_text())
    results = plan.assessment.interventions
    for raw, result in zip(old["assessment"]["interventions"], results, strict=True):
        assert result.reasons == raw.get("reasons", [])
        assert result.addresses_identified_need == raw.get("addresses_identified_need", False)


def test_the_old_fixtures_cover_results_and_every_kind_of_table() -> None:
    assert len(OLD_PLANS) == 4
    loaded = [load_plan(p)[0] for p in OLD_PLANS]
    assert sum(len(p.assessment.interventions) for p in loaded) > 100
    assert any(p.schedule and p.history and p.completion for p in loaded)
    scheduled = next(p for p in loaded if p.crn == "X123456")
    assert scheduled == every_kind_of_table()


def test_plans_written_now_read_as_the_previous_version_read_them() -> None:
    """The previous version read a plan as `Plan.model_validate(tomllib.loads(text))` after
    `migrate` (unchanged since): the text written now gives it the same document, key for
    key, as the one it wrote itself."""
    for path in OLD_PLANS:
        plan, _ = load_plan(path)
        ours = tomllib.loads(dump_plan(plan))
        theirs = migrate(tomllib.loads(path.read_text()), path.name)
        for old, new in zip(
            theirs["assessment"]["interventions"], ours["assessment"]["interventions"], strict=True
        ):
            assert old == {k: v for k, v in new.items() if k in old}
        theirs["assessment"].pop("interventions")
        ours["assessment"].pop("interventions")
        assert ours == theirs
