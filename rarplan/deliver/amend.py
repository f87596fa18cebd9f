"""Amending a plan while the RAR runs: interventions, hours, desired outcomes, the officer and
the agreement, each change recorded in the plan's history with who, when and why.

From the RAR guidance (docs/sources/001_246201b7ec5ee73b.txt):
- section 4: the responsible officer may amend the activities as the order goes on, but never
  beyond the number of RAR days the court ordered (a maximum);
- section 5: desired outcomes are agreed ahead of the activities, so progress can be tracked;
- section 6: an intervention is chosen for an identified need, judged against its criteria
  (as in `rarplan assess`): an excluded one only with the officer's reason for overriding.

What happened stays: the schedule's past, the attendance and the outcome reviews are kept. When
the interventions or their hours change in a scheduled plan, the appointments from the
re-planning date are planned again by the scheduler (`rarplan.schedule.apply`), which keeps
what is attended and refuses a schedule beyond the court's days.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from rarplan.catalogue.models import Catalogue, Intervention
from rarplan.model.errors import InvalidInput, NeedsInput, RefusedByRules
from rarplan.model.plan import Agreement, HistoryEntry, Plan, SelectedIntervention
from rarplan.model.rardays import COUNTING_OUTCOMES, days_planned

if TYPE_CHECKING:
    from rarplan.schedule.make import Outcome

AgreementStatus = Literal["agreed", "does_not_agree", "could_not_answer"]


@dataclass(frozen=True)
class Amendment:
    """What the officer asks to change, and why (`reason` is required)."""

    reason: str
    add: Sequence[str] = ()
    drop: Sequence[str] = ()
    hours: Mapping[str, int] = field(default_factory=dict)
    # the desired outcomes of an intervention, replacing its list
    outcomes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    officer: str | None = None
    agreement: AgreementStatus | None = None
    # why an excluded intervention is added anyway, by id
    overrides: Mapping[str, str] = field(default_factory=dict)
    by: str = ""
    replan_from: date | None = None  # default: today

    def asks_anything(self) -> bool:
        return bool(
            self.add
            or self.drop
            or self.hours
            or self.outcomes
            or self.officer is not None
            or self.agreement is not None
        )


@dataclass
class Amended:
    """The amended plan, what changed (one line each), and the re-plan if there was one."""

    plan: Plan
    changes: list[str]
    warnings: list[str] = field(default_factory=list)
    replanned: Outcome | None = None


def _closed(plan: Plan, name: str) -> None:
    if plan.completion is not None:
        c = plan.completion
        from rarplan.deliver.ending import closing_words

        how = closing_words(c.status)
        raise RefusedByRules(
            f"{name}: the RAR was {how} on {c.completed_on.isoformat()}: the plan is closed",
            hint="a closed plan is not amended",
        )


def _most_appointments(entry: Intervention) -> int | None:
    """The most appointments the card allows the officer to set; None: no limit (negotiated,
    months of mentoring); InvalidInput when the card fixes its sessions."""
    d = entry.duration
    if d.max_visits:
        return d.max_visits
    if d.max_hours and not d.sessions:
        return max(math.floor(d.max_hours), 1)
    up_to = [p.count for p in d.sessions if p.up_to]
    if up_to:
        return up_to[0]
    if d.negotiated or d.months:
        return None
    raise InvalidInput(
        f"{entry.id}: the card sets {d.session_count} sessions; hours are set only for "
        "services of 'up to' or 'a maximum of' hours",
        hint="; ".join(d.text),
    )


def _held(plan: Plan, entry_id: str) -> int:
    """The sessions of an intervention that took place."""
    return len(
        {
            r.session
            for r in plan.attendance
            if r.intervention == entry_id and r.outcome in COUNTING_OUTCOMES
        }
    )


def _added(
    plan: Plan,
    catalogue: Catalogue,
    amendment: Amendment,
    today: date,
    name: str,
) -> tuple[list[SelectedIntervention], list[str], list[str]]:
    """The interventions to add, judged against the catalogue's criteria as `assess` does."""
    from rarplan.assess.eligibility import judge_all
    from rarplan.assess.selection import build_selection, validate_choice
    from rarplan.model.needs import NEED_LABELS

    if not amendment.add:
        return [], [], []
    chosen = {s.id for s in plan.selected}
    for entry_id in amendment.add:
        catalogue.get(entry_id)  # an unknown id: the error suggests the nearest
        if entry_id in chosen:
            raise InvalidInput(f"{name}: {entry_id} is already in the plan")
    compiled = catalogue.compiled
    judged = judge_all(catalogue, plan.case, today, plan.assessment.ogrs)
    judgements = dict(zip(compiled.ids, judged, strict=True))
    for entry_id in amendment.add:
        judgement = judgements[entry_id]
        if judgement.status == "excluded" and not amendment.overrides.get(entry_id, "").strip():
            raise RefusedByRules(
                f"{entry_id} is excluded for this case: " + "; ".join(judgement.reasons),
                hint=f"give the reason for choosing {entry_id} anyway",
                needs=("override",),
            )
    overrides = {k: v.strip() for k, v in amendment.overrides.items() if v.strip()}
    ids = validate_choice(catalogue, judgements, list(amendment.add), overrides, name)
    needs = set(plan.assessment.needs)
    selected = build_selection(
        catalogue,
        ids,
        needs,
        overrides,
        {k: v for k, v in amendment.hours.items() if k in ids},
        {k: list(v) for k, v in amendment.outcomes.items() if k in ids},
    )
    changes, warnings = [], []
    for s in selected:
        entry = catalogue.entries[s.id]
        judgement = judgements[s.id]
        line = f"added {s.id} ({entry.name})"
        if s.appointments:
            line += f", {s.appointments} hours"
        if judgement.status == "excluded":
            line += f"; excluded ({'; '.join(judgement.reasons)}), chosen because: "
            line += overrides[s.id]
        changes.append(line)
        if judgement.status == "check":
            warnings.append(
                f"{s.id}: criteria to check before referral: " + "; ".join(judgement.reasons)
            )
        if not s.needs:
            met = ", ".join(NEED_LABELS[n].lower() for n in entry.needs)
            warnings.append(
                f"{s.id} meets none of the needs identified in the assessment (it is for "
                f"{met}); an intervention is chosen for a need (guidance section 6)"
            )
    return selected, changes, warnings


