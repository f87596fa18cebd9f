"""The RAR-day rule, once: which appointments count, which outcomes use a day, how many days.

From the RAR guidance (docs/sources/001_246201b7ec5ee73b.txt):
- section 4, "what counts as a RAR day": a RAR day is not a whole day of activity; "2 or more
  separate planned activities or sessions in the same day" count as 1 day. So the days are the
  distinct dates with at least one activity that counts.
- section 5: the RO's offender-management appointments "do not count as RAR days".
- section 7: the court's number is a maximum of days the person is instructed to attend; a day
  is used when the activity took place (attended, or late), never by an absence or a session
  that was not held.

Scheduling (days planned), attendance and completion (days used), the documents and the
caseload all count with these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from rarplan.model.plan import AttendanceOutcome, AttendanceRecord

# The intervention id of the RO's offender-management appointments (section 5: never a RAR day).
OFFENDER_MANAGEMENT = "offender-management"

# The attendance outcomes that use a RAR day: the activity took place (section 4).
COUNTING_OUTCOMES: frozenset[AttendanceOutcome] = frozenset({"attended", "late"})


class Activity(Protocol):
    """An appointment, or the attendance record of one: what the rule looks at."""

    @property
    def date(self) -> date: ...

    @property
    def intervention(self) -> str: ...

    @property
    def counts_towards_rar(self) -> bool: ...


def counts_towards_rar(activity: Activity) -> bool:
    """Whether an appointment is a RAR activity: its catalogue entry counts, and it is not an
    offender-management appointment (section 5), whatever a hand-edited file says."""
    return activity.counts_towards_rar and activity.intervention != OFFENDER_MANAGEMENT


def dates_planned(appointments: Iterable[Activity]) -> list[date]:
    """The distinct dates with at least one counting appointment, in order (section 4)."""
    return sorted({a.date for a in appointments if counts_towards_rar(a)})


def days_planned(appointments: Iterable[Activity]) -> int:
    """RAR days planned: two or more counting appointments on one date are one day."""
    return len(dates_planned(appointments))


def uses_a_day(record: AttendanceRecord) -> bool:
    """Whether an attendance record uses a RAR day: a counting activity that took place."""
    return record.outcome in COUNTING_OUTCOMES and counts_towards_rar(record)


def dates_used(records: Iterable[AttendanceRecord]) -> list[date]:
    """The RAR days completed, as dates in order: distinct dates with a record that uses a day."""
    return sorted({r.date for r in records if uses_a_day(r)})


def days_used(records: Iterable[AttendanceRecord]) -> int:
    """RAR days completed: attended (or late) counting activities, one per date."""
    return len(dates_used(records))
