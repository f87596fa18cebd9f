"""Properties of every schedule, over random catalogues, plans and calendars (issue 3,
'Done when'; RAR guidance docs/sources/001_246201b7ec5ee73b.txt sections 4, 5 and 7).

For each random plan the scheduler either refuses (saying what does not fit, with choices) or
returns a schedule where: RAR days = distinct counting dates <= the court's maximum; nothing on a
weekend, bank holiday, unavailable weekday or date; no overlaps; every session scheduled once or
listed as unscheduled with a reason; sessions in order, prerequisites and sequencing kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rarplan.model.contacts import OUTCOMES
from rarplan.model.dates import minutes_of
from rarplan.model.errors import RefusedByRules
from rarplan.model.plan import AttendanceRecord, Availability, DateRange, Plan
from rarplan.model.rardays import MISSED_OUTCOMES, OFFENDER_MANAGEMENT, days_planned
from rarplan.schedule.apply import Request, schedule_plan
from rarplan.schedule.make import Options, make_schedule
from tests import factories
from tests.schedule.test_scheduling_support import check_invariants, entry, test_catalogue

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Spec:
    """One random catalogue entry and what the test expects of it (worked out here, not by
    the scheduler)."""

    data: dict[str, Any]
    expected: int  # sessions to place; 0 with `unschedulable`
    unschedulable: bool = False
    appointments: int | None = None


@st.composite
def specs(draw: st.DrawFn, index: int, earlier: list[str]) -> Spec:
    entry_id = f"service-{index}"
    counts = draw(st.booleans()) or draw(st.booleans())  # mostly counting
    extra: dict[str, Any] = {"counts_towards_rar": counts}
    if earlier and draw(st.integers(0, 3)) == 0:
        extra["prerequisites"] = [draw(st.sampled_from(earlier))]
    shape = draw(
        st.sampled_from(
            [
                "group",
                "individual",
                "programme",
                "modular",
                "months",
                "negotiated",
                "custody",
                "up_to",
            ]
        )
    )
    minutes = st.sampled_from([None, 60, 90, 120, 150])
    if shape == "group":
        n = draw(st.integers(1, 12))
        if draw(st.booleans()):
            extra["timetable"] = {
                "weekday": draw(st.sampled_from(WEEKDAYS)),
                "start": draw(st.sampled_from(["09:30", "13:00", "18:00"])),
            }
        return Spec(
            entry(
                entry_id,
                {"sessions": [{"kind": "group", "count": n, "minutes": draw(minutes)}]},
                **extra,
            ),
            n,
        )
    if shape == "individual":
        n = draw(st.integers(1, 8))
        return Spec(
            entry(
                entry_id,
                {"sessions": [{"kind": "individual", "count": n, "minutes": draw(minutes)}]},
                **extra,
            ),
            n,
        )
    if shape == "programme":
        g, i = draw(st.integers(1, 10)), draw(st.integers(1, 4))
        parts = [
            {"kind": "group", "count": g, "minutes": 150},
            {"kind": "individual", "count": i, "minutes": 60},
            {"kind": "three_way", "count": 1},
        ]
        return Spec(entry(entry_id, {"sessions": parts}, **extra), g + i + 1)
    if shape == "up_to":
        n = draw(st.integers(2, 12))
        chosen = draw(st.none() | st.integers(1, n))
        parts = [{"kind": "individual", "count": n, "minutes": 90, "up_to": True}]
        return Spec(entry(entry_id, {"sessions": parts}, **extra), chosen or n, appointments=chosen)
    if shape == "modular":
        hours = draw(st.integers(1, 6))
        chosen = draw(st.none() | st.integers(1, hours))
        duration = {"max_hours": hours, "three_way_assessment": draw(st.booleans())}
        return Spec(entry(entry_id, duration, **extra), chosen or hours, appointments=chosen)
    if shape == "months":
        block = draw(st.sampled_from([1, 2, 3, 6]))
        chosen = draw(st.none() | st.integers(1, 8))
        return Spec(
            entry(entry_id, {"months": [block]}, **extra), chosen or block, appointments=chosen
        )
    if shape == "negotiated":
        chosen = draw(st.none() | st.integers(1, 6))
        duration = {"negotiated": True, **({"over_weeks": 2} if draw(st.booleans()) else {})}
        return Spec(
            entry(entry_id, duration, **extra),
            chosen or 0,
            unschedulable=chosen is None,
            appointments=chosen,
        )
    return Spec(
        entry(
            entry_id, {"sessions": [{"kind": "individual", "count": 3}]}, setting="custody", **extra
        ),
        0,
        unschedulable=True,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Plan, list[Spec], Options]:
    n = draw(st.integers(1, 6))
    spec_list: list[Spec] = []
    for i in range(n):
        spec_list.append(draw(specs(i, [s.data["id"] for s in spec_list])))
    if n > 1 and draw(st.booleans()):  # "may run before" (BEAI before domestic abuse work)
        spec_list[0].data["may_precede"] = [spec_list[-1].data["id"]]
    start = draw(st.dates(date(2026, 1, 1), date(2028, 12, 31)))
    plan = factories.plan(
        [s.data["id"] for s in spec_list],
        start=start,
        length_months=draw(st.integers(1, 24)),
        rar_max_days=draw(st.integers(1, 60)),
        appointments={s.data["id"]: s.appointments for s in spec_list if s.appointments},
    )
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=5, unique=True))
    ranges = []
    for _ in range(draw(st.integers(0, 3))):
        first = start + timedelta(days=draw(st.integers(0, 365)))
        ranges.append(DateRange(start=first, end=first + timedelta(days=draw(st.integers(0, 20)))))
    plan = plan.model_copy(
        update={"availability": Availability.model_validate({"days": days, "unavailable": ranges})}
    )
    options = Options(
        strategy=draw(st.sampled_from(["steady", "compact"])),
        offender_management=draw(st.sampled_from(["none", "weekly", "fortnightly", "monthly"])),
    )
    return plan, spec_list, options


def _check_sessions(plan: Plan, spec_list: list[Spec], strategy: str) -> None:
    s = plan.schedule
    assert s is not None
    placed: dict[str, list[Any]] = {}
    for a in s.appointments:
        placed.setdefault(a.intervention, []).append(a)
    unscheduled = {u.intervention: u for u in s.unscheduled}
    blocked = {sp.data["id"] for sp in spec_list if sp.unschedulable}
    for sp in spec_list:  # an entry waiting for an unschedulable one is unschedulable too
        if set(sp.data.get("prerequisites", [])) & blocked:
            blocked.add(sp.data["id"])
    for sp in spec_list:
        entry_id = sp.data["id"]
        apps = placed.get(entry_id, [])
        if entry_id in blocked:
            assert not apps and unscheduled[entry_id].reason
            continue
        assert entry_id not in unscheduled
        assert sorted(a.session for a in apps) == list(range(1, sp.expected + 1)), entry_id
        in_time = sorted(apps, key=lambda a: (a.date, minutes_of(a.start)))
        assert [a.session for a in in_time] == sorted(a.session for a in apps)
        kinds = [a.kind for a in in_time]
        if "group" in kinds:  # individual work before the group, the three-way last
            first_group = kinds.index("group")
            assert "individual" not in kinds[first_group:]
        if "three_way" in kinds:
            assert kinds[-1] == "three_way"
    for sp in spec_list:
        entry_id = sp.data["id"]
        if entry_id in blocked:
            continue
        for before in sp.data.get("prerequisites", []):
            assert max(a.date for a in placed[before]) < min(a.date for a in placed[entry_id])
        for later in sp.data.get("may_precede", []):
            if later in placed and entry_id in placed:
                assert min(a.date for a in placed[entry_id]) < min(a.date for a in placed[later])


@SETTINGS
@given(scenarios())
def test_every_schedule_keeps_the_rules(scenario: tuple[Plan, list[Spec], Options]) -> None:
    plan, spec_list, options = scenario
    catalogue = test_catalogue([s.data for s in spec_list])
    try:
        new, out = schedule_plan(plan, catalogue, Request(options=options), at=datetime(2026, 1, 1))
    except RefusedByRules as err:
        assert err.message.startswith("cannot fit")
        assert err.hint.startswith("choices: ")
        return
    assert new.schedule is not None
    check_invariants(new, new.schedule, out.rar_max_days)
    _check_sessions(new, spec_list, out.schedule.strategy)


@SETTINGS
@given(scenarios(), st.integers(0, 400), st.data())
def test_a_replan_keeps_the_rules_and_the_days_used(
    scenario: tuple[Plan, list[Spec], Options], offset: int, data: st.DataObject
) -> None:
    plan, spec_list, options = scenario
    catalogue = test_catalogue([s.data for s in spec_list])
    try:
        first, out = schedule_plan(
            plan, catalogue, Request(options=options), at=datetime(2026, 1, 1)
        )
    except RefusedByRules:
        return
    assert first.schedule is not None
    since = first.schedule.start + timedelta(days=offset)
    records = [
        AttendanceRecord(
            date=a.date,
            intervention=a.intervention,
            session=a.session,
            outcome=data.draw(st.sampled_from(OUTCOMES)),
        )
        for a in first.schedule.appointments
        if a.date < since
    ]
    before = first.schedule
    first = first.model_copy(update={"attendance": records})
    try:
        second, out = schedule_plan(
            first, catalogue, Request(replan_from=since, reason="r"), at=datetime(2026, 2, 1)
        )
    except RefusedByRules as err:
        assert err.message.startswith(("cannot fit", "re-planning from"))
        return
    s = second.schedule
    assert s is not None and s.version == 2
    check_invariants(second, s, out.rar_max_days)
    # What happened stays (issue 17): every appointment before the date, missed ones included.
    kept = [a for a in before.appointments if a.date < since]
    assert [a for a in s.appointments if a.date < since] == kept
    missed = [r for r in records if r.outcome in MISSED_OUTCOMES]
    assert s.rar_days_used == days_planned(kept, records)
    assert all(a.date >= since for a in s.appointments if a not in kept)
    # ... and every missed session is offered again, after the date, as its next offer.
    for r in missed:
        if r.intervention == OFFENDER_MANAGEMENT:
            continue  # the RO's appointments keep their own rhythm
        again = [
            a
            for a in s.appointments
            if (a.intervention, a.session) == (r.intervention, r.session) and a.date >= since
        ]
        assert [a.offer for a in again] == [2], (r, again)
    assert second.history[-1].action == "reschedule"


def test_make_schedule_is_deterministic() -> None:
    plan = factories.plan(["beai", "job-club", "msrp-home"], rar_max_days=30)
    catalogue = test_catalogue()
    one = make_schedule(plan, catalogue, Options(strategy="compact")).schedule
    two = make_schedule(plan, catalogue, Options(strategy="compact")).schedule
    assert one == two
