"""`rarplan show`: one plan on one screen, and its `--json` model."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from pydantic import BaseModel

from rarplan.model.plan import Appointment, HistoryEntry, Plan

NEXT = 5  # appointments shown
RECENT = 3  # history entries shown


class OrderOut(BaseModel):
    stage: str
    order: str
    start_date: date | None
    length_months: int | None
    order_end: date | None
    setting: str


class DaysOut(BaseModel):
    has_rar: bool  # a community order or SSO (RAR guidance, sections 1 and 2)
    ordered: int | None
    planned: int
    used: int


class InterventionOut(BaseModel):
    id: str
    name: str  # the catalogue's name; the id when the catalogue in use does not have it
    appointments: int | None
    desired_outcomes: list[str]
    override_reason: str | None


class AppointmentOut(BaseModel):
    date: date
    start: str
    minutes: int
    intervention: str
    session: int
    kind: str
    counts_towards_rar: bool


class FailureOut(BaseModel):
    """An unacceptable failure to comply, and the action it calls for."""

    date: date
    intervention: str
    session: int
    outcome: str
    note: str
    in_window: int
    action_due: str  # none | warning | breach_consideration


class OutcomeOut(BaseModel):
    intervention: str
    outcome: str
    result: str | None  # None: not reviewed yet
    comment: str


class HistoryItem(BaseModel):
    at: datetime
    by: str
    action: str
    reason: str
    changes: list[str]
    previous_schedule_version: int | None


class ShowOutput(BaseModel):
    """The `rarplan show --json` document."""

    crn: str
    plan_file: str
    status: str  # open | completed | completed_early | the reason it ended
    closed_on: date | None
    responsible_officer: str
    agreement: str
    band: str
    band_label: str
    order: OrderOut
    rar_days: DaysOut
    interventions: list[InterventionOut]
    next_appointments: list[AppointmentOut]
    unrecorded_appointments: list[AppointmentOut]
    unacceptable_failures: list[FailureOut]
    outcomes: list[OutcomeOut]
    history_entries: int
    recent_history: list[HistoryItem]


def history_item(entry: HistoryEntry) -> HistoryItem:
    return HistoryItem(
        at=entry.at,
        by=entry.by,
        action=entry.action,
        reason=entry.reason,
        changes=list(entry.changes or ()),
        previous_schedule_version=entry.schedule.version if entry.schedule else None,
    )


def _appointment(a: Appointment) -> AppointmentOut:
    return AppointmentOut(
        date=a.date,
        start=a.start,
        minutes=a.minutes,
        intervention=a.intervention,
        session=a.session,
        kind=a.kind,
        counts_towards_rar=a.counts_towards_rar,
    )


def build_show(
    plan: Plan, plan_file: str, today: date, names: Mapping[str, str] | None = None
) -> ShowOutput:
    """The one screen's content; `names` are the catalogue's names by intervention id."""
    from rarplan.deliver.attendance_file import appointment_key, record_key
    from rarplan.deliver.completion import unrecorded_appointments
    from rarplan.deliver.enforcement import load_settings, unacceptable_absences
    from rarplan.deliver.outcomes import desired_outcomes
    from rarplan.model.rardays import days_planned, days_used
    from rarplan.schedule.make import order_end

    s = plan.case.sentence
    if plan.schedule is not None:
        end: date | None = plan.schedule.order_end
    elif s.start_date and s.length_months:
        end = order_end(s.start_date, s.length_months)
    else:
        end = None
    appointments = plan.schedule.appointments if plan.schedule else []
    recorded = {record_key(r) for r in plan.attendance}
    upcoming = [a for a in appointments if a.date >= today and appointment_key(a) not in recorded]
    closed = plan.completion is not None
    reviews = {(r.intervention, r.outcome): r for r in plan.outcomes}
    outcomes = [
        OutcomeOut(
            intervention=i,
            outcome=text,
            result=reviews[(i, text)].result if (i, text) in reviews else None,
            comment=reviews[(i, text)].comment if (i, text) in reviews else "",
        )
        for i, text in desired_outcomes(plan)
    ]
    return ShowOutput(
        crn=plan.crn,
        plan_file=plan_file,
        status=plan.completion.status if plan.completion else "open",
        closed_on=plan.completion.completed_on if plan.completion else None,
        responsible_officer=plan.responsible_officer,
        agreement=plan.agreement.status,
        band=plan.assessment.band,
        band_label=plan.assessment.band_label,
        order=OrderOut(
            stage=s.stage,
            order=s.order,
            start_date=s.start_date,
            length_months=s.length_months,
            order_end=end,
            setting=s.setting,
        ),
        rar_days=DaysOut(
            has_rar=s.has_rar,
            ordered=s.rar_max_days,
            planned=days_planned(appointments, plan.attendance),
            used=days_used(plan.attendance),
        ),
        interventions=[
            InterventionOut(
                id=x.id,
                name=(names or {}).get(x.id, x.id),
                appointments=x.appointments,
                desired_outcomes=list(x.desired_outcomes),
                override_reason=x.override_reason,
            )
            for x in plan.selected
        ],
        next_appointments=[] if closed else [_appointment(a) for a in upcoming[:NEXT]],
        unrecorded_appointments=[
            _appointment(a) for a in unrecorded_appointments(plan, today - timedelta(days=1))
        ],
        unacceptable_failures=[
            FailureOut(
                date=a.record.date,
                intervention=a.record.intervention,
                session=a.record.session,
                outcome=a.record.outcome,
                note=a.record.note,
                in_window=a.in_window,
                action_due=a.flag,
            )
            for a in unacceptable_absences(plan.attendance, load_settings())
        ],
        outcomes=outcomes,
        history_entries=len(plan.history),
        recent_history=[history_item(h) for h in plan.history[-RECENT:]],
    )


def _words(value: str) -> str:
    return value.replace("_", " ")


def _line(a: AppointmentOut, names: Mapping[str, str]) -> str:
    return (
        f"{a.date.isoformat()} {a.date.strftime('%a')} {a.start}  "
        f"{names.get(a.intervention, a.intervention)} session "
        f"{a.session} ({_words(a.kind)}, {a.minutes} min)"
        + ("" if a.counts_towards_rar else ", not a RAR day")
    )


def history_lines(item: HistoryItem, indent: str = "") -> list[str]:
    head = f"{indent}{item.at.isoformat(sep=' ')}  {item.by or '-'}  {item.action}"
    lines = [head + (f": {item.reason}" if item.reason else "")]
    lines.extend(f"{indent}  - {change}" for change in item.changes)
    if item.previous_schedule_version is not None:
        lines.append(f"{indent}  (schedule version {item.previous_schedule_version} kept)")
    return lines


def show_lines(out: ShowOutput) -> list[str]:
    """The one screen, as plain lines."""
    o, d = out.order, out.rar_days
    if out.status == "open":
        status = "open"
    else:
        from rarplan.deliver.ending import closing_words

        on = out.closed_on.isoformat() if out.closed_on else "?"
        status = f"{closing_words(out.status)} on {on}"
    lines = [f"{out.crn}  {out.plan_file}  ({status})"]
    span = f"{o.length_months} months" if o.length_months else "length not set"
    if o.start_date:
        span += f", {o.start_date.isoformat()} to {o.order_end.isoformat() if o.order_end else '?'}"
    lines.append(f"Order:          {_words(o.order)}, {_words(o.stage)}, {span}")
    lines.append(f"Band:           {out.band}" + (f" ({out.band_label})" if out.band_label else ""))
    lines.append(
        f"Officer:        {out.responsible_officer or 'not recorded'}; "
        f"agreement: {_words(out.agreement)}"
    )
    if not d.has_rar:  # a licence, post-sentence supervision or custody (sections 1 and 2)
        lines.append("RAR days:       none: this sentence has no RAR")
    else:
        ordered = d.ordered if d.ordered is not None else "not set"
        lines.append(f"RAR days:       {ordered} ordered, {d.planned} planned, {d.used} used")
    lines.append("Interventions:" + ("" if out.interventions else "  none"))
    lines.extend(
        f"  {x.name} ({x.id}" + (f", {x.appointments} hours" if x.appointments else "") + ")"
        for x in out.interventions
    )
    from rarplan.model.rardays import OFFENDER_MANAGEMENT
    from rarplan.schedule.ics import short_name
    from rarplan.schedule.make import OM_NAME

    # appointments by the short name the timetable uses ("Home modules from MSRP")
    names = {x.id: short_name(x.name) for x in out.interventions}
    names[OFFENDER_MANAGEMENT] = OM_NAME
    if out.next_appointments:
        lines.append("Next appointments:")
        lines.extend(f"  {_line(a, names)}" for a in out.next_appointments)
    elif out.status == "open":
        lines.append("Next appointments: none")
    if out.unrecorded_appointments:
        n = len(out.unrecorded_appointments)
        lines.append(f"Not recorded:   {n} past appointment{'s' if n > 1 else ''}")
        lines.extend(f"  {_line(a, names)}" for a in out.unrecorded_appointments[:NEXT])
        if n > NEXT:
            lines.append(f"  and {n - NEXT} more")
    if out.unacceptable_failures:
        lines.append(f"Unacceptable failures: {len(out.unacceptable_failures)}")
        for f in out.unacceptable_failures:
            due = "no action due" if f.action_due == "none" else f"due: {_words(f.action_due)}"
            lines.append(
                f"  {f.date.isoformat()} {names.get(f.intervention, f.intervention)} session "
                f"{f.session}: "
                f"{_words(f.outcome)}; {f.in_window} in the window; {due}"
            )
    else:
        lines.append("Unacceptable failures: none")
    reviewed = [x for x in out.outcomes if x.result]
    lines.append(
        f"Outcomes:       {len(reviewed)} of {len(out.outcomes)} desired outcomes reviewed"
    )
    for x in reviewed:
        assert x.result is not None
        lines.append(f"  {x.intervention}: {x.outcome}: {_words(x.result)}")
    if out.recent_history:
        lines.append(
            f"History:        last {len(out.recent_history)} of {out.history_entries} "
            "(rarplan history for all)"
        )
        for item in out.recent_history:
            lines.extend(history_lines(item, "  "))
    else:
        lines.append("History:        none")
    return lines
