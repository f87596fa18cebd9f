"""Enforcement (RAR guidance, docs/sources/001_246201b7ec5ee73b.txt, section 7): every
appointment is enforceable. Each unacceptable failure (failed to attend, attended but failed
to comply, sent home for behaviour) is counted within a window, and the action due is shown:
a warning, then breach consideration, by the thresholds in `EnforcementSettings` (national
practice, not the guidance; a setting, not a constant). The officer records the action taken
on the failure's record (`record_action`); a failure is "due" until then.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rarplan.deliver.attendance_file import describe, record_key
from rarplan.files.validation import format_errors, problems_error
from rarplan.model.contacts import ACTION_LABELS, UNACCEPTABLE, AttendanceOutcome, EnforcementAction
from rarplan.model.dates import add_months
from rarplan.model.errors import InvalidInput, NeedsInput, RefusedByRules
from rarplan.model.plan import AttendanceRecord, HistoryEntry, Plan

CONFIG_ENV = "RARPLAN_CONFIG"

Flag = Literal["none", "warning", "breach_consideration"]


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
    from rarplan.files.reading import load_document

    env = os.environ if environ is None else environ
    path = env.get(CONFIG_ENV, "").strip()
    if not path:
        return EnforcementSettings()
    raw, name = load_document(path, "toml")
    try:
        return _Config.model_validate(raw).enforcement
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=_Config)
        raise problems_error(problems, hint=f"see ${CONFIG_ENV}") from None


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


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
