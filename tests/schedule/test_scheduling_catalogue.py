"""The scheduler against the shipped catalogue (data/interventions.toml, the KSS CRC rate card
docs/sources/003_2c3b0962518856ac.txt). Skipped while the catalogue is being transcribed."""

from __future__ import annotations

from datetime import date

import pytest

from rarplan.catalogue import load as cat
from rarplan.model.errors import InvalidInput, RefusedByRules
from rarplan.schedule.make import Options, make_schedule
from tests import factories
from tests.schedule.test_scheduling_support import check_invariants

NEEDED = (
    "resolve",
    "beai",
    "domestic-abuse-programme",
    "job-club",
    "msrp-home",
    "ttg-level-1",
    "ttg-level-2",
    "mentor-support",
    "practitioner-toolkit",
)


def _load() -> cat.Catalogue | None:
    try:
        loaded = cat.load(cat.default_path())
    except InvalidInput:
        return None
    return loaded if all(i in loaded.entries for i in NEEDED) else None


REAL = _load()
pytestmark = pytest.mark.skipif(REAL is None, reason="the shipped catalogue is not complete yet")


def test_every_entry_is_scheduled_or_says_why() -> None:
    """Each of the card's services alone, on a long order with room: every session either has
    an appointment or is listed as unscheduled with a reason."""
    assert REAL is not None
    for entry in REAL:
        plan = factories.plan([entry.id], rar_max_days=60, length_months=36)
        out = make_schedule(plan, REAL, Options(strategy="compact"))
        s = out.schedule
        check_invariants(plan, s, 60)
        if s.unscheduled:
            assert not s.appointments and s.unscheduled[0].reason, entry.id
        else:
            numbers = sorted(a.session for a in s.appointments)
            assert numbers == list(range(1, len(numbers) + 1)) and numbers, entry.id
            assert all(a.counts_towards_rar == entry.counts_towards_rar for a in s.appointments)


def test_resolve_from_the_card() -> None:
    """Resolve: 22 group sessions of two and a half hours, four one-hour individual sessions,
    one post-programme three-way; an accredited programme, so no RAR days."""
    assert REAL is not None
    apps = make_schedule(factories.plan(["resolve"]), REAL).schedule.appointments
    assert [a.kind for a in apps] == ["individual"] * 4 + ["group"] * 22 + ["three_way"]
    assert {a.minutes for a in apps if a.kind == "group"} == {150}
    assert not any(a.counts_towards_rar for a in apps)


def test_beai_is_sequenced_before_domestic_abuse_work() -> None:
    """BEAI: 'You can sequence this intervention to start before a service user begins on a
    domestic abuse intervention.'"""
    assert REAL is not None
    plan = factories.plan(["domestic-abuse-programme", "beai"], rar_max_days=20)
    apps = make_schedule(plan, REAL).schedule.appointments
    first = {
        i: min(a.date for a in apps if a.intervention == i)
        for i in ("beai", "domestic-abuse-programme")
    }
    assert first["beai"] < first["domestic-abuse-programme"]


def test_msrp_starts_with_the_three_way_assessment() -> None:
    assert REAL is not None
    apps = make_schedule(factories.plan(["msrp-home"]), REAL).schedule.appointments
    assert [a.kind for a in apps] == ["assessment"] + ["individual"] * 5


def test_through_the_gate_is_custody_only() -> None:
    assert REAL is not None
    out = make_schedule(factories.plan(["ttg-level-1", "ttg-level-2", "job-club"]), REAL)
    assert {u.intervention for u in out.schedule.unscheduled} == {"ttg-level-1", "ttg-level-2"}


def test_a_60_day_high_intensity_plan_across_christmas() -> None:
    """Six interventions, 60 RAR days, from 14 December 2026: compact fits them side by side,
    never on a closed day. One at a time (steady) 50 weekly sessions and the year's bank
    holidays do not fit in 12 months: refused, naming what does not fit and the choices."""
    assert REAL is not None
    ids = [
        "job-club",
        "anger-management",
        "compulsive-obsessive-behaviour",
        "positive-futures",
        "beai",
        "msrp-home",
    ]
    plan = factories.plan(ids, rar_max_days=60, start=date(2026, 12, 14))
    out = make_schedule(plan, REAL, Options(strategy="compact"))
    check_invariants(plan, out.schedule, 60)
    closed = {date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}
    assert not closed & {a.date for a in out.schedule.appointments}
    # (the rhythm keeps its weekday after each bank holiday, so only the last session is lost)
    with pytest.raises(RefusedByRules, match="msrp-home session 6: no date before") as info:
        make_schedule(plan, REAL, Options(strategy="steady"))
    assert "the compact strategy" in info.value.hint
    assert info.value.needs == ("strategy", "days", "unavailable")
    fewer = factories.plan(
        ids, rar_max_days=60, start=date(2026, 12, 14), appointments={"msrp-home": 3}
    )
    steady = make_schedule(fewer, REAL, Options(strategy="steady")).schedule
    check_invariants(fewer, steady, 60)
    assert steady.rar_days_planned == 47
