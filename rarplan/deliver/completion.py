"""Closing a RAR: outcome reviews, the completion rules and the completion record.

From the RAR guidance (../shared/seeds/001_246201b7ec5ee73b.txt):
- The desired outcomes are agreed ahead of the activities so progress can be tracked
  (section 5); each gets a result when the RAR closes, and none may be left without one.
- The court's number of RAR days is a maximum (sections 4 and 7): more days than ordered is
  refused. Fewer is allowed when the agreed outcomes were achieved with fewer days, and then the
  reasons must be recorded (section 4): a rationale for fewer days, the progress made and the
  outcome achieved.

The completion record (TOML) holds the plan's SHA-256 as saved after completion;
`rarplan.deliver.verify` checks a record against its plan, with the rules above
(`completion_problems`: days used within the order and equal to the attended counting dates,
the status, the reasons, every outcome reviewed).

Writing: the record first, then the plan; if the plan cannot be written (a full disk), the
record is taken back, so a record never stands for a plan that is not marked completed, and
running the command again works. A record left by a run killed between the two writes (same
CRN, its plan not completed) proves nothing and is replaced by the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from rarplan.deliver.outcomes import (
    RESULTS,
    OutcomeEntry,
    in_plan_order,
    merge_reviews,
    missing_results,
    resolve_outcomes,
)
from rarplan.files.validation import format_errors, problems_error, wrong_kind
from rarplan.model.errors import InvalidInput, NeedsInput, RarplanError, RefusedByRules
from rarplan.model.plan import (
    Appointment,
    ClosingStatus,
    Completion,
    HistoryEntry,
    OutcomeReview,
    Plan,
    Schedule,
)
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
    reason: str = "",
    record_file: str | None = None,
    now: datetime | None = None,
) -> Completion:
    """Apply the completion rules and, if they pass, record the completion in `plan`.

    Before the order's start, or with appointments up to `today` that have no recorded
    outcome, it is refused unless forced with a `reason` (kept in the history)."""
    from rarplan.deliver.attendance import current_user
    from rarplan.deliver.ending import closing_words

    ordered = ordered_days(plan, source)
    if plan.completion is not None and not force:
        raise RefusedByRules(
            f"{source}: the RAR for {plan.crn} was already "
            f"{closing_words(plan.completion.status)} on "
            f"{plan.completion.completed_on.isoformat()}",
            hint="it is completed again only when asked to",
            needs=("force",),
        )
    overridden = _not_yet_closable(plan, source, today, force, reason)
    completed = days_used(plan.attendance)
    if completed > ordered:
        raise RefusedByRules(
            f"{source}: {completed} RAR days recorded, but the court ordered at most {ordered} "
            "(RAR guidance, section 7)",
            hint="correct the attendance with `rarplan attend` before completing",
        )
    merged = in_plan_order(plan, merge_reviews(plan.outcomes, reviews))
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
    previous, cancelled = cancel_later_appointments(plan, today)
    plan.history.append(
        HistoryEntry(
            at=now or datetime.now().replace(microsecond=0),
            by=current_user(),
            action="complete",
            reason=f"{status}: {completed} of {ordered} RAR days"
            + (f"; record {record_file}" if record_file else "")
            + (f"; despite {overridden}: {reason.strip()}" if overridden else ""),
            changes=cancelled or None,
            schedule=previous,
        )
    )
    return completion


def cancel_later_appointments(plan: Plan, closed_on: date) -> tuple[Schedule | None, list[str]]:
    """Once the RAR is closed, nothing more is to come: the appointments after `closed_on` with
    no recorded outcome leave the schedule, which becomes its next version (so the person's
    document, the calendar, `show` and the agenda show none as to come, and a calendar file
    written again marks them cancelled). The schedule as it stood (for the history entry)
    and what changed, or (None, []) when nothing was still to come."""
    from rarplan.deliver.attendance import appointment_key, record_key
    from rarplan.model.rardays import days_planned

    schedule = plan.schedule
    if schedule is None:
        return None, []
    recorded = {record_key(r) for r in plan.attendance}
    later = [
        a
        for a in schedule.appointments
        if a.date > closed_on and appointment_key(a) not in recorded
    ]
    if not later:
        return None, []
    kept = [a for a in schedule.appointments if a not in later]
    plan.schedule = schedule.model_copy(
        update={
            "version": schedule.version + 1,
            "appointments": kept,
            "rar_days_planned": days_planned(kept, plan.attendance),
        }
    )
    many = len(later) > 1
    return schedule, [
        f"{len(later)} appointment{'s' if many else ''} after {closed_on.isoformat()} "
        f"cancelled (the first {later[0].date.isoformat()}); schedule version "
        f"{schedule.version + 1}"
    ]


def unrecorded_appointments(plan: Plan, until: date) -> list[Appointment]:
    """The scheduled appointments on or before `until` with no recorded outcome."""
    from rarplan.deliver.attendance import appointment_key, record_key

    recorded = {record_key(r) for r in plan.attendance}
    appointments = plan.schedule.appointments if plan.schedule else []
    return [a for a in appointments if a.date <= until and appointment_key(a) not in recorded]


def _not_yet_closable(plan: Plan, source: str, today: date, force: bool, reason: str) -> str:
    """Refuse to close before the order starts or with unrecorded appointments (every
    appointment is enforceable: RAR guidance, section 7), unless forced with a reason; what
    was overridden, or ""."""
    problems, hints = [], []
    start = plan.case.sentence.start_date
    if start is not None and today < start:
        problems.append(f"the order starts on {start.isoformat()}")
        hints.append("close it once the order has started")
    missing = unrecorded_appointments(plan, today)
    if missing:
        hints.append("record what happened at each appointment first")
    if missing:
        listed = ", ".join(
            f"{a.date.isoformat()} {a.intervention} session {a.session}" for a in missing[:5]
        )
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        problems.append(
            f"{len(missing)} appointment{'s' if len(missing) > 1 else ''} up to "
            f"{today.isoformat()} with no recorded outcome: {listed}{more}"
        )
    if not problems:
        return ""
    if force and reason.strip():
        return "; ".join(problems)
    raise RefusedByRules(
        f"{source}: cannot close the RAR on {today.isoformat()}: " + "; ".join(problems),
        hint=f"{' and '.join(hints)}, or close it anyway with a reason",
        needs=("force", "reason"),
    )


# --- The completion record ---------------------------------------------------------------


class AttendanceSummary(_Model):
    # Records written before the contact outcomes (rarplan.model.contacts) counted these five;
    # they are still read. New records count every outcome in `outcomes`.
    attended: int = 0
    late: int = 0
    acceptable_absence: int = 0
    unacceptable_absence: int = 0
    not_held: int = 0
    outcomes: dict[str, int] = {}
    dates_used: list[date] = []
    unacceptable_absences: list[date] = []


class CompletionRecord(_Model):
    """The file `rarplan complete` writes and `rarplan verify` checks."""

    schema_version: Literal[1] = RECORD_SCHEMA_VERSION
    crn: str
    completed_on: date  # or the date it ended (`rarplan end`)
    status: ClosingStatus  # completed, completed_early, or the reason it ended
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

    if completion.status not in ("completed", "completed_early"):
        from rarplan.deliver.ending import summary_text as ending_summary

        return ending_summary(plan, completion, plan_file, sha)  # `rarplan end`'s record
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
    """The completion record of a completed plan: what `complete` writes, and what `verify`
    expects a record to hold. Nothing in it depends on settings or the day it is built."""
    from rarplan.deliver.attendance import outcome_counts
    from rarplan.deliver.enforcement import EnforcementSettings, unacceptable_absences

    completion = plan.completion
    if completion is None:
        raise InvalidInput(f"{plan_file}: the plan has no completion to record")
    counts = outcome_counts(plan.attendance)
    settings = EnforcementSettings()  # the absences' dates; the thresholds only flag them
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
            outcomes=counts,
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
    reason: str = "",
) -> tuple[CompletionRecord, Path]:
    """Close the RAR of the plan at `plan_path`: write the record, then the completed plan.

    Nothing is written unless every rule passes. The record is written first (refusing to
    replace one without `force`, unless a run stopped between the two writes left it), then
    the plan, with exactly the bytes whose SHA-256 the record holds. If the plan cannot be
    written, the record is taken back (see the module's notes) and the error raised.
    """
    from rarplan.deliver.attendance import plan_to_update
    from rarplan.files.planfile import load_plan
    from rarplan.files.storage import locked

    path = plan_to_update(plan_path)
    with locked(path):
        plan, _ = load_plan(path)
        resolved = resolve_outcomes(plan, entries, entries_source) if entries else []
        target = Path(out) if out is not None else path.parent / default_record_name(plan.crn)
        replace = force or _left_by_a_stopped_run(target, plan)
        close(
            plan,
            source=str(path),
            reviews=[*resolved, *reviews],
            texts=texts or Texts(),
            confirmed_by=confirmed_by,
            today=today,
            force=force,
            reason=reason,
            record_file=os.path.relpath(target.absolute(), path.parent.absolute()),
        )
        record = write_closed(plan, path, target, replace)
    return record, target


def write_closed(plan: Plan, path: Path, target: Path, replace: bool) -> CompletionRecord:
    """Write a closed plan's record to `target` (replacing one only when told), then the plan
    to `path` with exactly the bytes whose SHA-256 the record holds; if the plan cannot be
    written, take the record back (see the module's notes) and raise. `complete` and `end`
    both close a RAR this way."""
    from rarplan.files.planfile import dump_plan
    from rarplan.files.storage import atomic_write

    data = dump_plan(plan).encode("utf-8")
    record = build_record(plan, path.name, hashlib.sha256(data).hexdigest())
    previous = _bytes_or_none(target) if replace else None
    try:
        atomic_write(target, dump_record(record), overwrite=replace)
    except OSError as exc:
        raise _naming(exc, target) from exc
    try:
        atomic_write(path, data, overwrite=True)
    except BaseException as exc:
        _take_back(target, previous)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from exc
        raise
    return record


def _left_by_a_stopped_run(target: Path, plan: Plan) -> bool:
    """Whether `target` is a completion record of this plan's case while the plan is not
    completed: left by a run stopped between its two writes, it proves nothing."""
    if plan.completion is not None or not target.is_file():
        return False
    try:
        record, _ = load_record(target)
    except InvalidInput:
        return False
    return record.crn == plan.crn


def _bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _naming(exc, path) from exc


def _take_back(target: Path, previous: bytes | None) -> None:
    """Undo the record's write: remove the new record, or put back the one it replaced (also
    kept in .rarplan-history/). Best effort: the error that stopped the plan's write is the
    one reported."""
    from rarplan.files.storage import atomic_write

    with contextlib.suppress(OSError, RarplanError):
        if previous is None:
            target.unlink()
        else:
            atomic_write(target, previous, overwrite=True, keep=False)


def _naming(exc: OSError, path: Path) -> OSError:
    """The error with the file it concerns (a write's error often names none, or a temporary)."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


# --- Verifying a record against its plan ---------------------------------------------------


def load_record(source: str | Path) -> tuple[CompletionRecord, str]:
    from rarplan.files.reading import load_document

    raw, name = load_document(source)
    wrong = wrong_kind(raw, name, "record")  # a plan or a case file given as the record
    if wrong is not None:
        raise wrong
    try:
        return CompletionRecord.model_validate(raw), name
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=CompletionRecord)
        raise problems_error(problems, hint="is this a rarplan completion record?") from None


def completion_problems(plan: Plan, source: str) -> list[str]:
    """What is wrong with a completed plan by the completion rules (see the module's notes):
    the completion must say what the court ordered and the attendance shows, within the order
    (RAR guidance, sections 4 and 7), with the reasons for fewer days and every outcome
    reviewed (section 5). Empty when the plan is not completed or is consistent."""
    completion = plan.completion
    if completion is None:
        return []
    where = f"{source}: completion"
    problems: list[str] = []
    ordered = plan.case.sentence.rar_max_days
    if completion.rar_days_ordered != ordered:
        problems.append(
            f"{where}.rar_days_ordered: {completion.rar_days_ordered}, but the court ordered "
            f"{ordered} (case.sentence.rar_max_days)"
        )
    used = days_used(plan.attendance)
    if completion.rar_days_completed != used:
        problems.append(
            f"{where}.rar_days_completed: {completion.rar_days_completed}, but the attendance "
            f"shows {used} RAR days used (the dates that use a RAR day)"
        )
    if completion.rar_days_completed > completion.rar_days_ordered:
        problems.append(
            f"{where}: {completion.rar_days_completed} of {completion.rar_days_ordered} RAR "
            "days: more than the court ordered (RAR guidance, section 7)"
        )
    if completion.status in ("completed", "completed_early"):  # else: ended (not completed)
        full = completion.rar_days_completed == completion.rar_days_ordered
        status = "completed" if full else "completed_early"
        if completion.status != status:
            problems.append(
                f"{where}.status: {completion.status}, but {completion.rar_days_completed} of "
                f"{completion.rar_days_ordered} RAR days is {status}"
            )
        if not full:
            texts = Texts(completion.rationale, completion.progress, completion.outcome)
            problems.extend(
                f"{where}.{key}: missing, needed when completing early (RAR guidance, section 4)"
                for key in texts.missing()
            )
        problems.extend(
            f"{source}: outcomes: no result for {intervention}: {text} (RAR guidance, section 5)"
            for intervention, text in missing_results(plan, plan.outcomes)
        )
    if not completion.confirmed_by.strip():
        problems.append(f"{where}.confirmed_by: missing: no officer confirmed it")
    return problems
