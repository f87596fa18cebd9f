"""The schedule as the officer reads it: a timetable by week with the running count of RAR days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rarplan.model.plan import Plan
    from rarplan.schedule.make import Outcome


def _week_label(day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"w/c {monday.day} {monday:%b %Y}"


def _end(start: str, minutes: int) -> str:
    total = int(start[:2]) * 60 + int(start[3:]) + minutes
    return f"{total // 60 % 24:02d}:{total % 60:02d}"


def print_timetable(plan: Plan, outcome: Outcome) -> None:
    from rarplan.cli.output import console
    from rarplan.cli.screen import Table, escape
    from rarplan.model.rardays import missed
    from rarplan.schedule.ics import short_name

    s = outcome.schedule
    rar_max = outcome.rar_max_days
    title = f"RAR timetable {plan.crn}: version {s.version}, {s.strategy}"
    table = Table(title=title, box="simple_head", options={"title_justify": "left", "expand": True})
    for header in ("Date", "Time", "What", "Session", "Counts", "RAR days"):
        table.add_column(header, no_wrap=header != "What", ratio=1 if header == "What" else None)
    totals: dict[str, int] = {}
    for a in s.appointments:
        totals[a.intervention] = max(totals.get(a.intervention, 0), a.session)
    counted: set[date] = set()
    # a missed appointment stays in the schedule as what happened, and uses no day
    gone = {(r.date, r.intervention, r.session) for r in plan.attendance if missed(r)}
    week = ""
    for a in s.appointments:
        label = _week_label(a.date)
        if label != week:
            if week:
                table.add_section()
            table.add_row(label, style="bold")
            week = label
        happened = (a.date, a.intervention, a.session) in gone
        if a.counts_towards_rar and not happened:
            counted.add(a.date)
        what = short_name(outcome.names.get(a.intervention, a.intervention))
        if a.place:
            what += f" ({a.place})"
        table.add_row(
            f"{a.date:%a} {a.date.day} {a.date:%b}",
            f"{a.start}-{_end(a.start, a.minutes)}",
            escape(what),  # a place or name is text, never rich markup
            f"{a.session} of {totals[a.intervention]}" + (" again" if a.offer else ""),
            "missed" if happened else "yes" if a.counts_towards_rar else "no",
            f"{len(counted)}/{rar_max}",
        )
    out = console()
    out.print(table)
    used = f", {s.rar_days_used} used before {s.replanned_from}" if s.replanned_from else ""
    out.print(
        f"RAR days planned: {s.rar_days_planned} of {rar_max}{used}. "
        f"Order {s.start.isoformat()} to {s.order_end.isoformat()}."
    )
    for u in s.unscheduled:
        count = f" ({u.sessions} sessions)" if u.sessions else ""
        out.print(f"Not scheduled: {u.intervention}{count}: {escape(u.reason)}")
