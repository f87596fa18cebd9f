"""The RAR-day rule, once: which appointments count, which outcomes use a day, how many days.

From the RAR guidance (docs/sources/001_246201b7ec5ee73b.txt):
- section 4, "what counts as a RAR day": a RAR day is not a whole day of activity; "2 or more
  separate planned activities or sessions in the same day" count as 1 day. So the days are the
  distinct dates with at least one activity that counts.
- section 5: the RO's offender-management appointments "do not count as RAR days".
- section 7: the court's number is a maximum of days the person is instructed to attend; a day
  is used when the person attended and the activity took place: "attended and complied", or
  "attended, failed to comply" (they were there; the failure is enforced, not un-counted). An
  absence of any kind, being sent home (for behaviour or the service's reasons) or a session
  not held uses no day: the activity did not take place for the person, so the session is
  offered again (`MISSED_OUTCOMES`), still within the court's maximum (section 4).

Scheduling (days planned), attendance and completion (days used), the documents and the
caseload all count with these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from rarplan.model.contacts import OUTCOMES
from rarplan.model.plan import AttendanceOutcome, AttendanceRecord

# The intervention id of the RO's offender-management appointments (section 5: never a RAR day).
OFFENDER_MANAGEMENT = "offender-management"

# The attendance outcomes that use a RAR day: the person attended the activity (section 4, 7).
COUNTING_OUTCOMES: frozenset[AttendanceOutcome] = frozenset(
    {"attended_complied", "attended_failed_to_comply"}
)
# The others: the session did not take place for the person; re-planning offers it again.
MISSED_OUTCOMES: frozenset[AttendanceOutcome] = frozenset(OUTCOMES) - COUNTING_OUTCOMES


class Activity(Protocol):
    """An appointment, or the attendance record of one: what the rule looks at."""

    @property
    def date(self) -> date: ...

    @property
    def intervention(self) -> str: ...

    @property
    def session(self) -> int: ...

    @property
    def counts_towards_rar(self) -> bool: ...


def counts_towards_rar(activity: Activity) -> bool:
    """Whether an appointment is a RAR activity: its catalogue entry counts, and it is not an
    offender-management appointment (section 5), whatever a hand-edited file says."""
    return activity.counts_towards_rar and activity.intervention != OFFENDER_MANAGEMENT


def dates_planned(
    appointments: Iterable[Activity], records: Iterable[AttendanceRecord] = ()
) -> list[date]:
    """The distinct dates with at least one counting appointment, in order (section 4). An
    appointment whose record (in `records`) shows it missed uses no day: a re-plan keeps it in
    the schedule, as what happened, and offers the session again."""
    gone = {(r.date, r.intervention, r.session) for r in records if missed(r)}
    return sorted(
        {
            a.date
            for a in appointments
            if counts_towards_rar(a) and (a.date, a.intervention, a.session) not in gone
        }
    )


def days_planned(appointments: Iterable[Activity], records: Iterable[AttendanceRecord] = ()) -> int:
    """RAR days planned: two or more counting appointments on one date are one day."""
    return len(dates_planned(appointments, records))


def missed(record: AttendanceRecord) -> bool:
    """Whether a recorded session did not take place for the person (no day used)."""
    return record.outcome in MISSED_OUTCOMES


def uses_a_day(record: AttendanceRecord) -> bool:
    """Whether an attendance record uses a RAR day: a counting activity that took place."""
    return record.outcome in COUNTING_OUTCOMES and counts_towards_rar(record)


def dates_used(records: Iterable[AttendanceRecord]) -> list[date]:
    """The RAR days completed, as dates in order: distinct dates with a record that uses a day."""
    return sorted({r.date for r in records if uses_a_day(r)})


def days_used(records: Iterable[AttendanceRecord]) -> int:
    """RAR days completed: attended counting activities, one per date."""
    return len(dates_used(records))
