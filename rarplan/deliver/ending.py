"""Ending a RAR other than by completion: revoked, breached and resentenced, transferred, the
person died, or another reason.

The RAR guidance (docs/sources/001_246201b7ec5ee73b.txt, section 7) expects the outcomes and
the reason to be recorded when a RAR ends. The end record is a completion record
(`rarplan.deliver.completion.CompletionRecord`) whose `status` is the reason it ended, so
`rarplan verify` checks it the same way: the plan's SHA-256, its CRN, the date, the status and
the days. In the plan, `completion` holds the same status: the plan is closed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import get_args

from rarplan.deliver.completion import (
    CompletionRecord,
    cancel_later_appointments,
    ordered_days,
    write_closed,
)
from rarplan.deliver.outcomes import RESULTS, OutcomeEntry, merge_reviews, resolve_outcomes
from rarplan.model.errors import InvalidInput, NeedsInput, RefusedByRules
from rarplan.model.plan import Completion, EndingReason, HistoryEntry, OutcomeReview, Plan
from rarplan.model.rardays import days_used

REASONS: tuple[str, ...] = get_args(EndingReason)
REASON_WORDS = {
    "revoked": "revoked",
    "breach_resentenced": "breached and resentenced",
    "transferred": "transferred",
    "died": "the person died",
    "other": "ended for another reason",
}


def closing_words(status: str) -> str:
    """How a RAR closed, in words: "completed", "completed early", or "ended (revoked)"."""
    if status in ("completed", "completed_early"):
        return status.replace("_", " ")
    return f"ended ({REASON_WORDS.get(status, status.replace('_', ' '))})"


def default_record_name(crn: str) -> str:
    return f"{crn}.end.toml"


def end(
    plan: Plan,
    *,
    source: str,
    reason: str,
    note: str,
    confirmed_by: str,
    today: date,
    reviews: Sequence[OutcomeReview] = (),
    force: bool = False,
    record_file: str | None = None,
    now: datetime | None = None,
) -> Completion:
    """Record in `plan` that its RAR ended for `reason` on `today`, with the outcomes so far."""
    from rarplan.deliver.attendance import current_user

    if reason not in REASONS:
        raise InvalidInput(f"{reason!r}: not a reason a RAR ends; one of {', '.join(REASONS)}")
    ordered = ordered_days(plan, source)
    if plan.completion is not None and not force:
        c = plan.completion
        raise RefusedByRules(
            f"{source}: the RAR for {plan.crn} was already {closing_words(c.status)} on "
            f"{c.completed_on.isoformat()}",
            hint="it is closed again only when asked to",
            needs=("force",),
        )
    if not note.strip():
        raise NeedsInput("an ending needs a note: what happened, for the record", needs=("note",))
    if not confirmed_by.strip():
        raise NeedsInput(
            "the ending needs the officer's confirmation",
            hint="give the name of the officer confirming it",
            needs=("confirmed_by",),
        )
    used = days_used(plan.attendance)
    if used > ordered:
        raise RefusedByRules(
            f"{source}: {used} RAR days recorded, but the court ordered at most {ordered} "
            "(RAR guidance, section 7)",
            hint="correct the attendance with `rarplan attend` first",
        )
    completion = Completion.model_validate(
        {
            "completed_on": today,
            "status": reason,
            "rar_days_ordered": ordered,
            "rar_days_completed": used,
            "rationale": note.strip(),
            "confirmed_by": confirmed_by.strip(),
            "record_file": record_file,
        }
    )
    plan.outcomes = merge_reviews(plan.outcomes, reviews)
    plan.completion = completion
    previous, cancelled = cancel_later_appointments(plan, today)
    plan.history.append(
        HistoryEntry(
            at=now or datetime.now().replace(microsecond=0),
            by=current_user(),
            action="end",
            reason=f"{REASON_WORDS[reason]}: {note.strip()}",
            changes=[f"ended: {reason}, {used} of {ordered} RAR days used"]
            + ([f"record {record_file}"] if record_file else [])
            + cancelled,
            schedule=previous,
        )
    )
    return completion


def summary_text(plan: Plan, completion: Completion, plan_file: str, sha: str) -> str:
    """A few plain lines for the contact notes: why it ended, days, attendance, outcomes."""
    from rarplan.deliver.attendance import describe_counts, outcome_counts

    c = completion
    lines = [
        f"RAR ended ({REASON_WORDS[c.status]}) for {plan.crn} on {c.completed_on.isoformat()}: "
        f"{c.rar_days_completed} of {c.rar_days_ordered} RAR days used.",
        f"Attendance: {describe_counts(outcome_counts(plan.attendance))}.",
    ]
    if plan.outcomes:
        tally = {r: sum(1 for o in plan.outcomes if o.result == r) for r in RESULTS}
        lines.append(
            "Outcomes so far: "
            + ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in tally.items())
            + "."
        )
        for review in plan.outcomes:
            comment = f" ({review.comment})" if review.comment else ""
            lines.append(
                f"- {review.intervention}: {review.outcome}: "
                f"{review.result.replace('_', ' ')}{comment}"
            )
    else:
        lines.append("Outcomes so far: none reviewed.")
    lines.append(f"Note: {c.rationale}")
    lines.append(f"Confirmed by {c.confirmed_by}. Plan {plan_file}, SHA-256 {sha[:12]}.")
    return "\n".join(lines)


def end_rar(
    plan_path: str | Path,
    *,
    reason: str,
    note: str,
    confirmed_by: str,
    today: date,
    out: str | Path | None = None,
    entries: Sequence[OutcomeEntry] = (),
    entries_source: str = "",
    force: bool = False,
) -> tuple[CompletionRecord, Path]:
    """End the RAR of the plan at `plan_path`: write the end record, then the closed plan.

    As `complete_rar`: nothing is written unless every rule passes; the record (refusing to
    replace one without `force`) first, then the plan with exactly the bytes it hashes, the
    record taken back if the plan cannot be written (`write_closed`).
    """
    from rarplan.deliver.attendance import plan_to_update
    from rarplan.files.planfile import load_plan
    from rarplan.files.storage import locked

    path = plan_to_update(plan_path)
    with locked(path):
        plan, _ = load_plan(path)
        resolved = resolve_outcomes(plan, entries, entries_source) if entries else []
        target = Path(out) if out is not None else path.parent / default_record_name(plan.crn)
        end(
            plan,
            source=str(path),
            reason=reason,
            note=note,
            confirmed_by=confirmed_by,
            today=today,
            reviews=resolved,
            force=force,
            record_file=os.path.relpath(target.absolute(), path.parent.absolute()),
        )
        record = write_closed(plan, path, target, replace=force)  # summary: `summary_text`'s
    return record, target
