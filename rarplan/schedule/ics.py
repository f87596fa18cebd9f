"""The schedule as an iCalendar file (RFC 5545) the person can import into a phone or diary.

- Times in Europe/London, with its VTIMEZONE, so summer time is right on every device.
- One event per appointment; the UID is `<crn>-<intervention>-<session>@rarplan` (with `-<offer>`
  for a session offered again after a missed one), the same in every version of the schedule,
  and SEQUENCE is the schedule's version: importing a re-planned schedule updates the events
  instead of adding copies (RFC 5545 3.8.7.4).
- An appointment of an earlier version (kept in the plan's history) that the re-plan dropped is
  written again with STATUS:CANCELLED, so a calendar that imported it removes it (RFC 5545
  3.8.1.11); the file is the whole calendar every time, so re-writing it in place is safe.
- Each event carries a reminder (VALARM, RFC 5545 3.6.6), the day before by default.
- No names unless `with_names` (the CRN appears only inside UIDs).
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rarplan.model.errors import InvalidInput
from rarplan.model.plan import Appointment, Plan, Schedule
from rarplan.model.rardays import OFFENDER_MANAGEMENT

TZID = "Europe/London"
PRODID = "-//rarplan//RAR schedule//EN"
DEFAULT_REMINDER = timedelta(days=1)


def uid(crn: str, appointment: Appointment) -> str:
    offer = f"-{appointment.offer}" if appointment.offer else ""
    return f"{crn}-{appointment.intervention}-{appointment.session}{offer}@rarplan"


def is_own_calendar(data: bytes, crn: str | None = None) -> bool:
    """Whether a file is a calendar rarplan wrote (for this CRN, when given): a new version may
    replace it in place, as it holds nothing the new one does not."""
    text = data.decode("utf-8", errors="replace").replace("\r\n ", "")
    own = f"PRODID:{PRODID}" in text
    return own and (crn is None or f"UID:{crn}-" in text)


def parse_reminder(text: str) -> timedelta | None:
    """'1d', '2h', '30m' before the appointment, or 'none' (no reminder)."""
    value = text.strip().lower()
    if value in ("none", "0", "off"):
        return None
    units = {"d": "days", "h": "hours", "m": "minutes"}
    number, unit = value[:-1], value[-1:]
    if unit not in units or not number.isdigit() or int(number) == 0 or int(number) > 10_000:
        raise InvalidInput(
            f"reminder {text!r}: give a time before the appointment such as 1d, 2h or 30m, or none"
        )
    return timedelta(**{units[unit]: int(number)})


def cancelled(plan: Plan, schedule: Schedule) -> list[Appointment]:
    """Appointments of earlier versions of the schedule (in the plan's history) no longer in
    this one, each as it last stood."""
    current = {uid(plan.crn, a) for a in schedule.appointments}
    gone: dict[str, Appointment] = {}
    for entry in plan.history:
        if entry.schedule is not None:
            for a in entry.schedule.appointments:
                key = uid(plan.crn, a)
                if key not in current:
                    gone[key] = a  # a later version's details replace an earlier one's
    return sorted(gone.values(), key=lambda a: (a.date, a.start, a.intervention, a.session))


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
    reminder: timedelta | None = DEFAULT_REMINDER,
) -> bytes:
    """The calendar file's bytes; `stamp` (the time the schedule was made) is the DTSTAMP.
    `reminder`: how long before each appointment the device reminds the person (None: no
    reminder)."""
    from icalendar import Alarm, Calendar, Event

    tz = ZoneInfo(TZID)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "RAR appointments")
    cal.add("x-wr-timezone", TZID)
    apps = schedule.appointments
    dropped = cancelled(plan, schedule)
    first = min((a.date for a in [*apps, *dropped]), default=schedule.start)
    last = max((a.date for a in [*apps, *dropped]), default=schedule.order_end)
    cal.add_component(_vtimezone(first.year, last.year))
    totals: dict[str, int] = {}
    for a in [*apps, *dropped]:
        totals[a.intervention] = max(totals.get(a.intervention, 0), a.session)
    person = plan.case.name if with_names and plan.case.name else None
    stamp_utc = (stamp if stamp.tzinfo else stamp.replace(tzinfo=tz)).astimezone(UTC)
    for a, gone in [*((a, False) for a in apps), *((a, True) for a in dropped)]:
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
        if gone:
            ev.add("status", "CANCELLED")
        else:
            ev.add("status", "CONFIRMED")
            if reminder is not None:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"Reminder: {summary(a, names, person)}")
                alarm.add("trigger", -reminder)
                ev.add_component(alarm)
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
