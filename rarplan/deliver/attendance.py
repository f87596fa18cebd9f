"""Attendance at appointments: recording it, counting RAR days, enforcement and rescheduling.

The rules, from the RAR guidance (docs/sources/001_246201b7ec5ee73b.txt):
- The days completed are counted by the RAR-day rule (`rarplan.model.rardays`, sections 4
  and 5): distinct dates with an attended (or late) counting appointment; an absence or a
  cancelled session uses no day.
- Outcomes are the case management system's contact outcomes (`rarplan.model.contacts`).
- Every appointment is enforceable (section 7): each unacceptable failure (failed to attend,
  attended but failed to comply, sent home for behaviour) is counted within the window, and
  the action due is shown: a warning, then breach consideration, by the thresholds in
  `EnforcementSettings` (national practice, not the guidance; a setting, not a constant). The
  officer records the action taken on the failure's record (`record_action`); a failure is
  "due" until then.
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
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rarplan.deliver.attendance_file import (  # noqa: F401 (re-exported for callers)
    CSV_COLUMNS,
    OUTCOMES,
    AttendanceRow,
    Entry,
    Key,
    _error,
    parse_attendance,
    read_attendance,
)
from rarplan.files.validation import format_errors, unknown_id
from rarplan.model.contacts import (
    ACTION_LABELS,
    LABELS,
    UNACCEPTABLE,
    AttendanceOutcome,
    EnforcementAction,
)
from rarplan.model.dates import add_months
from rarplan.model.errors import InvalidInput, NeedsInput, RefusedByRules
from rarplan.model.plan import Appointment, AttendanceRecord, HistoryEntry, Plan
from rarplan.model.rardays import MISSED_OUTCOMES, counts_towards_rar, dates_used

MISSED = MISSED_OUTCOMES  # the session did not take place for the person: offer it again
CONFIG_ENV = "RARPLAN_CONFIG"

Flag = Literal["none", "warning", "breach_consideration"]


# --- Settings ------------------------------------------------------------------------------


class EnforcementSettings(BaseModel):
    """When an unacceptable absence is flagged (national practice, not the RAR guidance).

    The n-th unacceptable absence within `window_months` (counting back from it, inclusive)
    is flagged for a warning when n ≥ warning_after, and for breach consideration when
    n ≥ breach_after. Defaults: a warning at the first, breach consideration at the second
    within 12 months.
    """

    model_config = ConfigDict(extra="forbid")

    warning_after: Annotated[int, Field(ge=1, le=100)] = 1
    breach_after: Annotated[int, Field(ge=1, le=100)] = 2
    window_months: Annotated[int, Field(ge=1, le=120)] = 12

    @model_validator(mode="after")
    def _order(self) -> EnforcementSettings:
        if self.breach_after <= self.warning_after:
            raise ValueError("breach_after must be greater than warning_after")
        return self


class _Config(BaseModel):
    """The config file: rarplan reads its `[enforcement]` table; other tables are not ours."""

    model_config = ConfigDict(extra="ignore")

    enforcement: EnforcementSettings = EnforcementSettings()


def load_settings(environ: Mapping[str, str] | None = None) -> EnforcementSettings:
    """The thresholds from the `[enforcement]` table of $RARPLAN_CONFIG, else the defaults."""
    from rarplan.files.storage import load_document

    env = os.environ if environ is None else environ
    path = env.get(CONFIG_ENV, "").strip()
    if not path:
        return EnforcementSettings()
    raw, name = load_document(path, "toml")
    try:
        return _Config.model_validate(raw).enforcement
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=_Config)
        raise _error(problems, hint=f"see ${CONFIG_ENV}") from None


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


def appointment_key(appointment: Appointment) -> Key:
    return (appointment.date, appointment.intervention, appointment.session)


def record_key(record: AttendanceRecord) -> Key:
    return (record.date, record.intervention, record.session)


def describe(key: Key) -> str:
    when, intervention, session = key
    return f"{when.isoformat()} {intervention} session {session}"


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
        raise _error(
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


ActionDue = Literal["warning", "breach_consideration"]


@dataclass(frozen=True)
class Absence:
    """An unacceptable failure, how many fell in the window ending at it, and its flag."""

    record: AttendanceRecord
    in_window: int  # how many unacceptable failures in the window ending at this one
    flag: Flag

    @property
    def action_due(self) -> ActionDue | None:
        """The action the flag calls for, until the officer records one taken."""
        if self.flag == "none" or self.record.action is not None:
            return None
        return self.flag

    def as_dict(self, settings: EnforcementSettings) -> dict[str, Any]:
        r = self.record
        return {
            "date": r.date.isoformat(),
            "intervention": r.intervention,
            "session": r.session,
            "outcome": r.outcome,
            "note": r.note,
            "in_window": self.in_window,
            "window_months": settings.window_months,
            "flag": self.flag,
            "action": r.action,
            "action_on": r.action_on.isoformat() if r.action_on else None,
            "action_note": r.action_note,
            "action_due": self.action_due,
        }


def is_failure(outcome: AttendanceOutcome) -> bool:
    """An unacceptable failure: failed to attend, failed to comply, sent home for behaviour."""
    return outcome in UNACCEPTABLE


def unacceptable_absences(
    records: Iterable[AttendanceRecord], settings: EnforcementSettings
) -> list[Absence]:
    """Every unacceptable failure, oldest first, flagged by the enforcement thresholds: the
    n-th within `window_months` (counting back from it, inclusive) is a warning when
    n >= warning_after, breach consideration when n >= breach_after."""
    found = sorted((r for r in records if is_failure(r.outcome)), key=record_key)
    out: list[Absence] = []
    for i, record in enumerate(found):
        since = add_months(record.date, -settings.window_months)
        count = sum(1 for other in found[: i + 1] if other.date >= since)
        flag: Flag = "none"
        if count >= settings.breach_after:
            flag = "breach_consideration"
        elif count >= settings.warning_after:
            flag = "warning"
        out.append(Absence(record, count, flag))
    return out


def worst_flag(absences: Iterable[Absence]) -> Flag:
    flags = {a.flag for a in absences}
    if "breach_consideration" in flags:
        return "breach_consideration"
    return "warning" if "warning" in flags else "none"


def actions_due(absences: Iterable[Absence]) -> list[Absence]:
    """The flagged failures with no action recorded yet, oldest first."""
    return [a for a in absences if a.action_due is not None]


def action_due(absences: Iterable[Absence]) -> Flag:
    """The most serious action due and not recorded ("none" when nothing is due)."""
    return worst_flag(a for a in absences if a.action_due is not None)


def record_action(
    plan: Plan,
    action: EnforcementAction,
    on: date,
    settings: EnforcementSettings,
    *,
    note: str = "",
    today: date,
    now: datetime,
    by: str = "",
) -> list[AttendanceRecord]:
    """Record an enforcement action taken on `on` (in place): it answers every flagged
    failure on or before that date with no action yet. Returns the records it answered;
    none when the same action on the same date is already recorded (nothing changes)."""
    if on > today:
        raise InvalidInput(
            f"{plan.crn}: the action's date {on.isoformat()} is after today "
            f"({today.isoformat()}); record an action once it is taken"
        )
    if action == "no_action" and not note.strip():
        raise NeedsInput(
            f"{plan.crn}: no further action needs the reason in a note",
            needs=("note",),
        )
    absences = unacceptable_absences(plan.attendance, settings)
    targets = [a.record for a in actions_due(absences) if a.record.date <= on]
    if not targets:
        if any(r.action == action and r.action_on == on for r in plan.attendance):
            return []
        raise RefusedByRules(
            f"{plan.crn}: no unacceptable failure on or before {on.isoformat()} awaits an "
            "enforcement action",
            hint="record the failure's attendance first",
        )
    answered: list[AttendanceRecord] = []
    for i, record in enumerate(plan.attendance):
        if any(record is t for t in targets):
            done = record.model_copy(
                update={"action": action, "action_on": on, "action_note": note.strip() or None}
            )
            plan.attendance[i] = done
            answered.append(done)
    failures = ", ".join(describe(record_key(r)) for r in answered)
    plan.history.append(
        HistoryEntry(
            at=now,
            by=by,
            action="enforcement",
            reason=f"{ACTION_LABELS[action]} on {on.isoformat()} for {failures}"
            + (f": {note.strip()}" if note.strip() else ""),
        )
    )
    return answered


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


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
