"""Attendance at appointments: recording it, counting RAR days, enforcement and rescheduling.

The rules, from the RAR guidance (docs/sources/001_246201b7ec5ee73b.txt):
- The days completed are counted by the RAR-day rule (`rarplan.model.rardays`, sections 4
  and 5): distinct dates with an attended (or late) counting appointment; an absence or a
  cancelled session uses no day.
- Every appointment is enforceable (section 7): each unacceptable absence is listed, and
  flagged for a warning or for breach consideration by the thresholds in
  `EnforcementSettings` (national practice, not the guidance; a setting, not a constant).
- A missed session has to be offered again: it is listed until a later appointment for the
  same intervention and session is in the schedule.

Records are keyed by (date, intervention, session), so applying the same file twice changes
nothing, and a different outcome for the same appointment replaces the old one, noted in the
plan's history.
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
from rarplan.files.validation import format_errors
from rarplan.model.dates import add_months
from rarplan.model.errors import InvalidInput, NeedsInput
from rarplan.model.plan import Appointment, AttendanceRecord, HistoryEntry, Plan
from rarplan.model.rardays import counts_towards_rar, dates_used

MISSED: frozenset[str] = frozenset({"acceptable_absence", "unacceptable_absence", "not_held"})
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

    A row must name an appointment in the schedule, dated no later than `today`. The same
    outcome and note again is a no-op; a different one replaces the record and is written to
    the plan's history.
    """
    if plan.schedule is None:
        raise InvalidInput(
            f"{source}: the plan for {plan.crn} has no schedule, so no appointment to record",
            hint="run `rarplan schedule PLAN` first",
        )
    appointments = {appointment_key(a): a for a in plan.schedule.appointments}
    problems: list[str] = []
    wanted: dict[Key, Entry] = {}
    for entry in entries:
        row = entry.row
        where = f"{source}: {entry.where}"
        if row.key not in appointments:
            problems.append(
                f"{where}: no appointment in the schedule on {row.date.isoformat()} for "
                f"{row.intervention} session {row.session}"
            )
            continue
        if row.date > today:
            problems.append(
                f"{where}: date: {row.date.isoformat()} is after today ({today.isoformat()}); "
                "record attendance once the appointment has happened"
            )
            continue
        earlier = wanted.get(row.key)
        if earlier is not None and (earlier.row.outcome, earlier.row.note) != (
            row.outcome,
            row.note,
        ):
            problems.append(
                f"{where}: the same appointment as {earlier.where} with a different outcome "
                "or note; keep one"
            )
            continue
        wanted.setdefault(row.key, entry)
    if problems:
        raise _error(problems, hint="a row names an appointment by date, intervention, session")

    applied = Applied()
    existing = {record_key(r): i for i, r in enumerate(plan.attendance)}
    for key, entry in wanted.items():
        row = entry.row
        new = AttendanceRecord(
            date=row.date,
            intervention=row.intervention,
            session=row.session,
            outcome=row.outcome,
            note=row.note,
            recorded_at=now,
            counts_towards_rar=appointments[key].counts_towards_rar,
        )
        index = existing.get(key)
        if index is None:
            plan.attendance.append(new)
            applied.added.append(new)
            continue
        old = plan.attendance[index]
        if (old.outcome, old.note) == (new.outcome, new.note):
            applied.unchanged += 1
            continue
        plan.attendance[index] = new
        applied.replaced.append((old, new))
    if applied.changed:
        plan.attendance.sort(key=record_key)
        plan.history.append(
            HistoryEntry(at=now, by=by, action="attendance", reason=_history_reason(applied))
        )
    return applied


def _history_reason(applied: Applied) -> str:
    parts = []
    if applied.added:
        parts.append(f"recorded {len(applied.added)}")
    for old, new in applied.replaced:
        change = f"{old.outcome} to {new.outcome}" if old.outcome != new.outcome else "the note"
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
    """'2 attended, 1 late, 0 acceptable absences, 1 unacceptable absence, 0 not held'."""
    parts = []
    for outcome in OUTCOMES:
        n = counts.get(outcome, 0)
        words = outcome.replace("_", " ")
        parts.append(f"{n} {words}s" if words.endswith("absence") and n != 1 else f"{n} {words}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Absence:
    """An unacceptable absence and how it is flagged."""

    record: AttendanceRecord
    in_window: int  # how many unacceptable absences in the window ending at this one
    flag: Flag

    def as_dict(self, settings: EnforcementSettings) -> dict[str, Any]:
        return {
            "date": self.record.date.isoformat(),
            "intervention": self.record.intervention,
            "session": self.record.session,
            "note": self.record.note,
            "in_window": self.in_window,
            "window_months": settings.window_months,
            "flag": self.flag,
        }


def unacceptable_absences(
    records: Iterable[AttendanceRecord], settings: EnforcementSettings
) -> list[Absence]:
    """Every unacceptable absence, oldest first, flagged by the enforcement thresholds."""
    found = sorted((r for r in records if r.outcome == "unacceptable_absence"), key=record_key)
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
        "warnings": warnings,
    }
