"""The RAR-day rule (rarplan.model.rardays), from the RAR guidance
(docs/sources/001_246201b7ec5ee73b.txt): section 4, "what counts as a RAR day" ("2 or more
separate planned activities or sessions in the same day" are one day); section 5 (offender
management appointments "do not count as RAR days"); section 7: a day is used only when the
person attended the activity (attended and complied, or attended but failed to comply); an
absence, being sent home or a session not held uses none, and the session is offered again.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rarplan.model.contacts import OUTCOMES
from rarplan.model.plan import Appointment, AttendanceRecord
from rarplan.model.rardays import (
    COUNTING_OUTCOMES,
    MISSED_OUTCOMES,
    OFFENDER_MANAGEMENT,
    counts_towards_rar,
    dates_planned,
    dates_used,
    days_planned,
    days_used,
)

MONDAY = date(2027, 1, 11)
EARLIER_WORDS = ("attended", "late", "acceptable_absence", "unacceptable_absence", "not_held")


def appointment(
    day: date, intervention: str = "msrp-home", session: int = 1, counts: bool = True
) -> Appointment:
    return Appointment(
        date=day,
        start="10:00",
        minutes=60,
        intervention=intervention,
        session=session,
        kind="offender_management" if intervention == OFFENDER_MANAGEMENT else "individual",
        counts_towards_rar=counts,
    )


def record(
    day: date, outcome: str = "attended", intervention: str = "msrp-home", counts: bool = True
) -> AttendanceRecord:
    return AttendanceRecord.model_validate(
        {
            "date": day,
            "intervention": intervention,
            "session": 1,
            "outcome": outcome,
            "counts_towards_rar": counts,
        }
    )


def test_two_activities_on_one_date_are_one_rar_day():
    """Section 4: 2 or more separate planned activities in the same day count as 1 day."""
    same_day = [appointment(MONDAY, "msrp-home"), appointment(MONDAY, "job-club")]
    assert days_planned(same_day) == 1
    assert days_planned([*same_day, appointment(MONDAY + timedelta(days=1))]) == 2
    assert dates_planned(same_day) == [MONDAY]


def test_offender_management_never_counts_even_if_a_file_says_so():
    """Section 5: the RO's offender-management appointments are not RAR days."""
    om = appointment(MONDAY, OFFENDER_MANAGEMENT, counts=True)
    assert not counts_towards_rar(om)
    assert days_planned([om]) == 0
    assert days_used([record(MONDAY, intervention=OFFENDER_MANAGEMENT, counts=True)]) == 0


def test_an_entry_that_does_not_count_is_no_rar_day():
    assert days_planned([appointment(MONDAY, counts=False)]) == 0


def test_only_attending_uses_a_day():
    """Section 7: attended (complied or not) uses a day; every other contact outcome does
    not, and is a session to offer again."""
    assert COUNTING_OUTCOMES == frozenset({"attended_complied", "attended_failed_to_comply"})
    assert MISSED_OUTCOMES == frozenset(OUTCOMES) - COUNTING_OUTCOMES
    for outcome in OUTCOMES:
        used = days_used([record(MONDAY, outcome)])
        assert used == (1 if outcome.startswith("attended") else 0), outcome


def test_the_earlier_five_words_still_read_and_count_as_before():
    """attended and late used a day, the others did not: read as aliases, they still do."""
    for word in EARLIER_WORDS:
        used = days_used([record(MONDAY, word)])
        assert used == (1 if word in ("attended", "late") else 0), word
    late = record(MONDAY, "late")
    assert (late.outcome, late.note) == ("attended_complied", "late")


def test_a_missed_appointment_is_not_a_day_planned():
    """A re-plan keeps a missed appointment as what happened: it uses no day (section 7)."""
    appointments = [appointment(MONDAY), appointment(MONDAY + timedelta(days=7))]
    records = [record(MONDAY, "failed_to_attend")]
    assert days_planned(appointments) == 2
    assert days_planned(appointments, records) == 1
    assert dates_planned(appointments, records) == [MONDAY + timedelta(days=7)]


def test_days_used_are_the_distinct_dates_in_order():
    records = [
        record(MONDAY + timedelta(days=3)),
        record(MONDAY, "late"),
        record(MONDAY, "attended", intervention="job-club"),
        record(MONDAY + timedelta(days=1), "unacceptable_absence"),
    ]
    assert dates_used(records) == [MONDAY, MONDAY + timedelta(days=3)]
    assert days_used(records) == 2


# --- Properties ------------------------------------------------------------------------------

INTERVENTIONS = st.sampled_from(["msrp-home", "job-club", "beai", OFFENDER_MANAGEMENT])
DAYS = st.integers(min_value=0, max_value=60).map(lambda n: MONDAY + timedelta(days=n))
APPOINTMENTS = st.lists(
    st.builds(appointment, DAYS, INTERVENTIONS, st.integers(1, 20), st.booleans()), max_size=40
)
RECORDS = st.lists(
    st.builds(record, DAYS, st.sampled_from(OUTCOMES), INTERVENTIONS, st.booleans()),
    max_size=40,
)


@given(APPOINTMENTS)
def test_days_planned_are_the_distinct_counting_dates(appointments):
    counting = [
        a for a in appointments if a.counts_towards_rar and a.intervention != OFFENDER_MANAGEMENT
    ]
    assert days_planned(appointments) == len({a.date for a in counting})
    assert days_planned(appointments) <= len(counting) <= len(appointments)
    assert dates_planned(appointments) == sorted(set(dates_planned(appointments)))


@given(APPOINTMENTS)
def test_offender_management_contacts_change_nothing(appointments):
    others = [a for a in appointments if a.intervention != OFFENDER_MANAGEMENT]
    assert dates_planned(appointments) == dates_planned(others)


@given(RECORDS)
def test_days_used_never_exceed_the_records_that_took_place(records):
    took_place = [
        r
        for r in records
        if r.outcome in COUNTING_OUTCOMES
        and r.counts_towards_rar
        and r.intervention != OFFENDER_MANAGEMENT
    ]
    assert days_used(records) == len({r.date for r in took_place}) <= len(took_place)
    without_om = [r for r in records if r.intervention != OFFENDER_MANAGEMENT]
    assert dates_used(records) == dates_used(without_om)