def _hours(
    plan: Plan, catalogue: Catalogue, hours: Mapping[str, int], added: set[str]
) -> list[str]:
    from rarplan.assess.selection import default_appointments, rar_day_cost

    changes = []
    by_id = {s.id: s for s in plan.selected}
    for entry_id, wanted in hours.items():
        if entry_id in added:
            continue  # set when it was added
        s = by_id[entry_id]
        entry = catalogue.get(entry_id)
        most = _most_appointments(entry)
        if wanted < 1:
            raise InvalidInput(f"{entry_id}: {wanted} hours: give 1 or more")
        if most is not None and wanted > most:
            raise RefusedByRules(
                f"{entry_id}: {wanted} hours is more than the card allows ({most})",
                hint="; ".join(entry.duration.text),
            )
        held = _held(plan, entry_id)
        if wanted < held:
            raise RefusedByRules(
                f"{entry_id}: {wanted} hours is fewer than the {held} sessions already held",
                hint="what took place stays in the plan",
            )
        before = s.appointments or default_appointments(entry)
        if before == wanted:
            continue
        changes.append(f"hours of {entry_id}: {before or 'not set'} to {wanted}")
        s.appointments = wanted
        s.rar_days_estimate = rar_day_cost(entry, wanted)
    return changes


def _estimate(plan: Plan, catalogue: Catalogue) -> int:
    """The RAR days the chosen interventions need with each session on its own date."""
    from rarplan.assess.selection import rar_day_cost

    return sum(
        rar_day_cost(catalogue.entries[s.id], s.appointments)
        for s in plan.selected
        if s.id in catalogue.entries
    )


