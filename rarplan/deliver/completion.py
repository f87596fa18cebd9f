"""Closing a RAR: outcome reviews, the completion rules, the completion record and `verify`.

From the RAR guidance (../shared/seeds/001_246201b7ec5ee73b.txt):
- The desired outcomes are agreed ahead of the activities so progress can be tracked
  (section 5); each gets a result when the RAR closes, and none may be left without one.
- The court's number of RAR days is a maximum (sections 4 and 7): more days than ordered is
  refused. Fewer is allowed when the agreed outcomes were achieved with fewer days, and then the
  reasons must be recorded (section 4): a rationale for fewer days, the progress made and the
  outcome achieved.

The completion record (TOML) holds the plan's SHA-256 as saved after completion, so
`verify_record` can tell when the plan was edited afterwards.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from rarplan.deliver.outcomes import (  # noqa: F401 (re-exported for callers)
    RESULTS,
    OutcomeEntry,
    OutcomeRow,
    OutcomesFile,
    _error,
    _in_plan_order,
    _match,
    desired_outcomes,
    merge_reviews,
    missing_results,
    read_outcomes,
    resolve_outcomes,
)
from rarplan.files.validation import format_errors
from rarplan.model.errors import InvalidInput, NeedsInput, RefusedByRules
from rarplan.model.plan import Completion, HistoryEntry, OutcomeReview, Plan
from rarplan.model.rardays import dates_used, days_used

RECORD_SCHEMA_VERSION: Literal[1] = 1
TEXTS = ("rationale", "progress", "outcome")

CompletionStatus = Literal["completed", "completed_early"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- The rules for closing -------------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    """Required when completing with fewer days than ordered (RAR guidance, section 4)."""

    rationale: str = ""
    progress: str = ""
    outcome: str = ""

    def missing(self) -> list[str]:
        """The texts left blank, by name ("rationale", "progress", "outcome")."""
        return [key for key in TEXTS if not getattr(self, key).strip()]


def ordered_days(plan: Plan, source: str) -> int:
    ordered = plan.case.sentence.rar_max_days
    if ordered is None:
        raise InvalidInput(
            f"{source}: case.sentence.rar_max_days: not set, so the RAR cannot be closed",
            hint="the plan needs the sentenced case's RAR days",
        )
    return ordered


def close(
    plan: Plan,
    *,
    source: str,
    reviews: Sequence[OutcomeReview],
    texts: Texts,
    confirmed_by: str,
    today: date,
    force: bool = False,
    record_file: str | None = None,
    now: datetime | None = None,
) -> Completion:
    """Apply the completion rules and, if they pass, record the completion in `plan`."""
    from rarplan.deliver.attendance import current_user

    ordered = ordered_days(plan, source)
    if plan.completion is not None and not force:
        raise RefusedByRules(
            f"{source}: the RAR for {plan.crn} was already completed on "
            f"{plan.completion.completed_on.isoformat()}",
            hint="it is completed again only when asked to",
            needs=("force",),
        )
    completed = days_used(plan.attendance)
    if completed > ordered:
        raise RefusedByRules(
            f"{source}: {completed} RAR days recorded, but the court ordered at most {ordered} "
            "(RAR guidance, section 7)",
            hint="correct the attendance with `rarplan attend` before completing",
        )
    merged = _in_plan_order(plan, merge_reviews(plan.outcomes, reviews))
    missing = missing_results(plan, merged)
    if missing:
        listed = "; ".join(f"{i}: {text}" for i, text in missing)
        raise RefusedByRules(
            f"{source}: {len(missing)} desired outcome{'s' if len(missing) > 1 else ''} "
            f"without a result (RAR guidance, section 5): {listed}",
            hint="give a result for each desired outcome",
            needs=("outcomes",),
        )
    status: CompletionStatus = "completed" if completed == ordered else "completed_early"
    if status == "completed_early":
        absent = texts.missing()
        if absent:
            raise RefusedByRules(
                f"{source}: completing early ({completed} of {ordered} RAR days) needs a "
                "rationale (why fewer days), the progress and the outcome (RAR guidance, "
                f"section 4); missing: {', '.join(absent)}",
                hint="record why the outcomes were achieved with fewer days",
                needs=absent,
            )
    if not confirmed_by.strip():
        raise NeedsInput(
            "the completion needs the officer's confirmation",
            hint="give the name of the officer confirming it",
            needs=("confirmed_by",),
        )
    completion = Completion(
        completed_on=today,
        status=status,
        rar_days_ordered=ordered,
        rar_days_completed=completed,
        rationale=texts.rationale.strip(),
        progress=texts.progress.strip(),
        outcome=texts.outcome.strip(),
        confirmed_by=confirmed_by.strip(),
        record_file=record_file,
    )
    plan.outcomes = merged
    plan.completion = completion
    plan.history.append(
        HistoryEntry(
            at=now or datetime.now().replace(microsecond=0),
            by=current_user(),
            action="complete",
            reason=f"{status}: {completed} of {ordered} RAR days"
            + (f"; record {record_file}" if record_file else ""),
        )
    )
    return completion


# --- The completion record ---------------------------------------------------------------


class AttendanceSummary(_Model):
    attended: int = 0
    late: int = 0
    acceptable_absence: int = 0
    unacceptable_absence: int = 0
    not_held: int = 0
    dates_used: list[date] = []
    unacceptable_absences: list[date] = []


class CompletionRecord(_Model):
    """The file `rarplan complete` writes and `rarplan verify` checks."""

    schema_version: Literal[1] = RECORD_SCHEMA_VERSION
    crn: str
    completed_on: date
    status: CompletionStatus
    rar_days_ordered: int
    rar_days_completed: int
    rationale: str = ""
    progress: str = ""
    outcome: str = ""
    confirmed_by: str
    plan_file: str
    plan_sha256: str
    summary: str
    attendance: AttendanceSummary
    outcomes: list[OutcomeReview] = []

    @field_validator("plan_sha256")
    @classmethod
    def _sha(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ValueError("must be a SHA-256: 64 hexadecimal digits, lower case")
        return value


def default_record_name(crn: str) -> str:
    return f"{crn}.completion.toml"


def summary_text(plan: Plan, completion: Completion, plan_file: str, sha: str) -> str:
    """A few plain lines for the contact notes: days, attendance, outcomes, reasons. No name."""
    from rarplan.deliver.attendance import describe_counts, outcome_counts

    c = completion
    counts = outcome_counts(plan.attendance)
    early = c.status == "completed_early"
    lines = [
        f"RAR {'completed early' if early else 'completed'} for {plan.crn} on "
        f"{c.completed_on.isoformat()}: {c.rar_days_completed} of {c.rar_days_ordered} "
        "RAR days used.",
        f"Attendance: {describe_counts(counts)}.",
    ]
    if plan.outcomes:
        tally = {r: sum(1 for o in plan.outcomes if o.result == r) for r in RESULTS}
        lines.append(
            "Outcomes: " + ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in tally.items()) + "."
        )
        for review in plan.outcomes:
            comment = f" ({review.comment})" if review.comment else ""
            lines.append(
                f"- {review.intervention}: {review.outcome}: "
                f"{review.result.replace('_', ' ')}{comment}"
            )
    if c.rationale:
        lines.append(f"Why fewer days than ordered: {c.rationale}")
    if c.progress:
        lines.append(f"Progress: {c.progress}")
    if c.outcome:
        lines.append(f"Outcome achieved: {c.outcome}")
    lines.append(f"Confirmed by {c.confirmed_by}. Plan {plan_file}, SHA-256 {sha[:12]}.")
    return "\n".join(lines)


def build_record(plan: Plan, plan_file: str, sha: str) -> CompletionRecord:
    from rarplan.deliver.attendance import load_settings, outcome_counts, unacceptable_absences

    completion = plan.completion
    if completion is None:
        raise InvalidInput(f"{plan_file}: the plan has no completion to record")
    counts = outcome_counts(plan.attendance)
    settings = load_settings()
    return CompletionRecord(
        crn=plan.crn,
        completed_on=completion.completed_on,
        status=completion.status,
        rar_days_ordered=completion.rar_days_ordered,
        rar_days_completed=completion.rar_days_completed,
        rationale=completion.rationale,
        progress=completion.progress,
        outcome=completion.outcome,
        confirmed_by=completion.confirmed_by,
        plan_file=plan_file,
        plan_sha256=sha,
        summary=summary_text(plan, completion, plan_file, sha),
        attendance=AttendanceSummary(
            **counts,
            dates_used=dates_used(plan.attendance),
            unacceptable_absences=[
                a.record.date for a in unacceptable_absences(plan.attendance, settings)
            ],
        ),
        outcomes=list(plan.outcomes),
    )


def dump_record(record: CompletionRecord) -> str:
    from rarplan.files import toml_writer

    return toml_writer.dumps(record.model_dump(mode="python"), multiline_strings=True)


def complete_rar(
    plan_path: str | Path,
    *,
    out: str | Path | None,
    entries: Sequence[OutcomeEntry] = (),
    entries_source: str = "",
    reviews: Sequence[OutcomeReview] = (),
    texts: Texts | None = None,
    confirmed_by: str,
    today: date,
    force: bool = False,
) -> tuple[CompletionRecord, Path]:
    """Close the RAR of the plan at `plan_path`: write the record, then the completed plan.

    Nothing is written unless every rule passes. The record is written first (refusing to
    replace one without `force`), so a refusal leaves both files as they were; the plan is
    then saved with exactly the bytes whose SHA-256 the record holds.
    """
    from rarplan.deliver.attendance import plan_to_update
    from rarplan.files.planfile import dump_plan, load_plan
    from rarplan.files.storage import atomic_write, locked

    path = plan_to_update(plan_path)
    with locked(path):
        plan, _ = load_plan(path)
        resolved = resolve_outcomes(plan, entries, entries_source) if entries else []
        target = Path(out) if out is not None else path.parent / default_record_name(plan.crn)
        close(
            plan,
            source=str(path),
            reviews=[*resolved, *reviews],
            texts=texts or Texts(),
            confirmed_by=confirmed_by,
            today=today,
            force=force,
            record_file=os.path.relpath(target.absolute(), path.parent.absolute()),
        )
        data = dump_plan(plan).encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        record = build_record(plan, path.name, sha)
        atomic_write(target, dump_record(record), overwrite=force)
        atomic_write(path, data, overwrite=True)
    return record, target


# --- Verifying a record against its plan ---------------------------------------------------


def load_record(source: str | Path) -> tuple[CompletionRecord, str]:
    from rarplan.files.storage import load_document

    raw, name = load_document(source)
    try:
        return CompletionRecord.model_validate(raw), name
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=CompletionRecord)
        raise _error(problems, hint="is this a rarplan completion record?") from None


def verify_record(record_path: str | Path, plan_path: str | Path) -> dict[str, Any]:
    """Check the plan is byte for byte the one the record was made from, and agrees with it.

    Raises InvalidInput (exit 3) listing every difference.
    """
    from rarplan.files.planfile import parse_plan
    from rarplan.files.storage import decode, parse_document, read_bytes

    record, record_name = load_record(record_path)
    data, plan_name = read_bytes(plan_path)
    sha = hashlib.sha256(data).hexdigest()
    problems: list[str] = []
    if sha != record.plan_sha256:
        problems.append(
            f"{plan_name}: changed since {record_name} was written: its SHA-256 is "
            f"{sha[:12]}…, the record has {record.plan_sha256[:12]}…"
        )
    try:
        raw = parse_document(decode(data, plan_name), plan_name, "toml")
        plan: Plan | None = parse_plan(raw, plan_name)
    except InvalidInput as exc:
        problems.append(exc.message)
        plan = None
    if plan is not None:
        if plan.crn != record.crn:
            problems.append(
                f"{record_name}: crn: the record is for {record.crn}, the plan for {plan.crn}"
            )
        problems.extend(_disagreements(record, plan, record_name, plan_name))
    if problems:
        raise _error(
            problems,
            hint="the plan was edited after completion: restore it from .rarplan-history/, "
            "or complete it again",
            needs=("force",),
        )
    return {
        "match": True,
        "crn": record.crn,
        "status": record.status,
        "rar_days_ordered": record.rar_days_ordered,
        "rar_days_completed": record.rar_days_completed,
        "completed_on": record.completed_on.isoformat(),
        "plan": plan_name,
        "record": record_name,
        "plan_sha256": sha,
    }


def _disagreements(
    record: CompletionRecord, plan: Plan, record_name: str, plan_name: str
) -> list[str]:
    completion = plan.completion
    if completion is None:
        return [f"{plan_name}: completion: the plan is not completed"]
    out = []
    for key in ("completed_on", "status", "rar_days_ordered", "rar_days_completed"):
        mine, theirs = getattr(record, key), getattr(completion, key)
        if mine != theirs:
            out.append(f"{record_name}: {key}: the record has {mine}, the plan {theirs}")
    return out
