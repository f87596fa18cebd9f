"""The scheduler on examples: real dates, the card's durations, the guidance's day rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pytest

from rarplan.model.errors import InvalidInput, RefusedByRules
from rarplan.model.plan import Availability, DateRange, Plan
from rarplan.model.rardays import days_planned
from rarplan.schedule.calendar import Calendar, bank_holidays
from rarplan.schedule.make import Options, make_schedule, order_end
from rarplan.schedule.sessions import Slot
from tests import factories
from tests.schedule.test_scheduling_support import check_invariants, test_catalogue, weekly

CAT = test_catalogue()
CHRISTMAS_CLOSED = [date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)]
EASTER_CLOSED = [date(2027, 3, 26), date(2027, 3, 29)]


def dates(plan: Plan, entry_id: str, **options: object) -> list[date]:
    out = make_schedule(plan, CAT, Options(**options))  # type: ignore[arg-type]
    check_invariants(plan, out.schedule, out.rar_max_days)
    return [a.date for a in out.schedule.appointments if a.intervention == entry_id]


def with_availability(
    plan: Plan, days: list[str] | None = None, unavailable: Sequence[tuple[date, date]] = ()
) -> Plan:
    av = Availability.model_validate(
        {
            "days": days or ["mon", "tue", "wed", "thu", "fri"],
            "unavailable": [DateRange(start=s, end=e) for s, e in unavailable],
        }
    )
    return plan.model_copy(update={"availability": av})


# -- the calendar ---------------------------------------------------------------------------


def test_bank_holidays_of_england_and_wales_2026_2027() -> None:
    """Issue 3: no appointments on England and Wales bank holidays (the `holidays` package)."""
    closed = bank_holidays(2026) | bank_holidays(2027)
    for day in CHRISTMAS_CLOSED + EASTER_CLOSED:
        assert day in closed
    assert date(2026, 12, 26) in closed  # Boxing Day is a Saturday; substitute on the 28th


def test_order_end_is_calendar_months_less_a_day() -> None:
    """The order runs from its start for length_months calendar months (README convention)."""
    assert order_end(date(2027, 1, 4), 12) == date(2028, 1, 3)
    assert order_end(date(2027, 1, 31), 1) == date(2027, 2, 27)  # 31 Jan + 1 month = 28 Feb
    assert order_end(date(2028, 1, 31), 1) == date(2028, 2, 28)  # leap year: 29 Feb
    assert order_end(date(2027, 11, 15), 3) == date(2028, 2, 14)


def test_calendar_next_available_skips_weekends_holidays_and_unavailable() -> None:
    cal = Calendar(
        date(2026, 12, 21),
        date(2027, 1, 31),
        ["mon", "tue", "wed"],
        [(date(2026, 12, 29), date(2026, 12, 30))],
    )
    assert cal.next_available(date(2026, 12, 24)) == date(2027, 1, 4)
    assert cal.next_on_weekday(date(2026, 12, 22), 0) == date(2027, 1, 4)  # 28 Dec closed
    assert cal.next_available(date(2027, 2, 1)) is None  # after the order


# -- Christmas and Easter 2027 --------------------------------------------------------------


def test_weekly_sessions_step_around_christmas_2026() -> None:
    """A plan starting Monday 14 December 2026: nothing on 25 Dec, 28 Dec (substitute Boxing
    Day) or 1 Jan; the third BEAI session moves to Tuesday 29 December, and the fourth goes
    back to the Monday (issue 17: the rhythm keeps its weekday after a bank holiday)."""
    plan = factories.plan(["beai"], start=date(2026, 12, 14), rar_max_days=10)
    got = dates(plan, "beai")
    assert got == [
        date(2026, 12, 14),
        date(2026, 12, 21),
        date(2026, 12, 29),
        date(2027, 1, 4),
        date(2027, 1, 11),
        date(2027, 1, 18),
    ]
    assert not set(got) & set(CHRISTMAS_CLOSED)


def test_group_across_christmas_skips_the_closed_monday_and_unavailable_week() -> None:
    """Job Club weekly on Mondays (no provider time: the first weekday the person can attend),
    the person away 4-8 January: 28 Dec and 4 Jan are skipped, no session is lost."""
    plan = with_availability(
        factories.plan(["job-club"], start=date(2026, 12, 14), rar_max_days=10),
        unavailable=[(date(2027, 1, 4), date(2027, 1, 8))],
    )
    got = dates(plan, "job-club")
    assert got[:4] == [date(2026, 12, 14), date(2026, 12, 21), date(2027, 1, 11), date(2027, 1, 18)]
    assert len(got) == 10 and all(d.weekday() == 0 for d in got)


def test_friday_group_skips_christmas_day_and_new_years_day() -> None:
    """Christmas Day and New Year's Day 2027 fall on Fridays: a Friday group meets on 18 Dec
    and next on 8 Jan."""
    plan = factories.plan(["job-club"], start=date(2026, 12, 14), rar_max_days=10)
    friday = {"job-club": Slot(4, 18 * 60, None, "timetable.toml")}
    got = dates(plan, "job-club", timetable=friday)
    assert got[:3] == [date(2026, 12, 18), date(2027, 1, 8), date(2027, 1, 15)]


def test_groups_across_easter_2027() -> None:
    """Good Friday 26 March and Easter Monday 29 March 2027 are skipped by weekly groups."""
    plan = factories.plan(["job-club", "steps-one"], start=date(2027, 3, 1), rar_max_days=20)
    friday = {"job-club": Slot(4, 10 * 60, "Canterbury office", "timetable.toml")}
    got = dates(plan, "job-club", timetable=friday)
    assert got[:5] == [
        date(2027, 3, 5),
        date(2027, 3, 12),
        date(2027, 3, 19),
        date(2027, 4, 2),
        date(2027, 4, 9),
    ]
    monday = with_availability(plan, days=["mon"])
    got = dates(monday, "job-club")
    assert date(2027, 3, 29) not in got and date(2027, 4, 5) in got
    assert not set(got) & set(EASTER_CLOSED)


# -- durations from the card ----------------------------------------------------------------


def test_programme_individual_sessions_first_three_way_last() -> None:
    """Resolve: 22 groups of 2.5 hours, four individual sessions, one post-programme three-way
    (rate card, Resolve); individual sessions before the group, three-way last (issue 3).
    Resolve is an accredited programme: timetabled, but no RAR days."""
    plan = factories.plan(["resolve"], rar_max_days=1, length_months=12)
    out = make_schedule(plan, CAT)
    apps = [a for a in out.schedule.appointments if a.intervention == "resolve"]
    kinds = [a.kind for a in apps]
    assert kinds == ["individual"] * 4 + ["group"] * 22 + ["three_way"]
    assert [a.session for a in apps] == list(range(1, 28))
    assert {a.minutes for a in apps if a.kind == "group"} == {150}
    groups = [a for a in apps if a.kind == "group"]
    assert all(a.date.weekday() == 0 and a.start == "10:00" for a in groups)  # catalogue time
    assert out.schedule.rar_days_planned == 0 and not any(a.counts_towards_rar for a in apps)


def test_modular_service_defaults_to_six_one_hour_appointments() -> None:
    """MSRP: 'maximum of six hours including any assessment' with a three-way assessment."""
    out = make_schedule(factories.plan(["msrp-home"]), CAT)
    apps = out.schedule.appointments
    assert [a.kind for a in apps] == ["assessment"] + ["individual"] * 5
    assert {a.minutes for a in apps} == {60}
    fewer = make_schedule(factories.plan(["msrp-home"], appointments={"msrp-home": 3}), CAT)
    assert len(fewer.schedule.appointments) == 3


def test_modular_service_cannot_exceed_the_card_hours() -> None:
    plan = factories.plan(["msrp-home"], appointments={"msrp-home": 7})
    with pytest.raises(InvalidInput) as info:
        make_schedule(plan, CAT, name="X.plan.toml")
    assert info.value.message == (
        "X.plan.toml: selected[0].appointments: 7 appointments for msrp-home is more than the "
        "card's maximum of 6 hours (one hour each)"
    )


def test_up_to_sessions_takes_the_officers_number() -> None:
    """'Up to 12 sessions dependent on need, 90 minutes per session'."""
    plan = factories.plan(
        ["domestic-abuse-one-to-one"], appointments={"domestic-abuse-one-to-one": 8}
    )
    apps = make_schedule(plan, CAT).schedule.appointments
    assert len(apps) == 8 and {a.minutes for a in apps} == {90}
    too_many = factories.plan(
        ["domestic-abuse-one-to-one"], appointments={"domestic-abuse-one-to-one": 13}
    )
    with pytest.raises(InvalidInput, match="up to 12"):
        make_schedule(too_many, CAT)


def test_full_day_runs_0930_to_1530() -> None:
    apps = make_schedule(factories.plan(["cscs-card-training"]), CAT).schedule.appointments
    assert [(a.start, a.minutes, a.kind) for a in apps] == [("09:30", 360, "full_day")] * 2


def test_mentoring_block_contacts_spread_over_the_months() -> None:
    """Mentor Support: six, 12 or 18 month blocks; one contact a month by default."""
    plan = factories.plan(["mentor-support"], rar_max_days=20)
    apps = make_schedule(plan, CAT).schedule.appointments
    assert len(apps) == 6 and {a.kind for a in apps} == {"mentoring"}
    assert (apps[-1].date - apps[0].date).days < 183
    short = factories.plan(["mentor-support"], length_months=3)
    with pytest.raises(RefusedByRules, match="6-month block would end after the order"):
        make_schedule(short, CAT)


def test_negotiated_without_count_is_unscheduled_with_the_reason() -> None:
    out = make_schedule(factories.plan(["practitioner-toolkit", "beai"]), CAT)
    assert [u.model_dump() for u in out.schedule.unscheduled] == [
        {
            "intervention": "practitioner-toolkit",
            "sessions": 0,
            "reason": "the card gives no session count: set appointments for practitioner-toolkit "
            "in the plan",
        }
    ]
    assert any("practitioner-toolkit" in w for w in out.warnings)
    given = factories.plan(["practitioner-toolkit"], appointments={"practitioner-toolkit": 4})
    assert len(make_schedule(given, CAT).schedule.appointments) == 4


def test_verge_of_recall_sessions_fall_within_two_weeks() -> None:
    """'Takes place over two weeks; the volume of sessions depends on the needs'."""
    plan = factories.plan(["verge-of-recall"], appointments={"verge-of-recall": 4})
    apps = make_schedule(plan, CAT).schedule.appointments
    assert len(apps) == 4 and (apps[-1].date - apps[0].date).days <= 14


def test_custody_services_and_those_waiting_for_them_are_unscheduled() -> None:
    """TTG levels are custody services; level 2 waits for level 1 (rate card, TTG)."""
    out = make_schedule(factories.plan(["ttg-level-2", "ttg-level-1", "beai"]), CAT)
    reasons = {u.intervention: u.reason for u in out.schedule.unscheduled}
    assert "custody" in reasons["ttg-level-1"] and "custody" in reasons["ttg-level-2"]
    assert {a.intervention for a in out.schedule.appointments} == {"beai"}


# -- order between interventions ------------------------------------------------------------


@pytest.mark.parametrize("strategy", ["steady", "compact"])
def test_prerequisite_completes_first_and_beai_starts_before_da(strategy: str) -> None:
    """Prerequisites before (TTG 1 -> 2 -> 3 pattern); BEAI may be sequenced before a domestic
    abuse intervention (rate card, BEAI) whatever order the plan lists them in."""
    plan = factories.plan(
        ["steps-two", "domestic-abuse-programme", "steps-one", "beai"], rar_max_days=40
    )
    apps = make_schedule(plan, CAT, Options(strategy=strategy)).schedule.appointments  # type: ignore[arg-type]
    by = {
        i: [a.date for a in apps if a.intervention == i]
        for i in ("steps-one", "steps-two", "beai", "domestic-abuse-programme")
    }
    assert max(by["steps-one"]) < min(by["steps-two"])
    assert min(by["beai"]) < min(by["domestic-abuse-programme"])


# -- RAR days -------------------------------------------------------------------------------


def test_two_activities_on_one_date_are_one_rar_day() -> None:
    """Guidance section 4: '2 or more separate planned activities or sessions in the same day'
    count as one day. Compact pairs sessions, so it needs fewer days than steady."""
    plan = factories.plan(["job-club", "beai"], rar_max_days=16)
    steady = make_schedule(plan, CAT, Options(strategy="steady")).schedule
    compact = make_schedule(plan, CAT, Options(strategy="compact")).schedule
    assert steady.rar_days_planned == 16
    assert compact.rar_days_planned == days_planned(compact.appointments) == 10
    shared = {a.date for a in compact.appointments if a.intervention == "beai"}
    assert shared <= {a.date for a in compact.appointments if a.intervention == "job-club"}


def test_over_the_courts_maximum_is_refused_with_what_and_the_choices() -> None:
    """Sections 4 and 7: never more days than the court ordered; never a partial plan."""
    plan = factories.plan(["beai", "job-club", "msrp-home"], rar_max_days=15)
    with pytest.raises(RefusedByRules) as info:
        make_schedule(plan, CAT)
    err = info.value
    assert err.message == (
        "cannot fit within the court's maximum of 15 RAR days: this schedule needs 22; 7 too "
        "many, so these do not fit: job-club session 10; msrp-home sessions 1-6"
    )
    assert "fewer hours of a modular service (msrp-home: 6 appointments now" in err.hint
    assert "drop an intervention (beai (6 RAR days), job-club (10 RAR days)" in err.hint
    assert "the compact strategy (interventions side by side" in err.hint
    assert err.needs == ("strategy",)  # the CLI words it as --strategy compact
    assert "court's maximum of 15 RAR days is too low" in err.hint


def test_order_too_short_is_refused_naming_the_sessions() -> None:
    plan = factories.plan(["job-club", "cadu"], length_months=3, rar_max_days=30)
    with pytest.raises(
        RefusedByRules,
        match=r"cadu sessions \d+-12: no date before the order "
        r"ends on 2027-04-03",
    ):
        make_schedule(plan, CAT)
    fits = make_schedule(plan, CAT, Options(strategy="compact")).schedule
    assert fits.rar_days_planned == 22


def test_group_on_a_day_the_person_cannot_attend_is_refused() -> None:
    plan = with_availability(factories.plan(["cadu"]), days=["mon", "tue"])
    with pytest.raises(RefusedByRules, match="group runs on Thursdays .*cannot attend"):
        make_schedule(plan, CAT)


def test_offender_management_never_counts() -> None:
    """Guidance section 5: RO appointments 'do not count as RAR days'."""
    plan = factories.plan(["beai"], rar_max_days=6)
    out = make_schedule(plan, CAT, Options(offender_management="weekly")).schedule
    om = [a for a in out.appointments if a.intervention == "offender-management"]
    assert len(om) >= 50 and not any(a.counts_towards_rar for a in om)
    assert out.rar_days_planned == 6


def test_start_option_must_fall_within_the_order() -> None:
    plan = factories.plan(["beai"])
    later = make_schedule(plan, CAT, Options(start=date(2027, 2, 1))).schedule
    assert later.appointments[0].date == date(2027, 2, 1)
    assert later.order_end == date(2028, 1, 3)  # the court's order does not move
    with pytest.raises(RefusedByRules, match="outside the order"):
        make_schedule(plan, CAT, Options(start=date(2026, 12, 1)))


def test_only_a_sentenced_running_rar_is_scheduled() -> None:
    """After sentence (guidance section 4: the RO plans once the court has set the days)."""
    from rarplan.model.plan import Completion

    pre = factories.plan(["beai"])
    pre.case.sentence.stage = "pre_sentence"
    with pytest.raises(RefusedByRules, match="not sentenced yet"):
        make_schedule(pre, CAT)
    done = factories.plan(["beai"]).model_copy(
        update={
            "completion": Completion(
                completed_on=date(2027, 6, 1),
                status="completed",
                rar_days_ordered=20,
                rar_days_completed=20,
            )
        }
    )
    with pytest.raises(RefusedByRules, match="completed on 2027-06-01"):
        make_schedule(done, CAT)


def test_missing_sentence_facts_name_the_key() -> None:
    plan = factories.plan(["beai"])
    plan.case.sentence.length_months = None
    with pytest.raises(InvalidInput, match="case.sentence.length_months"):
        make_schedule(plan, CAT, name="X.plan.toml")


# -- re-planning ----------------------------------------------------------------------------


def test_replan_keeps_the_past_and_counts_days_used() -> None:
    """Re-plan from a date: appointments before it stay (a session not held among them, as what
    happened, using no day), the session not held is offered again, and the days already used
    count against the maximum (guidance section 4)."""
    from rarplan.model.plan import AttendanceRecord
    from rarplan.schedule.apply import Request, schedule_plan

    plan = factories.plan(["beai", "job-club"], rar_max_days=17)
    at = datetime(2027, 1, 4, 9, 0)
    first, _ = schedule_plan(plan, CAT, Request(by="RO Test"), at=at)
    assert first.schedule is not None
    beai = [a for a in first.schedule.appointments if a.intervention == "beai"]
    assert [a.date for a in beai] == weekly(date(2027, 1, 4), 6)
    records = [
        AttendanceRecord(date=a.date, intervention="beai", session=a.session, outcome="attended")
        for a in beai[:3]
    ]
    records[1] = records[1].model_copy(update={"outcome": "not_held"})
    first = first.model_copy(update={"attendance": records})
    request = Request(
        replan_from=date(2027, 2, 1), reason="moved to Wednesdays", by="RO Test", days=("wed",)
    )
    second, out = schedule_plan(first, CAT, request, at=datetime(2027, 1, 27, 15, 0))
    s = second.schedule
    assert s is not None
    assert s.version == 2 and s.replanned_from == date(2027, 2, 1)
    kept = [a for a in s.appointments if a.date < date(2027, 2, 1)]
    assert [(a.date, a.session) for a in kept] == [
        (date(2027, 1, 4), 1),
        (date(2027, 1, 11), 2),
        (date(2027, 1, 18), 3),
        (date(2027, 1, 25), 4),
    ]
    assert s.rar_days_used == 3  # the session not held on 11 January used no day
    redone = [a for a in s.appointments if a.intervention == "beai" and a.session == 2]
    assert [a.offer for a in redone] == [None, 2]
    assert redone[1].date >= date(2027, 2, 1) and redone[1].date.weekday() == 2
    assert all(a.date.weekday() == 2 for a in s.appointments if a.date >= date(2027, 2, 1))
    assert [h.action for h in second.history] == ["schedule", "reschedule"]
    assert second.history[-1].schedule == first.schedule
    assert second.history[-1].reason == "moved to Wednesdays"
    check_invariants(second, s, out.rar_max_days)


def test_replan_refused_when_days_used_leave_too_few() -> None:
    from rarplan.schedule.apply import Request, schedule_plan

    plan = factories.plan(["beai", "job-club"], rar_max_days=16)
    first, _ = schedule_plan(plan, CAT, Request(), at=datetime(2027, 1, 4))
    grown = first.model_copy(
        update={"selected": [*first.selected, *factories.plan(["steps-one"]).selected]}
    )
    with pytest.raises(RefusedByRules, match=r"this schedule needs 19, 4 of them already used"):
        schedule_plan(
            grown, CAT, Request(replan_from=date(2027, 2, 1), reason="x"), at=datetime(2027, 2, 1)
        )