def _quoted(texts: Sequence[str]) -> str:
    return "; ".join(f"“{t}”" for t in texts) or "none"


def apply_amendment(
    plan: Plan,
    catalogue: Catalogue,
    amendment: Amendment,
    *,
    today: date,
    at: datetime,
    name: str = "plan",
) -> Amended:
    """The plan amended, with an "amend" history entry (and a "reschedule" one when the
    appointments were planned again), or an error saying why the amendment is refused.

    `plan` is not changed; nothing is recorded when the amendment changes nothing."""
    from rarplan.schedule.apply import Request, schedule_plan

    if not amendment.reason.strip():
        raise NeedsInput(
            "an amendment needs a reason, recorded in the plan's history", needs=("reason",)
        )
    if not amendment.asks_anything():
        raise NeedsInput(
            "nothing to amend: add or drop an intervention, or change the hours, the desired "
            "outcomes, the officer or the agreement"
        )
    _closed(plan, name)
    plan = plan.model_copy(deep=True)
    both = set(amendment.add) & set(amendment.drop)
    if both:
        raise InvalidInput(f"{', '.join(sorted(both))}: both added and dropped")
    for entry_id in amendment.overrides:
        if entry_id not in amendment.add:
            raise InvalidInput(f"{entry_id}: an override is for an intervention being added")
    current = [s.id for s in plan.selected]
    for entry_id in amendment.drop:
        if entry_id not in current:
            raise InvalidInput(
                f"{name}: {entry_id} is not in the plan (it has {', '.join(current) or 'none'})"
            )
    after = [i for i in current if i not in amendment.drop] + list(amendment.add)
    for key, what in ((amendment.hours, "hours"), (amendment.outcomes, "desired outcomes")):
        for entry_id in key:
            if entry_id not in after:
                raise InvalidInput(
                    f"{entry_id}: {what} for an intervention not in the plan "
                    f"(it has {', '.join(after) or 'none'})"
                )
    cost_before = _estimate(plan, catalogue)
    changes: list[str] = []
    for entry_id in amendment.drop:
        held = _held(plan, entry_id)
        changes.append(
            f"dropped {entry_id}" + (f" ({held} sessions held, kept in the record)" if held else "")
        )
    plan.selected = [s for s in plan.selected if s.id not in amendment.drop]
    selected, added_changes, warnings = _added(plan, catalogue, amendment, today, name)
    plan.selected.extend(selected)
    changes.extend(added_changes)
    changes.extend(_hours(plan, catalogue, amendment.hours, set(amendment.add)))
    by_id = {s.id: s for s in plan.selected}
    for entry_id, texts in amendment.outcomes.items():
        wanted = [t.strip() for t in texts if t.strip()]
        s = by_id[entry_id]
        if entry_id in amendment.add or wanted == s.desired_outcomes:
            continue
        were = _quoted(s.desired_outcomes)
        changes.append(f"desired outcomes of {entry_id}: {_quoted(wanted)} (were {were})")
        s.desired_outcomes = wanted
    if amendment.officer is not None:
        officer = amendment.officer.strip()
        if not officer:
            raise InvalidInput("the responsible officer's name is blank")
        if officer != plan.responsible_officer:
            changes.append(
                f"responsible officer: {plan.responsible_officer or 'none'} to {officer}"
            )
            plan.responsible_officer = officer
    if amendment.agreement is not None and amendment.agreement != plan.agreement.status:
        changes.append(
            f"agreement: {plan.agreement.status.replace('_', ' ')} to "
            f"{amendment.agreement.replace('_', ' ')}"
        )
        plan.agreement = Agreement(status=amendment.agreement, note=plan.agreement.note)
    if not changes:
        return Amended(plan, [], warnings)
    interventions_changed = bool(amendment.add or amendment.drop or amendment.hours)
    court = plan.case.sentence.rar_max_days
    if interventions_changed and plan.schedule is None and court is not None:
        # Not scheduled yet: the estimate (each session on its own date) must not grow beyond
        # the court's maximum (guidance section 4).
        cost = _estimate(plan, catalogue)
        if cost > court and cost > cost_before:
            raise RefusedByRules(
                f"{name}: amended, the plan needs about {cost} RAR days (a session a date), "
                f"more than the court's maximum of {court} (RAR guidance, section 4)",
                hint="choose fewer hours or drop an intervention; a schedule pairing sessions on "
                "one date may fit more",
            )
    plan.history.append(
        HistoryEntry(
            at=at,
            by=amendment.by,
            action="amend",
            reason=amendment.reason.strip(),
            changes=changes,
        )
    )
    amended = Amended(plan, changes, warnings)
    if interventions_changed and plan.schedule is not None:
        request = Request(
            replan_from=amendment.replan_from or today,
            reason=f"after the amendment: {amendment.reason.strip()}",
            by=amendment.by,
        )
        plan, outcome = schedule_plan(plan, catalogue, request, at=at, name=name)
        # The scheduler never plans beyond the court's days; checked again here, by the one
        # RAR-day rule, because an amendment must never do it (guidance section 4).
        if (
            court is not None
            and days_planned(outcome.schedule.appointments, plan.attendance) > court
        ):
            raise RefusedByRules(
                f"{name}: the re-planned schedule needs more than the court's {court} RAR days"
            )
        amended.plan, amended.replanned = plan, outcome
        amended.warnings.extend(outcome.warnings)
    return amended


