"""The caseload: every plan in a folder, its position, and whether its RAR is at risk.

A plan is a `*.plan.toml` file directly in the folder; other files (completion records,
exports, `.rarplan-history/`) are ignored, and a plan that cannot be read is reported and
skipped. Each plan is read once, and only the tables the caseload shows (see "Reading plans
fast" below); the catalogue is never loaded.

At risk (documented in README, "The caseload"): the days left (the days planned, or the
court's maximum when there is no schedule yet, less the days completed) cannot be delivered
before the order ends at the planned rhythm. The rhythm is the
average gap between the schedule's distinct counting dates, or a week when there is no
schedule or fewer than two such dates. The RAR is at risk when
`today + days_left × rhythm` falls after the order end (RAR guidance, section 7: no more days
than the sentence; the days must fit inside the order).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rarplan.deliver.attendance_file import appointment_key, record_key
from rarplan.deliver.enforcement import (
    EnforcementSettings,
    Flag,
    action_due,
    unacceptable_absences,
    worst_flag,
)
from rarplan.files.planview import PlanView, read_view
from rarplan.model.dates import add_months
from rarplan.model.errors import InvalidInput, RarplanError
from rarplan.model.plan import Appointment
from rarplan.model.rardays import dates_planned, days_used

PLAN_SUFFIX = ".plan.toml"
WEEK = 7.0


@dataclass(frozen=True)
class Risk:
    at_risk: bool
    reason: str
    rhythm_days: float | None = None
    short: str = ""  # the reason in a few words, for the caseload table


@dataclass(frozen=True)
class Row:
    """One plan's line in `rarplan status`."""

    file: str
    crn: str
    band: str
    status: str  # not_scheduled | active | completed | completed_early | the reason it ended
    rar_days_ordered: int | None
    rar_days_planned: int | None
    rar_days_completed: int
    next_appointment: Appointment | None
    order_end: date | None
    unacceptable_absences: int
    enforcement: Flag
    risk: Risk
    action_due: Flag = "none"  # the enforcement action due and not recorded yet
    unrecorded: int = 0  # past appointments with no outcome recorded

    @property
    def closed(self) -> bool:
        return self.status not in ("active", "not_scheduled")

    @property
    def needs_attention(self) -> bool:
        """Past appointments without an outcome, or an enforcement action due."""
        return not self.closed and (self.unrecorded > 0 or self.action_due != "none")

    def days_to_order_end(self, today: date) -> int | None:
        return (self.order_end - today).days if self.order_end else None

    def as_dict(self, today: date) -> dict[str, Any]:
        nxt = self.next_appointment
        return {
            "crn": self.crn,
            "file": self.file,
            "band": self.band,
            "status": self.status,
            "rar_days_ordered": self.rar_days_ordered,
            "rar_days_planned": self.rar_days_planned,
            "rar_days_completed": self.rar_days_completed,
            "next_appointment": None
            if nxt is None
            else {
                "date": nxt.date.isoformat(),
                "start": nxt.start,
                "intervention": nxt.intervention,
                "session": nxt.session,
            },
            "order_end": self.order_end.isoformat() if self.order_end else None,
            "days_to_order_end": self.days_to_order_end(today),
            "unacceptable_absences": self.unacceptable_absences,
            "enforcement": self.enforcement,
            "at_risk": self.risk.at_risk,
            "at_risk_reason": self.risk.reason,
            "action_due": self.action_due,
            "unrecorded": self.unrecorded,
            "needs_attention": self.needs_attention,
        }


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@dataclass
class Caseload:
    today: date
    rows: list[Row] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "plans": [r.as_dict(self.today) for r in self.rows],
            "skipped": [s.as_dict() for s in self.skipped],
        }


def order_end(plan: PlanView) -> date | None:
    """The schedule's order end, else the sentence start plus its length in months."""
    if plan.schedule is not None:
        return plan.schedule.order_end
    sentence = plan.case.sentence
    if sentence.start_date is None or sentence.length_months is None:
        return None
    return add_months(sentence.start_date, sentence.length_months) - timedelta(days=1)


def rhythm_days(plan: PlanView) -> float:
    """The average gap in days between the schedule's distinct counting dates (else a week)."""
    if plan.schedule is None:
        return WEEK
    dates = dates_planned(plan.schedule.appointments)
    if len(dates) < 2:
        return WEEK
    return (dates[-1] - dates[0]).days / (len(dates) - 1)


def assess_risk(
    days_left: int | None, end: date | None, rhythm: float, today: date, closed: str | None
) -> Risk:
    """Whether `days_left` RAR days fit between today and the order end at `rhythm`;
    `closed`: how the RAR closed (a closing status), None while open."""
    if closed is not None:
        from rarplan.deliver.ending import closing_words

        return Risk(False, closing_words(closed))
    if days_left is None:
        return Risk(False, "no RAR days ordered")
    if days_left <= 0:
        return Risk(False, "all RAR days completed", rhythm)
    if end is None:
        return Risk(False, "order end not known", rhythm)
    if end < today:
        return Risk(
            True,
            f"order ended {end.isoformat()} with {days_left} days left",
            rhythm,
            f"ended, {days_left} days left",
        )
    needed = math.ceil(days_left * rhythm)
    finish = today + timedelta(days=needed)
    if finish > end:
        return Risk(
            True,
            f"{days_left} days left at one every {rhythm:.1f} days runs to "
            f"{finish.isoformat()}, after the order ends {end.isoformat()}",
            rhythm,
            f"{days_left} days need to {finish.isoformat()}",
        )
    return Risk(False, f"{days_left} days left fit by {finish.isoformat()}", rhythm)


