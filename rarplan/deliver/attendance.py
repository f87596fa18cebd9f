"""Attendance at appointments: recording it, counting RAR days, rescheduling what was missed.

The rules, from the RAR guidance (docs/sources/001_246201b7ec5ee73b.txt):
- The days completed are counted by the RAR-day rule (`rarplan.model.rardays`, sections 4
  and 5): distinct dates with an attended (or late) counting appointment; an absence or a
  cancelled session uses no day.
- Outcomes are the case management system's contact outcomes (`rarplan.model.contacts`).
- Every appointment is enforceable (section 7): the failures counted and the action due are
  `rarplan.deliver.enforcement`'s; `enforce` here records an action in a plan file.
- A missed session has to be offered again: it is listed until a later appointment for the
  same intervention and session is in the schedule (re-planning offers it: schedule.make).

Records are keyed by (date, intervention, session): the appointment as it was when it
happened. A re-plan keeps every recorded appointment, and a row that matches a record already
in the plan needs no appointment, so applying the same file twice (before or after a re-plan)
changes nothing; a different outcome for the same appointment replaces the old one, noted in
the plan's history.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rarplan.deliver.attendance_file import (
    OUTCOMES,
    AttendanceRow,
    Entry,
    Key,
    appointment_key,
    describe,
    record_key,
)
from rarplan.deliver.enforcement import (
    EnforcementSettings,
    action_due,
    record_action,
    unacceptable_absences,
)
from rarplan.files.validation import problems_error, unknown_id
from rarplan.model.contacts import (
    LABELS,
    EnforcementAction,
)
from rarplan.model.errors import InvalidInput, NeedsInput
from rarplan.model.plan import AttendanceRecord, HistoryEntry, Plan
from rarplan.model.rardays import MISSED_OUTCOMES, counts_towards_rar, dates_used

MISSED = MISSED_OUTCOMES  # the session did not take place for the person: offer it again
# --- Applying rows to a plan ---------------------------------------------------------------


@dataclass
class Applied:
    """What recording a set of rows did to the plan."""

    added: list[AttendanceRecord] = field(default_factory=list)
    replaced: list[tuple[AttendanceRecord, AttendanceRecord]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced)


def apply_attendance(
    plan: Plan,
    entries: Sequence[Entry],
    source: str,
    *,
    today: date,
    now: datetime,
    by: str = "",
) -> Applied:
    """Record the rows in `plan` (in place); check every row first, change nothing on error.

    A row must name an appointment in the schedule, or one already recorded (its appointment
    may have been re-planned since), dated no later than `today`. The same outcome and note
    again is a no-op; a different one replaces the record and is written to the plan's history.
    """
    if plan.schedule is None:
        raise InvalidInput(
            f"{source}: the plan for {plan.crn} has no schedule, so no appointment to record",
            hint="run `rarplan schedule PLAN` first",
        )
    appointments = {appointment_key(a): a for a in plan.schedule.appointments}
    existing = {record_key(r): i for i, r in enumerate(plan.attendance)}
    keys = [*appointments, *existing]
    known = sorted({key[1] for key in keys})
    problems: list[str] = []
    wanted: dict[Key, tuple[str, AttendanceRow]] = {}  # each appointment: its first row
    for entry in entries:  # in the file's order, each problem named once with its row
        row = entry.row
        where = f"{source}: {entry.where}"
        problems.extend(entry.problems)  # a row that could not be read says why
        named = row.intervention if row is not None else entry.intervention
        if named and named not in known:
            problems.append(f"{_at(where, 'intervention')}: {_not_in_plan(named, known)}")
            continue
        if row is None:
            continue
        if row.key not in appointments and row.key not in existing:
            problems.append(
                f"{where}: no appointment in the schedule on {row.date.isoformat()} for "
                f"{row.intervention} session {row.session}" + _nearest(row.key, keys)
            )
            continue
        if row.date > today:
            problems.append(
                f"{_at(where, 'date')}: {row.date.isoformat()} is after today "
                f"({today.isoformat()}); record attendance once the appointment has happened"
            )
            continue
        earlier = wanted.get(row.key)
        if earlier is not None and (earlier[1].outcome, earlier[1].note) != (
            row.outcome,
            row.note,
        ):
            problems.append(
                f"{where}: the same appointment as {earlier[0]} with a different outcome "
                "or note; keep one"
            )
            continue
        wanted.setdefault(row.key, (entry.where, row))
    if problems:
        unmatched = set(problems) - {p for entry in entries for p in entry.problems}
        raise problems_error(
            list(dict.fromkeys(problems)),
            hint="a row names an appointment by date, intervention, session" if unmatched else "",
        )

    applied = Applied()
    for key, (_, row) in wanted.items():
        index = existing.get(key)
        old = plan.attendance[index] if index is not None else None
        appointment = appointments.get(key)
        new = AttendanceRecord(
            date=row.date,
            intervention=row.intervention,
            session=row.session,
            outcome=row.outcome,
            note=row.note,
            recorded_at=now,
            counts_towards_rar=appointment.counts_towards_rar
            if appointment is not None
            else old is None or old.counts_towards_rar,
        )
        if old is None:
            plan.attendance.append(new)
            applied.added.append(new)
            continue
        if (old.outcome, old.note) == (new.outcome, new.note):
            applied.unchanged += 1
            continue
        if old.action is not None:  # the action taken stays on the record
            new = new.model_copy(
                update={
                    "action": old.action,
                    "action_on": old.action_on,
                    "action_note": old.action_note,
                }
            )
        plan.attendance[index] = new  # type: ignore[index]
        applied.replaced.append((old, new))
    if applied.changed:
        plan.attendance.sort(key=record_key)
        plan.history.append(
            HistoryEntry(at=now, by=by, action="attendance", reason=_history_reason(applied))
        )
    return applied


def _at(where: str, key: str) -> str:
    """A row's key as the reader names it: 'row 4: date' in a CSV, 'attendance[3].date' in
    TOML."""
    return f"{where}.{key}" if where.endswith("]") else f"{where}: {key}"


def _not_in_plan(intervention: str, known: list[str]) -> str:
    """'msrp-hom' is not in the plan's schedule (did you mean 'msrp-home'?); ..."""
    missing = unknown_id(intervention, known, "the plan's schedule")
    return f"{missing}; the schedule has {', '.join(known) or 'none'}"