def amend_file(
    path: str | Path,
    catalogue: Catalogue,
    amendment: Amendment,
    *,
    today: date,
    dry_run: bool = False,
) -> tuple[Amended, Path | None]:
    """Amend the plan file in place under its lock (unless `dry_run`); the amended plan and
    the previous version's copy in .rarplan-history/."""
    from rarplan.deliver.attendance import plan_to_update
    from rarplan.files.planfile import load_plan, save_plan
    from rarplan.files.storage import locked

    target = plan_to_update(path)
    with locked(target):
        plan, _ = load_plan(target)
        at = datetime.now().replace(microsecond=0)
        amended = apply_amendment(plan, catalogue, amendment, today=today, at=at, name=str(target))
        kept = None
        if amended.changes and not dry_run:
            kept = save_plan(amended.plan, target, overwrite=True)
    return amended, kept


# --- The result, as `rarplan amend --json` gives it ----------------------------------------


class AmendOutput(BaseModel):
    """What an amendment did: the `--json` document of `rarplan amend`."""

    crn: str
    plan_file: str
    dry_run: bool
    changed: bool
    reason: str
    changes: list[str]
    replanned: bool
    schedule_version: int | None
    rar_days_ordered: int | None
    rar_days_planned: int | None
    rar_days_used: int
    warnings: list[str]
    previous_version: str | None  # the copy kept in .rarplan-history/


def as_output(
    amended: Amended, amendment: Amendment, plan_file: str, kept: Path | None, dry_run: bool
) -> AmendOutput:
    from rarplan.model.rardays import days_used

    plan = amended.plan
    return AmendOutput(
        crn=plan.crn,
        plan_file=plan_file,
        dry_run=dry_run,
        changed=bool(amended.changes),
        reason=amendment.reason.strip(),
        changes=amended.changes,
        replanned=amended.replanned is not None,
        schedule_version=plan.schedule.version if plan.schedule else None,
        rar_days_ordered=plan.case.sentence.rar_max_days,
        rar_days_planned=(
            days_planned(plan.schedule.appointments, plan.attendance) if plan.schedule else None
        ),
        rar_days_used=days_used(plan.attendance),
        warnings=amended.warnings,
        previous_version=str(kept) if kept else None,
    )
