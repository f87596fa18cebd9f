"""A steady rhythm keeps its weekday after a bank holiday (issue 17).

The guidance (docs/sources/001_246201b7ec5ee73b.txt, section 7) leaves the spacing of RAR days to
the officer; the agreement with the person is a weekly time. A session that falls on an England
and Wales bank holiday moves to the next date the person can attend, and the next one goes back
to the rhythm's weekday (before issue 17, Easter Monday's session moved to the Tuesday and every
later one stayed there).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rarplan.schedule.calendar import bank_holidays
from rarplan.schedule.make import Options, make_schedule
from tests import factories
from tests.schedule.test_scheduling_support import check_invariants, test_catalogue

CAT = test_catalogue()
WEEK = timedelta(days=7)
# Every bank holiday on a weekday, 2026 to 2030.
HOLIDAYS = sorted(d for year in range(2026, 2031) for d in bank_holidays(year) if d.weekday() < 5)
CLOSED = frozenset(d for year in range(2025, 2032) for d in bank_holidays(year))


def beai_dates(start: date) -> list[date]:
    plan = factories.plan(["beai"], start=start, rar_max_days=10)
    out = make_schedule(plan, CAT, Options(strategy="steady"))
    check_invariants(plan, out.schedule, out.rar_max_days)
    return [a.date for a in out.schedule.appointments if a.intervention == "beai"]


def next_open(day: date) -> date:
    while day.weekday() >= 5 or day in CLOSED:
        day += timedelta(days=1)
    return day


def test_easter_monday_moves_one_session_and_the_next_returns_to_monday() -> None:
    """From Monday 15 March 2027: Easter Monday (29 March) is closed, so that session is on
    Tuesday 30 March and the next on Monday 5 April, not Tuesday 6 April."""
    got = beai_dates(date(2027, 3, 15))
    assert got == [
        date(2027, 3, 15),
        date(2027, 3, 22),
        date(2027, 3, 30),
        date(2027, 4, 5),
        date(2027, 4, 12),
        date(2027, 4, 19),
    ]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(HOLIDAYS), st.integers(min_value=1, max_value=5))
def test_the_rhythm_keeps_its_weekday_around_any_bank_holiday(holiday: date, weeks: int) -> None:
    """Whatever the bank holiday, a weekly rhythm that meets it: no appointment on a bank
    holiday, each session on its week's rhythm date when that is open, else the next open
    date, and the rhythm's weekday again the week after."""
    start = next_open(holiday - weeks * WEEK)
    got = beai_dates(start)
    assert not set(got) & CLOSED
    for n, day in enumerate(got):
        meant = got[0] + n * WEEK
        assert day == next_open(meant), (n, meant, day)
    for n in range(1, len(got)):
        moved = got[n - 1] != got[0] + (n - 1) * WEEK
        if moved and got[0] + n * WEEK not in CLOSED:  # the week after a holiday week
            assert got[n].weekday() == got[0].weekday(), (n, got)