def _nearest(key: Key, keys: Iterable[Key]) -> str:
    """Where the row's session is in the schedule, or which sessions its intervention has on
    its date: ' (msrp-home session 2 is on 2027-01-18)', for a date or session slip."""
    when, intervention, session = key
    dates = sorted({d for d, i, s in keys if i == intervention and s == session})
    if dates:
        shown = ", ".join(d.isoformat() for d in dates[:3]) + (", ..." if len(dates) > 3 else "")
        return f" ({intervention} session {session} is on {shown})"
    sessions = sorted({s for d, i, s in keys if i == intervention and d == when})
    if sessions:
        listed = ", ".join(str(s) for s in sessions)
        return f" ({intervention} on {when.isoformat()}: session {listed})"
    return ""


def _history_reason(applied: Applied) -> str:
    parts = []
    if applied.added:
        parts.append(f"recorded {len(applied.added)}")
    for old, new in applied.replaced:
        change = (
            f"{LABELS[old.outcome]} to {LABELS[new.outcome]}"
            if old.outcome != new.outcome
            else "the note"
        )
        parts.append(f"changed {describe(record_key(old))} from {change}")
    return "; ".join(parts)


def current_user() -> str:
    """The login name of whoever runs rarplan (the officer), for the history."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def plan_to_update(path: str | Path) -> Path:
    """The plan file a command updates: it must exist (no stdin, no stray lock files)."""
    if str(path) == "-":
        raise NeedsInput("'-' (stdin) cannot be updated: give the plan's file", needs=("plan",))
    target = Path(path)
    if target.is_dir():
        raise InvalidInput(f"{target}: is a folder, not a plan file")
    if not target.is_file():
        raise InvalidInput(f"{target}: file not found")
    return target


def record_attendance(
    path: str | Path, entries: Sequence[Entry], source: str, *, today: date
) -> tuple[Plan, Applied]:
    """Apply rows to the plan file under its lock; the file is written only if it changed."""
    from rarplan.files.planfile import load_plan, save_plan
    from rarplan.files.storage import locked

    path = plan_to_update(path)
    with locked(path):
        plan, _ = load_plan(path)
        now = datetime.now().replace(microsecond=0)
        applied = apply_attendance(plan, entries, source, today=today, now=now, by=current_user())
        if applied.changed:
            save_plan(plan, path, overwrite=True)
    return plan, applied


# --- What the records add up to ------------------------------------------------------------


def outcome_counts(records: Iterable[AttendanceRecord]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
    for record in records:
        counts[record.outcome] += 1
    return counts


def describe_counts(counts: dict[str, int]) -> str:
    """'7 attended and complied, 1 failed to attend, 1 not held' (the outcomes recorded)."""
    parts = [f"{n} {LABELS[o]}" for o in OUTCOMES if (n := counts.get(o, 0))]
    return ", ".join(parts) or "none recorded"


def enforce(
    path: str | Path,
    action: EnforcementAction,
    on: date,
    settings: EnforcementSettings,
    *,
    note: str = "",
    today: date,
) -> tuple[Plan, list[AttendanceRecord]]:
    """Record an enforcement action in the plan file under its lock (written if it changed)."""
    from rarplan.files.planfile import load_plan, save_plan
    from rarplan.files.storage import locked

    path = plan_to_update(path)
    with locked(path):
        plan, _ = load_plan(path)
        now = datetime.now().replace(microsecond=0)
        answered = record_action(
            plan, action, on, settings, note=note, today=today, now=now, by=current_user()
        )
        if answered:
            save_plan(plan, path, overwrite=True)
    return plan, answered


def to_reschedule(plan: Plan) -> list[AttendanceRecord]:
    """Missed counting sessions with no later appointment for the same session yet."""
    appointments = plan.schedule.appointments if plan.schedule else []
    out = []
    for record in plan.attendance:
        if record.outcome not in MISSED or not counts_towards_rar(record):
            continue
        again = any(
            a.intervention == record.intervention
            and a.session == record.session
            and a.date > record.date
            for a in appointments
        )
        if not again:
            out.append(record)
    return out


def summary(plan: Plan, settings: EnforcementSettings, plan_path: str) -> dict[str, Any]:
    """The attendance position of a plan, as `rarplan attend --json` reports it (the CLI adds
    the command that offers the missed sessions again)."""
    used = dates_used(plan.attendance)
    absences = unacceptable_absences(plan.attendance, settings)
    missed = to_reschedule(plan)
    ordered = plan.case.sentence.rar_max_days
    warnings = []
    if ordered is not None and len(used) > ordered:
        warnings.append(
            f"{len(used)} RAR days recorded but the court ordered at most {ordered} "
            "(RAR guidance, section 7): check the attendance"
        )
    return {
        "crn": plan.crn,
        "plan": plan_path,
        "rar_days_ordered": ordered,
        "rar_days_completed": len(used),
        "dates_used": [d.isoformat() for d in used],
        "counts": outcome_counts(plan.attendance),
        "unacceptable_absences": [a.as_dict(settings) for a in absences],
        "reschedule": [
            {
                "date": r.date.isoformat(),
                "intervention": r.intervention,
                "session": r.session,
                "outcome": r.outcome,
            }
            for r in missed
        ],
        "action_due": action_due(absences),
        "warnings": warnings,
    }