def next_appointment(plan: PlanView, today: date) -> Appointment | None:
    """The first appointment from today on that has no attendance recorded."""
    if plan.schedule is None:
        return None
    recorded = {record_key(r) for r in plan.attendance}
    upcoming = [
        a
        for a in plan.schedule.appointments
        if a.date >= today and appointment_key(a) not in recorded
    ]
    return min(upcoming, key=lambda a: (a.date, a.start), default=None)


def unrecorded(plan: PlanView, today: date) -> int:
    """Appointments before today with no outcome recorded."""
    if plan.schedule is None:
        return 0
    recorded = {record_key(r) for r in plan.attendance}
    return sum(
        1
        for a in plan.schedule.appointments
        if a.date < today and appointment_key(a) not in recorded
    )


def row_for(plan: PlanView, file: str, today: date, settings: EnforcementSettings) -> Row:
    completed = days_used(plan.attendance)
    ordered = plan.case.sentence.rar_max_days
    absences = unacceptable_absences(plan.attendance, settings)
    status: str
    if plan.completion is not None:
        status = plan.completion.status
    else:
        status = "active" if plan.schedule is not None else "not_scheduled"
    end = order_end(plan)
    closed = plan.completion is not None
    # The officer may plan fewer days than the court's maximum (guidance section 4): the days
    # still to deliver are the planned ones; with no schedule yet, the court's figure.
    target = plan.schedule.rar_days_planned if plan.schedule is not None else ordered
    risk = assess_risk(
        None if target is None else target - completed,
        end,
        rhythm_days(plan),
        today,
        plan.completion.status if plan.completion is not None else None,
    )
    return Row(
        file=file,
        crn=plan.crn,
        band=plan.assessment.band,
        status=status,
        rar_days_ordered=ordered,
        rar_days_planned=plan.schedule.rar_days_planned if plan.schedule else None,
        rar_days_completed=completed,
        next_appointment=None if closed else next_appointment(plan, today),
        order_end=end,
        unacceptable_absences=len(absences),
        enforcement=worst_flag(absences),
        risk=risk,
        action_due="none" if closed else action_due(absences),
        unrecorded=0 if closed else unrecorded(plan, today),
    )


def urgency(row: Row, today: date) -> tuple[Any, ...]:
    """At risk first, then the nearest order end, then the nearest appointment; closed last."""
    to_end = row.days_to_order_end(today)
    nxt = row.next_appointment
    return (
        row.closed,
        not row.risk.at_risk,
        to_end if to_end is not None else math.inf,
        (nxt.date, nxt.start) if nxt else (date.max, ""),
        row.crn,
    )


def plan_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: not a folder")
    return sorted(
        p for p in folder.iterdir() if p.name.endswith(PLAN_SUFFIX) and not p.name.startswith(".")
    )


def skip_reason(err: RarplanError, name: str) -> str:
    """The message without the file's name (the caller names it), and the hint; an error of
    several problems gives each of them (its message only counts them)."""
    problems = err.problems if isinstance(err, InvalidInput) else []
    lines = problems if len(problems) > 1 else [err.message]
    reason = "; ".join(line.replace(f"{name}: ", "") for line in lines)
    return f"{reason} ({err.hint})" if err.hint else reason


def scan(
    folder: str | Path,
    today: date,
    settings: EnforcementSettings,
    *,
    check: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> Caseload:
    """Read every plan in `folder` once; report and skip the ones that cannot be read or
    shown: one bad plan never stops the caseload.

    check=True reads and validates every plan in full (slower) instead of the parts shown.
    `progress` is told the plans read and their number, every PROGRESS_EVERY plans.
    """
    caseload = Caseload(today=today)
    files = plan_files(Path(folder))
    for at, path in enumerate(files):
        if progress is not None and at % PROGRESS_EVERY == 0:
            progress(at, len(files))
        name = str(path)
        try:
            view = read_view(path, full=check)
            row = row_for(view, name, today, settings)
        except RarplanError as exc:
            caseload.skipped.append(Skipped(name, skip_reason(exc, name)))
        except (ArithmeticError, ValueError):  # dates beyond the calendar's end (year 9999)
            caseload.skipped.append(Skipped(name, "its dates run past the year 9999"))
        else:
            caseload.rows.append(row)
    if progress is not None:
        progress(len(files), len(files))
    caseload.rows.sort(key=lambda r: urgency(r, today))
    return caseload


PROGRESS_EVERY = 50  # plans read between two reports to a progress bar
