"""The schedule as an iCalendar file (RFC 5545) the person can import into a phone or diary.

- Times in Europe/London, with its VTIMEZONE, so summer time is right on every device.
- One event per appointment; the UID is `<crn>-<intervention>-<session>@rarplan`, the same in
  every version of the schedule, and SEQUENCE is the schedule's version: importing a re-planned
  schedule updates the events instead of adding copies.
- No names unless `with_names` (the CRN appears only inside UIDs).
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rarplan.model.plan import Appointment, Plan, Schedule
from rarplan.model.rardays import OFFENDER_MANAGEMENT

TZID = "Europe/London"
PRODID = "-//rarplan//RAR schedule//EN"


def uid(crn: str, appointment: Appointment) -> str:
    return f"{crn}-{appointment.intervention}-{appointment.session}@rarplan"


def short_name(name: str) -> str:
    """The card's name, with its own short forms ("MSRP for short", RAR)."""
    return (
        name.replace("Delivery of ", "")
        .replace("My Solution Rehabilitation Programme", "MSRP")
        .replace("Rehabilitation Activity Requirement", "RAR")
    )


def summary(appointment: Appointment, names: dict[str, str], person: str | None = None) -> str:
    a = appointment
    if a.intervention == OFFENDER_MANAGEMENT:
        text = "Probation appointment"
    else:
        what = short_name(names.get(a.intervention, a.intervention))
        text = f"{'RAR: ' if a.counts_towards_rar else ''}{what} session {a.session}"
    return f"{person}: {text}" if person else text


def _description(a: Appointment, total: int) -> str:
    if a.intervention == OFFENDER_MANAGEMENT:
        return "Appointment with your probation officer. It does not use a RAR day."
    counts = "yes" if a.counts_towards_rar else "no (not a RAR activity)"
    return f"Session {a.session} of {total}. Counts towards your RAR days: {counts}."


@functools.cache
def _vtimezone(first_year: int, last_year: int) -> Any:
    from icalendar import Timezone

    return Timezone.from_tzinfo(
        ZoneInfo(TZID),
        TZID,
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1),
    )


def to_ics(
    plan: Plan,
    schedule: Schedule,
    names: dict[str, str],
    *,
    stamp: datetime,
    with_names: bool = False,
) -> bytes:
    """The calendar file's bytes; `stamp` (the time the schedule was made) is the DTSTAMP."""
    from icalendar import Calendar, Event

    tz = ZoneInfo(TZID)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "RAR appointments")
    cal.add("x-wr-timezone", TZID)
    apps = schedule.appointments
    first = min((a.date for a in apps), default=schedule.start)
    last = max((a.date for a in apps), default=schedule.order_end)
    cal.add_component(_vtimezone(first.year, last.year))
    totals: dict[str, int] = {}
    for a in apps:
        totals[a.intervention] = max(totals.get(a.intervention, 0), a.session)
    person = plan.case.name if with_names and plan.case.name else None
    stamp_utc = (stamp if stamp.tzinfo else stamp.replace(tzinfo=tz)).astimezone(UTC)
    for a in apps:
        hours, minutes = int(a.start[:2]), int(a.start[3:])
        begins = datetime.combine(a.date, time(hours, minutes), tzinfo=tz)
        ev = Event()
        ev.add("uid", uid(plan.crn, a))
        ev.add("dtstamp", stamp_utc)
        ev.add("sequence", schedule.version)
        ev.add("dtstart", begins)
        ev.add("dtend", begins + timedelta(minutes=a.minutes))
        ev.add("summary", summary(a, names, person))
        ev.add("description", _description(a, totals[a.intervention]))
        if a.place:
            ev.add("location", a.place)
        ev.add("transp", "OPAQUE")
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
